import type { editor, IDisposable, languages } from 'monaco-editor';

import type { LintIssue } from '@/server/actions/lint';

import type { MonacoApi } from './monacoApi';
import {
  contextTypeHintFix,
  executeLineRange,
  handlebarsFix,
  type OffsetEdit,
} from './quickFixes';

export type DependencyChange = { add: string } | { remove: string };

interface QuickFixSources {
  /** The current lint findings (errors and warnings). */
  issues: () => readonly LintIssue[];
  onDependencyChange: (change: DependencyChange) => void;
  /** The `source` our lint markers carry, to tell them from Monaco's own diagnostics. */
  source: string;
}

let commandCount = 0;

/**
 * Quick fixes (Ctrl+. or the light bulb) for the execute lint's findings in one editor:
 * Handlebars to a template literal, add a missing package, drop an unused one, and type
 * `context` with a JSDoc line. Dependency fixes run a command that updates the picker's state;
 * the code is not touched.
 */
export function registerQuickFixes(
  monaco: MonacoApi,
  instance: editor.IStandaloneCodeEditor,
  sources: QuickFixSources,
): IDisposable {
  // Commands are global in Monaco; a fresh id per editor keeps two editors apart.
  const commandId = `action-editor.dependency.${(commandCount += 1)}`;
  const command = monaco.editor.registerCommand(commandId, (_: unknown, change: unknown) => {
    if (isDependencyChange(change)) sources.onDependencyChange(change);
  });
  const provider = monaco.languages.registerCodeActionProvider('javascript', {
    provideCodeActions: (model, range, context) => {
      if (model !== instance.getModel()) return { actions: [], dispose: () => undefined };
      const fromMarkers = context.markers
        .filter((marker) => marker.source === sources.source)
        .flatMap((marker) => {
          const issue = sources.issues().find((candidate) => matches(candidate, marker));
          return issue ? fixesFor(issue, marker, model, commandId) : [];
        });
      const hint = typeHint(model, range);
      return { actions: hint ? [...fromMarkers, hint] : fromMarkers, dispose: () => undefined };
    },
  }, { providedCodeActionKinds: ['quickfix', 'refactor.rewrite'] });
  return {
    dispose: () => {
      provider.dispose();
      command.dispose();
    },
  };
}

function isDependencyChange(value: unknown): value is DependencyChange {
  if (typeof value !== 'object' || value === null) return false;
  return ('add' in value && typeof value.add === 'string') ||
    ('remove' in value && typeof value.remove === 'string');
}

function matches(issue: LintIssue, marker: editor.IMarkerData): boolean {
  const code = typeof marker.code === 'string' ? marker.code : marker.code?.value;
  return (
    issue.code === code &&
    issue.line === marker.startLineNumber &&
    issue.column === marker.startColumn
  );
}

function fixesFor(
  issue: LintIssue,
  marker: editor.IMarkerData,
  model: editor.ITextModel,
  commandId: string,
): languages.CodeAction[] {
  const name = issue.data?.package;
  if (issue.code === 'missing-dependency' && name) {
    return [dependencyFix(`Add ${name} to dependencies`, { add: name }, marker, commandId)];
  }
  if (issue.code === 'unused-dependency' && name) {
    return [dependencyFix(`Remove ${name} from dependencies`, { remove: name }, marker, commandId)];
  }
  if (issue.code === 'handlebars') {
    const offset = model.getOffsetAt({ lineNumber: issue.line, column: issue.column });
    const edit = handlebarsFix(model.getValue(), offset);
    if (!edit) return [];
    return [editFix('Use a template literal instead of Handlebars', edit, model, marker)];
  }
  return [];
}

function dependencyFix(
  title: string,
  change: DependencyChange,
  marker: editor.IMarkerData,
  commandId: string,
): languages.CodeAction {
  return {
    title,
    kind: 'quickfix',
    diagnostics: [marker],
    isPreferred: true,
    command: { id: commandId, title, arguments: [change] },
  };
}

function editFix(
  title: string,
  edit: OffsetEdit,
  model: editor.ITextModel,
  marker?: editor.IMarkerData,
): languages.CodeAction {
  const start = model.getPositionAt(edit.start);
  const end = model.getPositionAt(edit.end);
  return {
    title,
    kind: marker ? 'quickfix' : 'refactor.rewrite',
    diagnostics: marker ? [marker] : undefined,
    isPreferred: Boolean(marker),
    edit: {
      edits: [
        {
          resource: model.uri,
          versionId: model.getVersionId(),
          textEdit: {
            range: {
              startLineNumber: start.lineNumber,
              startColumn: start.column,
              endLineNumber: end.lineNumber,
              endColumn: end.column,
            },
            text: edit.text,
          },
        },
      ],
    },
  };
}

/** Offered on the line that declares execute, while `context` has no type yet. */
function typeHint(model: editor.ITextModel, range: { startLineNumber: number }) {
  const code = model.getValue();
  const line = executeLineRange(code);
  const edit = contextTypeHintFix(code);
  if (!line || !edit) return null;
  if (model.getPositionAt(line.start).lineNumber !== range.startLineNumber) return null;
  return editFix('Type context for completion (adds a JSDoc line)', edit, model);
}
