import type { OutboxSummary } from './outboxView';

type Tone = 'stored' | 'pending' | 'sent' | 'failed' | 'neutral';

const tones: Record<Tone, string> = {
  stored: 'bg-amber-100 text-amber-900',
  pending: 'bg-sky-100 text-sky-900',
  sent: 'bg-emerald-100 text-emerald-800',
  failed: 'bg-red-100 text-red-800',
  neutral: 'bg-slate-100 text-slate-700',
};

interface Status {
  label: string;
  tone: Tone;
  /** Said in full on hover and to assistive technology. */
  explanation: string;
}

const delivery: Record<'stored' | 'sending' | 'sent' | 'failed', Status> = {
  stored: {
    label: 'stored',
    tone: 'stored',
    explanation: 'Kept in the outbox: no provider is configured for this channel',
  },
  sending: {
    label: 'sending',
    tone: 'pending',
    explanation: 'Handed to the provider; no answer recorded yet',
  },
  sent: { label: 'sent', tone: 'sent', explanation: 'Accepted by the provider' },
  failed: { label: 'failed', tone: 'failed', explanation: 'The provider refused it' },
};

/** What became of a message, in words that say whether it left the server. */
export function statusOf(message: OutboxSummary): Status {
  switch (message.kind) {
    case 'email':
    case 'sms':
      return delivery[message.status];
    case 'push':
      return message.status === null
        ? { label: 'waiting', tone: 'neutral', explanation: 'Sent when its draft is published' }
        : delivery[message.status];
    case 'notification':
      return message.status === 'draft'
        ? { label: 'draft', tone: 'neutral', explanation: 'Not shown to app users yet' }
        : { label: 'published', tone: 'sent', explanation: 'Shown to app users in the app' };
  }
}

export function MessageStatus({ message }: { message: OutboxSummary }) {
  const status = statusOf(message);
  return (
    <span
      title={status.explanation}
      className={`rounded px-1.5 py-0.5 text-xs font-semibold ${tones[status.tone]}`}
    >
      {status.label}
      <span className="sr-only">: {status.explanation}</span>
    </span>
  );
}
