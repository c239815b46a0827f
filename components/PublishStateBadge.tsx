import type { PublishState } from '@/server/actions/versions';

const looks: Record<PublishState, { text: string; className: string; title: string }> = {
  draft: {
    text: 'Draft only',
    className: 'bg-slate-100 text-slate-700',
    title: 'Never published: live apps, schedules and log triggers do not run it.',
  },
  published: {
    text: 'Published',
    className: 'bg-emerald-100 text-emerald-800',
    title: 'Production runs exactly the saved master.',
  },
  changed: {
    text: 'Changed since publish',
    className: 'bg-amber-100 text-amber-800',
    title: 'The saved master differs from production; publish to make the changes live.',
  },
};

/** Where the saved master stands against production. */
export function PublishStateBadge({ state }: { state: PublishState }) {
  const look = looks[state];
  return (
    <span
      title={look.title}
      className={`rounded px-1.5 py-0.5 text-xs font-semibold ${look.className}`}
    >
      {look.text}
    </span>
  );
}
