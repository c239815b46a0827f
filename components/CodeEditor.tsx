'use client';

import Editor, { loader, type Monaco, type OnMount } from '@monaco-editor/react';
import type { editor } from 'monaco-editor';
import { useEffect, useState } from 'react';

import type { LintIssue } from '@/server/actions/lint';

/*
 * Monaco is loaded from our own origin: app/monaco/[...path] serves monaco-editor/min/vs from
 * node_modules, so the editor works offline and no script comes from a CDN (the loader's
 * default). It must be configured before the first editor mounts, hence module scope.
 */
loader.config({ paths: { vs: '/monaco' } });

/** Marker owner for the execute lint, so its markers never clash with Monaco's own. */
const LINT_OWNER = 'action-lint';

interface Mounted {
  editor: editor.IStandaloneCodeEditor;
  monaco: Monaco;
}

interface CodeEditorProps {
  /** The code when the editor opens; from then on Monaco's model holds the text. */
  initialValue: string;
  onChange: (value: string) => void;
  errors: readonly LintIssue[];
  warnings: readonly LintIssue[];
  /** Accessible name of the editing area. */
  label: string;
  /** Id of an element describing the code's problems, for assistive technology. */
  describedBy?: string;
}

export function CodeEditor(props: CodeEditorProps) {
  const { initialValue, onChange, errors, warnings, label, describedBy } = props;
  const [mounted, setMounted] = useState<Mounted>();

  const onMount: OnMount = (instance, monaco) => {
    if (describedBy) instance.getDomNode()?.setAttribute('aria-describedby', describedBy);
    setMounted({ editor: instance, monaco });
  };

  // Lint results come from the same checks the API runs on save; markers mirror them exactly.
  useEffect(() => {
    if (!mounted) return;
    const model = mounted.editor.getModel();
    if (!model) return;
    const { MarkerSeverity } = mounted.monaco;
    const markers = [
      ...errors.map((issue) => toMarker(issue, MarkerSeverity.Error)),
      ...warnings.map((issue) => toMarker(issue, MarkerSeverity.Warning)),
    ];
    mounted.monaco.editor.setModelMarkers(model, LINT_OWNER, markers);
  }, [mounted, errors, warnings]);

  return (
    <div className="h-[28rem] overflow-hidden rounded-lg border border-slate-300 bg-white">
      {/*
        Uncontrolled on purpose: with a `value` prop the wrapper writes React's (one render
        late) copy back into the model while keys are still arriving, dropping keystrokes and
        moving the caret. Nothing else edits the code, so Monaco can own it.
      */}
      <Editor
        language="javascript"
        defaultValue={initialValue}
        onChange={(next) => onChange(next ?? '')}
        onMount={onMount}
        loading={<p className="p-3 text-sm text-slate-500">Loading the editor…</p>}
        options={{
          ariaLabel: label,
          automaticLayout: true,
          fontSize: 13,
          minimap: { enabled: false },
          scrollBeyondLastLine: false,
          tabSize: 2,
          wordWrap: 'on',
          fixedOverflowWidgets: true,
        }}
      />
    </div>
  );
}

function toMarker(issue: LintIssue, severity: number): editor.IMarkerData {
  return {
    severity,
    message: issue.message,
    code: issue.code,
    source: 'execute lint',
    startLineNumber: issue.line,
    startColumn: issue.column,
    endLineNumber: issue.endLine,
    // An empty span (a position, not a range) would draw nothing; widen it to one character.
    endColumn: issue.endLine === issue.line && issue.endColumn <= issue.column
      ? issue.column + 1
      : issue.endColumn,
  };
}
