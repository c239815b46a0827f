import type { ConsoleLine } from './runLogView';
import { captionText, codeBlock } from './styles';

const levelClass: Record<string, string> = {
  error: 'text-red-300',
  warn: 'text-amber-300',
  info: 'text-sky-300',
};

/** What the action wrote with console.* during a run, in order, with its time offset. */
export function ConsoleOutput({ lines }: { lines: ConsoleLine[] }) {
  return (
    <figure className="min-w-0">
      <figcaption className={`mb-1 ${captionText}`}>
        Console output
      </figcaption>
      {lines.length === 0 ? (
        <p className="text-sm text-slate-500">Nothing was written to the console.</p>
      ) : (
        <ol
          aria-label="Console output"
          className={`${codeBlock} border-slate-900 bg-slate-900 text-slate-100`}
        >
          {lines.map((line, index) => (
            <li key={index} className={`whitespace-pre-wrap ${levelClass[line.level] ?? ''}`}>
              <span className="mr-2 text-slate-400">
                {line.at === null ? '' : `+${line.at}ms`} {line.level}
              </span>
              {line.message}
            </li>
          ))}
        </ol>
      )}
    </figure>
  );
}
