'use client';

import { DiffEditor, type DiffOnMount } from '@monaco-editor/react';
import { useState } from 'react';

import './monacoLoader';
import { captionText } from './styles';

interface DiffViewProps {
  /** What is compared, e.g. "Code"; also names the region for screen readers. */
  label: string;
  original: string;
  modified: string;
  language: 'javascript' | 'json';
  originalLabel: string;
  modifiedLabel: string;
}

/**
 * A read-only side-by-side diff (Monaco's diff editor). Equal texts need no editor: a line
 * saying so is quicker to read and to check.
 */
export function DiffView(props: DiffViewProps) {
  const { label, original, modified, language } = props;
  const [changes, setChanges] = useState<number | null>(null);
  const onMount: DiffOnMount = (diff) => {
    // The wrapper would dispose the models before the diff editor lets go of them (Monaco
    // then throws); it keeps them instead, and they go once the editor itself is disposed.
    const models = diff.getModel();
    diff.onDidDispose(() => {
      models?.original.dispose();
      models?.modified.dispose();
    });
    const count = () => {
      const lines = diff.getLineChanges();
      if (lines) setChanges(lines.length);
    };
    // The first diff may be computed before this callback runs, so look once right away too.
    diff.onDidUpdateDiff(count);
    count();
  };
  const same = original === modified;
  return (
    <figure role="group" aria-label={`${label} diff`} className="grid min-w-0 gap-1">
      <figcaption className="flex flex-wrap justify-between gap-2">
        <span className={captionText}>{label}</span>
        <span className="text-xs text-slate-600" aria-live="polite">
          {same
            ? `No differences in ${label.toLowerCase()}`
            : changes === null
              ? 'Comparing…'
              : `${changes} changed ${changes === 1 ? 'region' : 'regions'}`}
        </span>
      </figcaption>
      {same ? null : (
        <>
          <p className="flex justify-between text-xs text-slate-500">
            <span>{props.originalLabel}</span>
            <span>{props.modifiedLabel}</span>
          </p>
          <div className="h-72 overflow-hidden rounded border border-slate-300">
            <DiffEditor
              original={original}
              modified={modified}
              language={language}
              onMount={onMount}
              keepCurrentOriginalModel
              keepCurrentModifiedModel
              loading={<p className="p-3 text-sm text-slate-500">Loading the diff…</p>}
              options={{
                readOnly: true,
                originalEditable: false,
                renderSideBySide: true,
                automaticLayout: true,
                minimap: { enabled: false },
                scrollBeyondLastLine: false,
                fontSize: 12,
                ariaLabel: `${label}: ${props.modifiedLabel}`,
                originalAriaLabel: `${label}: ${props.originalLabel}`,
              }}
            />
          </div>
        </>
      )}
    </figure>
  );
}
