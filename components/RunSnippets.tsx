'use client';

import { useEffect, useState } from 'react';

import { curlSnippet, sdkSnippet, type RunSnippetInput } from './runSnippets';
import { captionText, codeBlock, secondaryButton } from './styles';

interface RunSnippetsProps {
  appId: number;
  name: string;
  payload: unknown;
}

/** The same run as the test panel's, to paste into app code (SDK) or a shell (cURL). */
export function RunSnippets({ appId, name, payload }: RunSnippetsProps) {
  // The origin is only known in the browser; rendering it on the server would mismatch.
  const [origin, setOrigin] = useState('');
  useEffect(() => setOrigin(window.location.origin), []);
  const input: RunSnippetInput = { origin, appId, name, payload };
  return (
    <details className="grid gap-2 border-t border-slate-200 pt-3">
      <summary className="cursor-pointer text-sm font-medium">Copy as SDK call or cURL</summary>
      <Snippet id="snippet-sdk" label="SDK" text={sdkSnippet(input)} />
      <Snippet id="snippet-curl" label="cURL" text={curlSnippet(input)} />
      <p className="text-xs text-slate-500">
        Both run the saved master version. Replace &lt;your token&gt; with an API token of the app.
      </p>
    </details>
  );
}

function Snippet({ id, label, text }: { id: string; label: string; text: string }) {
  const [copied, setCopied] = useState<'copied' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('copied');
    } catch {
      // Clipboard access can be refused (permissions, insecure origin); the text stays selectable.
      setCopied('failed');
    }
  };
  return (
    <figure className="grid min-w-0 gap-1">
      <div className="flex items-center justify-between gap-2">
        <figcaption id={`${id}-label`} className={captionText}>
          {label}
        </figcaption>
        <div className="flex items-center gap-2">
          <span aria-live="polite" className="text-xs text-slate-500">
            {copied === 'copied' ? 'Copied' : copied === 'failed' ? 'Select and copy by hand' : ''}
          </span>
          <button
            type="button"
            onClick={() => void copy()}
            aria-describedby={`${id}-label`}
            className={secondaryButton}
          >
            Copy {label}
          </button>
        </div>
      </div>
      <pre
        id={id}
        aria-labelledby={`${id}-label`}
        className={`${codeBlock} whitespace-pre-wrap break-all border-slate-200 bg-slate-50`}
      >
        {text}
      </pre>
    </figure>
  );
}
