/**
 * The Outbox page's own logic, without a browser: its URL form, status words, and the markup
 * an email body becomes, which must never carry the email's HTML as markup of the page.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';

import { EmailBody } from '@/components/outbox/EmailBody';
import { statusOf } from '@/components/outbox/MessageStatus';
import {
  outboxViewToSearch,
  parseOutboxView,
  recipientsOf,
  sandboxedEmailDocument,
  type OutboxSummary,
} from '@/components/outbox/outboxView';

const HOSTILE_HTML =
  '<p>Hi</p><script>window.__pwned = 1</script><img src="x" onerror="window.__pwned = 2">';

describe('[OUTBOX]: the view in the URL', () => {
  it('reads a kind and an open message, and drops what it cannot use', () => {
    expect(parseOutboxView(new URLSearchParams('kind=sms&message=12'))).toEqual({
      kind: 'sms',
      message: 12,
    });
    expect(parseOutboxView(new URLSearchParams('kind=fax&message=-1'))).toEqual({
      kind: 'email',
      message: undefined,
    });
    expect(parseOutboxView(new URLSearchParams('kind=toString'))).toEqual({
      kind: 'email',
      message: undefined,
    });
  });

  it('writes the default tab as a bare address', () => {
    expect(outboxViewToSearch({ kind: 'email' })).toBe('');
    expect(outboxViewToSearch({ kind: 'push', message: 3 })).toBe('kind=push&message=3');
  });
});

describe('[OUTBOX]: what rows say', () => {
  const sms: OutboxSummary = {
    kind: 'sms',
    id: 1,
    to: '+353',
    body: 'Hi',
    status: 'stored',
    transport: null,
    error: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    sentAt: null,
    sentBy: null,
  };

  it('names the status and says whether the message left the server', () => {
    expect(statusOf(sms)).toMatchObject({ label: 'stored', tone: 'stored' });
    expect(statusOf(sms).explanation).toMatch(/no provider is configured/);
    expect(statusOf({ ...sms, status: 'failed' })).toMatchObject({ label: 'failed' });
  });

  it('lists recipients by type, with their names', () => {
    const to = [
      { email: 'a@x.test', name: 'Ann', type: 'to' as const },
      { email: 'b@x.test', type: 'to' as const },
      { email: 'c@x.test', type: 'bcc' as const },
    ];
    expect(recipientsOf(to, 'to')).toBe('Ann <a@x.test>, b@x.test');
    expect(recipientsOf(to, 'cc')).toBe('');
    expect(recipientsOf(to, 'bcc')).toBe('c@x.test');
  });
});

describe('[OUTBOX]: email bodies are shown, never run', () => {
  it('draws HTML only inside an empty-sandbox frame, as an escaped attribute', () => {
    const markup = renderToStaticMarkup(
      createElement(EmailBody, { html: HOSTILE_HTML, text: null }),
    );
    expect(markup).toMatch(/<iframe sandbox="" srcDoc="[^"]*&lt;script&gt;window.__pwned/i);
    // Nothing of the body is markup of the page: no script or image element came from it.
    expect(markup).not.toContain('<script');
    expect(markup).not.toContain('<img');
    expect(markup).toContain('role="tab"');
  });

  it('shows the text body first, as text', () => {
    const markup = renderToStaticMarkup(
      createElement(EmailBody, { html: HOSTILE_HTML, text: '<b>not bold</b>' }),
    );
    expect(markup).toContain('&lt;b&gt;not bold&lt;/b&gt;</pre>');
    expect(markup).not.toContain('<iframe');
  });

  it('gives the frame a document that allows no script and no fetch', () => {
    const document = sandboxedEmailDocument(HOSTILE_HTML);
    expect(document).toMatch(/^<meta http-equiv="Content-Security-Policy" content="[^"]+">/);
    expect(document).toContain("default-src 'none'");
    expect(document).not.toMatch(/script-src/);
    expect(document.endsWith(HOSTILE_HTML)).toBe(true);
  });
});
