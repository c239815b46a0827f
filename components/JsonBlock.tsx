import { formatJson } from './formatters';
import { captionText, codeBlock } from './styles';

/** A labelled, scrollable block of pretty-printed JSON. */
export function JsonBlock({ label, value }: { label: string; value: unknown }) {
  return (
    <figure className="min-w-0">
      <figcaption className={`mb-1 ${captionText}`}>
        {label}
      </figcaption>
      <pre
        aria-label={label}
        className={`${codeBlock} border-slate-200 bg-slate-50 text-slate-800`}
      >
        {formatJson(value)}
      </pre>
    </figure>
  );
}
