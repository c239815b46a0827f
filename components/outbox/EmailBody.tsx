'use client';

import { useId, useState } from 'react';

import { sandboxedEmailDocument } from './outboxView';
import { TabList, tabIds, type TabItem } from './TabList';

type BodyView = 'text' | 'html' | 'source';

const bodyBlock =
  'max-h-96 overflow-auto whitespace-pre-wrap break-words rounded border border-slate-200 ' +
  'bg-slate-50 p-2 font-mono text-xs text-slate-800';

/**
 * An email's bodies, never as markup of this page: the text as text, the HTML as its source,
 * or drawn in a frame with an empty `sandbox` (no scripts, no same-origin access) whose
 * document forbids every fetch. See sandboxedEmailDocument.
 */
export function EmailBody({ html, text }: { html: string | null; text: string | null }) {
  const idPrefix = useId();
  const views: TabItem<BodyView>[] = [
    ...(text !== null ? [{ key: 'text' as const, label: 'Text' }] : []),
    ...(html !== null
      ? [
          { key: 'html' as const, label: 'HTML (rendered safely)' },
          { key: 'source' as const, label: 'HTML source' },
        ]
      : []),
  ];
  const [chosen, setChosen] = useState<BodyView>(text !== null ? 'text' : 'html');
  const first = views[0];
  if (!first) return <p className="text-sm text-slate-500">This email has no body.</p>;
  const selected = views.some((view) => view.key === chosen) ? chosen : first.key;
  const ids = tabIds(idPrefix, selected);

  return (
    <section aria-label="Email body" className="grid gap-2">
      <TabList
        label="Email body as"
        idPrefix={idPrefix}
        items={views}
        selected={selected}
        onSelect={setChosen}
      />
      <div id={ids.panel} role="tabpanel" aria-labelledby={ids.tab}>
        {selected === 'text' ? (
          <pre aria-label="Text body" className={bodyBlock}>
            {text}
          </pre>
        ) : null}
        {selected === 'html' && html !== null ? (
          <>
            <iframe
              sandbox=""
              srcDoc={sandboxedEmailDocument(html)}
              title="HTML body, rendered without scripts or remote content"
              referrerPolicy="no-referrer"
              className="h-96 w-full rounded border border-slate-200 bg-white"
            />
            <p className="mt-1 text-xs text-slate-500">
              Scripts do not run here and nothing is loaded from other sites, so remote images
              are missing.
            </p>
          </>
        ) : null}
        {selected === 'source' ? (
          <pre aria-label="HTML source" className={bodyBlock}>
            {html}
          </pre>
        ) : null}
      </div>
    </section>
  );
}
