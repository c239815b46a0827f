import type { RunError } from './runLogView';
import { StackTrace } from './StackTrace';

interface RunErrorViewProps {
  error: RunError;
  label?: string;
  /** When given, positions in the action's code are links to them. */
  onReveal?: (line: number, column: number) => void;
}

/** The error a run ended with: name and message up front, the stack below for debugging. */
export function RunErrorView({ error, label = 'Error', onReveal }: RunErrorViewProps) {
  return (
    <figure className="min-w-0" aria-label={label}>
      <figcaption className="mb-1 text-xs font-medium uppercase tracking-wide text-red-700">
        {label}
      </figcaption>
      <p className="font-mono text-sm text-red-800">
        <span className="font-semibold">{error.name}</span>
        {error.message ? `: ${error.message}` : null}
      </p>
      {error.stack ? <StackTrace stack={error.stack} onReveal={onReveal} /> : null}
    </figure>
  );
}
