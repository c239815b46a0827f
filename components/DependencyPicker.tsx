'use client';

import { approvedLibraries } from '@/server/actions/libraries';
import { packages, serverRefusal } from '@/server/actions/packages';
import type { Environment } from '@/server/triggers/types';

import { FieldError } from './Field';
import { captionText } from './styles';

interface DependencyPickerProps {
  dependencies: string[];
  environment: Environment;
  /** From the execute lint: packages the code uses, and listed ones it never uses. */
  requiredPackages: readonly string[];
  unusedPackages: readonly string[];
  onChange: (dependencies: string[]) => void;
  error: string | null;
}

/** Platform packages and approved libraries, with what the code actually uses marked. */
export function DependencyPicker(props: DependencyPickerProps) {
  const { dependencies, environment, requiredPackages, unusedPackages, onChange, error } = props;
  const toggle = (name: string, checked: boolean) =>
    onChange(checked ? [...dependencies, name] : dependencies.filter((d) => d !== name));

  return (
    <fieldset
      className="grid min-w-0 gap-3 rounded border border-slate-200 p-3"
      aria-describedby={error ? 'dependencies-error' : undefined}
    >
      <legend className="px-1 text-sm font-semibold">Dependencies</legend>
      <div role="group" aria-labelledby="packages-heading" className="grid gap-1.5">
        <h3 id="packages-heading" className={captionText}>
          Platform packages
        </h3>
        {packages.map((entry) => {
          const checked = dependencies.includes(entry.name);
          const missing = !checked && requiredPackages.includes(entry.name);
          const unused = checked && unusedPackages.includes(entry.name);
          // Only worth a warning once chosen: unchosen, it is a hint about what the package needs.
          const browserOnly = environment === 'server' ? serverRefusal(entry) : null;
          return (
            <Choice
              key={entry.name}
              id={`dependency-${entry.name}`}
              label={entry.name}
              description={`Fliplet.${entry.namespace}: ${entry.description}`}
              checked={checked}
              onChange={(value) => toggle(entry.name, value)}
              note={
                missing
                  ? { tone: 'error', text: `The code uses Fliplet.${entry.namespace}; select it.` }
                  : unused
                    ? { tone: 'warning', text: `The code never uses Fliplet.${entry.namespace}.` }
                    : browserOnly
                      ? { tone: checked ? 'warning' : 'hint', text: browserOnly }
                      : null
              }
            />
          );
        })}
      </div>
      <div role="group" aria-labelledby="libraries-heading" className="grid gap-1.5">
        <h3 id="libraries-heading" className={captionText}>
          Approved libraries
        </h3>
        {approvedLibraries.map((library) => (
          <Choice
            key={library.url}
            id={`dependency-${library.name}`}
            label={`${library.name} ${library.version}`}
            description={library.url}
            checked={dependencies.includes(library.url)}
            onChange={(value) => toggle(library.url, value)}
            note={null}
          />
        ))}
      </div>
      <FieldError id="dependencies-error" message={error} />
    </fieldset>
  );
}

const noteTones = {
  error: 'text-red-700',
  warning: 'text-amber-700',
  hint: 'text-slate-500',
};

interface ChoiceProps {
  id: string;
  label: string;
  description: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  note: { tone: keyof typeof noteTones; text: string } | null;
}

function Choice({ id, label, description, checked, onChange, note }: ChoiceProps) {
  const noteId = `${id}-note`;
  return (
    <div className="flex min-w-0 items-start gap-2">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
        aria-describedby={`${id}-description${note ? ` ${noteId}` : ''}`}
        className="mt-1 h-4 w-4 accent-indigo-600"
      />
      <div className="min-w-0 text-sm">
        <label htmlFor={id} className="font-mono font-medium">
          {label}
        </label>
        <p id={`${id}-description`} className="truncate text-xs text-slate-500" title={description}>
          {description}
        </p>
        {note ? (
          <p
            id={noteId}
            className={`text-xs ${noteTones[note.tone]}`}
          >
            {note.text}
          </p>
        ) : null}
      </div>
    </div>
  );
}
