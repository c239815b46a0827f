import type { LintReport } from '@/server/actions/lint';

/**
 * The execute lint's findings as a list beside the editor: the markers in Monaco carry the
 * same messages, but a list is readable without hovering and by screen readers.
 */
export function LintSummary({ id, report }: { id: string; report: LintReport }) {
  const issues = [
    ...report.errors.map((issue) => ({ ...issue, severity: 'error' as const })),
    ...report.warnings.map((issue) => ({ ...issue, severity: 'warning' as const })),
  ];
  return (
    <div id={id} className="text-sm">
      {issues.length === 0 ? (
        <p className="text-emerald-700">No problems found in the code.</p>
      ) : (
        <>
          <h3 className="font-medium">
            Problems: {report.errors.length} error{report.errors.length === 1 ? '' : 's'},{' '}
            {report.warnings.length} warning{report.warnings.length === 1 ? '' : 's'}
          </h3>
          <ul aria-label="Code problems" className="mt-1 grid gap-0.5">
            {issues.map((issue, index) => (
              <li
                key={`${issue.code}-${index}`}
                className={issue.severity === 'error' ? 'text-red-700' : 'text-amber-700'}
              >
                <span className="font-semibold">
                  {issue.severity === 'error' ? 'Error' : 'Warning'}
                </span>{' '}
                <span className="font-mono text-xs">
                  {issue.line}:{issue.column}
                </span>{' '}
                {issue.message}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
