import type { RunError } from './runLogView';
import { codeBlock } from './styles';

/** The error a run ended with: name and message up front, the stack below for debugging. */
export function RunErrorView({ error, label = 'Error' }: { error: RunError; label?: string }) {
  return (
    <figure className="min-w-0" aria-label={label}>
      <figcaption className="mb-1 text-xs font-medium uppercase tracking-wide text-red-700">
        {label}
      </figcaption>
      <p className="font-mono text-sm text-red-800">
        <span className="font-semibold">{error.name}</span>
        {error.message ? `: ${error.message}` : null}
      </p>
      {error.stack ? (
        <pre
          aria-label="Stack trace"
          className={`${codeBlock} mt-1 border-red-200 bg-red-50 text-red-900`}
        >
          {error.stack}
        </pre>
      ) : null}
    </figure>
  );
}
