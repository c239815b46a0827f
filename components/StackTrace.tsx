import { stackParts } from './stackFrames';
import { codeBlock } from './styles';

interface StackTraceProps {
  stack: string;
  /** Moves the editor's cursor; without it positions are plain text (e.g. in the log list). */
  onReveal?: (line: number, column: number) => void;
}

/** A stack trace whose `action.js:LINE:COL` positions jump to that place in the code. */
export function StackTrace({ stack, onReveal }: StackTraceProps) {
  return (
    <pre
      aria-label="Stack trace"
      className={`${codeBlock} mt-1 border-red-200 bg-red-50 text-red-900`}
    >
      {stackParts(stack).map((part, index) =>
        part.kind === 'position' && onReveal ? (
          <button
            key={index}
            type="button"
            onClick={() => onReveal(part.line, part.column)}
            aria-label={`Go to line ${part.line}, column ${part.column} of the code`}
            className="font-semibold text-indigo-700 underline hover:text-indigo-900"
          >
            {part.text}
          </button>
        ) : (
          <span key={index}>{part.text}</span>
        ),
      )}
    </pre>
  );
}
