'use client';

import Editor, { type OnMount } from '@monaco-editor/react';
import type { editor, IDisposable } from 'monaco-editor';
import { useEffect, useRef, useState } from 'react';

import type { LintIssue } from '@/server/actions/lint';
import { ACTION_TYPINGS_PATH } from '@/server/actions/typings';

import type { MonacoApi } from './monacoApi';
import './monacoLoader';
import { registerQuickFixes, type DependencyChange } from './monacoQuickFixes';

/** Marker owner for the execute lint, so its markers never clash with Monaco's own. */
export const LINT_OWNER = 'action-lint';
export const LINT_SOURCE = 'execute lint';

/** What the rest of the page may do to the editor once it is up. */
export interface CodeEditorHandle {
  /** Puts the cursor on a position (1-based) and shows it, e.g. from a stack trace link. */
  reveal: (line: number, column: number) => void;
  /** Replaces the whole text as one undoable edit (a restored version). */
  replaceCode: (code: string) => void;
}

interface Mounted {
  editor: editor.IStandaloneCodeEditor;
  monaco: MonacoApi;
}

interface CodeEditorProps {
  /** The code when the editor opens; from then on Monaco's model holds the text. */
  initialValue: string;
  onChange: (value: string) => void;
  errors: readonly LintIssue[];
  warnings: readonly LintIssue[];
  /** Type definitions for this action (typings.ts), for completion and hover docs. */
  typings: string;
  /** A quick fix that changes the dependency list instead of the code. */
  onDependencyChange: (change: DependencyChange) => void;
  onReady?: (handle: CodeEditorHandle) => void;
  /** Accessible name of the editing area. */
  label: string;
  /** Id of an element describing the code's problems, for assistive technology. */
  describedBy?: string;
  /** For roles that may read the code but not change it. */
  readOnly?: boolean;
}

export function CodeEditor(props: CodeEditorProps) {
  const { initialValue, onChange, errors, warnings, typings, label, describedBy } = props;
  const [mounted, setMounted] = useState<Mounted>();
  // The quick-fix provider lives as long as the editor and reads the newest values from here.
  const { onDependencyChange } = props;
  const latest = useRef({ issues: [...errors, ...warnings], onDependencyChange });
  useEffect(() => {
    latest.current = { issues: [...errors, ...warnings], onDependencyChange };
  });

  const onMount: OnMount = (instance, loaded) => {
    const monaco: MonacoApi = loaded;
    if (describedBy) instance.getDomNode()?.setAttribute('aria-describedby', describedBy);
    setMounted({ editor: instance, monaco });
    props.onReady?.(handleFor(instance));
  };

  useEffect(() => {
    if (!mounted) return;
    const disposable = registerQuickFixes(mounted.monaco, mounted.editor, {
      issues: () => latest.current.issues,
      onDependencyChange: (change) => latest.current.onDependencyChange(change),
      source: LINT_SOURCE,
    });
    return () => disposable.dispose();
  }, [mounted]);

  useTypings(mounted?.monaco, typings);

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
    <div
      data-editor-ready={mounted ? 'true' : 'false'}
      className="h-[28rem] overflow-hidden rounded-lg border border-slate-300 bg-white"
    >
      {/*
        Uncontrolled on purpose: with a `value` prop the wrapper writes React's (one render
        late) copy back into the model while keys are still arriving, dropping keystrokes and
        moving the caret. Monaco owns the text; edits from outside go through the handle.
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
          readOnly: props.readOnly ?? false,
        }}
      />
    </div>
  );
}

function handleFor(instance: editor.IStandaloneCodeEditor): CodeEditorHandle {
  return {
    reveal: (line, column) => {
      instance.setPosition({ lineNumber: line, column });
      instance.revealPositionInCenter({ lineNumber: line, column });
      instance.focus();
    },
    replaceCode: (code) => {
      const model = instance.getModel();
      if (!model || model.getValue() === code) return;
      instance.pushUndoStop();
      instance.executeEdits('restore', [{ range: model.getFullModelRange(), text: code }]);
      instance.pushUndoStop();
    },
  };
}

/**
 * Hands the action's type definitions to Monaco's JavaScript service, replacing the previous
 * ones when triggers or dependencies change. Plain JavaScript is not type-checked (no
 * checkJs): the definitions feed completion and hover docs without flagging working code.
 */
function useTypings(monaco: MonacoApi | undefined, typings: string): void {
  const current = useRef<IDisposable | null>(null);
  useEffect(() => {
    if (!monaco) return;
    current.current?.dispose();
    const defaults = monaco.typescript.javascriptDefaults;
    current.current = defaults.addExtraLib(typings, ACTION_TYPINGS_PATH);
  }, [monaco, typings]);
  useEffect(
    () => () => {
      current.current?.dispose();
      current.current = null;
    },
    [],
  );
}

function toMarker(issue: LintIssue, severity: number): editor.IMarkerData {
  return {
    severity,
    message: issue.message,
    code: issue.code,
    source: LINT_SOURCE,
    startLineNumber: issue.line,
    startColumn: issue.column,
    endLineNumber: issue.endLine,
    // An empty span (a position, not a range) would draw nothing; widen it to one character.
    endColumn: issue.endLine === issue.line && issue.endColumn <= issue.column
      ? issue.column + 1
      : issue.endColumn,
  };
}
