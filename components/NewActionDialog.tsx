'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';

import { actionTemplates, defaultTemplate, type ActionTemplate } from '@/server/actions/templates';

import { Dialog } from './Dialog';
import { FieldError, inputClass } from './Field';
import { productErrorOf } from './productError';
import { useTRPC } from './TrpcProvider';
import { primaryButton, secondaryButton } from './styles';

/** The first free name of the form base, base-2, … among the names we know. */
export function freeName(base: string, taken: readonly string[]): string {
  for (let n = 1; ; n += 1) {
    const name = n === 1 ? base : `${base}-${n}`;
    if (!taken.includes(name)) return name;
  }
}

interface NewActionDialogProps {
  appId: number;
  takenNames: string[];
  onClose: () => void;
}

/**
 * Pick how the action starts (a template with working code and settings) and name it; the
 * action is created and opened. A taken name is the server's call: its message shows here.
 */
export function NewActionDialog({ appId, takenNames, onClose }: NewActionDialogProps) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [template, setTemplate] = useState<ActionTemplate>(defaultTemplate);
  const [name, setName] = useState(() => freeName(template.suggestedName, takenNames));
  const [nameEdited, setNameEdited] = useState(false);
  const create = useMutation(trpc.actions.create.mutationOptions());
  const error = create.error ? productErrorOf(create.error) : null;

  const pick = (next: ActionTemplate) => {
    setTemplate(next);
    // A name the user typed is kept; a suggestion follows the template.
    if (!nameEdited) setName(freeName(next.suggestedName, takenNames));
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const action = await create
      .mutateAsync({ appId, data: { ...template.fields, name: name.trim() } })
      .catch(() => null);
    if (!action) return;
    void queryClient.invalidateQueries({ queryKey: trpc.actions.overview.queryKey() });
    router.push(`/apps/${appId}/actions/${action.id}`);
  };

  return (
    <Dialog title="New action" onClose={onClose}>
      <form onSubmit={(event) => void submit(event)} className="grid gap-4">
        <fieldset className="grid gap-2">
          <legend className="mb-1 text-sm font-medium">Start from</legend>
          {actionTemplates.map((option) => (
            <label
              key={option.id}
              className={`flex cursor-pointer gap-2 rounded border p-2 text-sm ${
                option.id === template.id ? 'border-indigo-500 bg-indigo-50' : 'border-slate-200'
              }`}
            >
              <input
                type="radio"
                name="template"
                value={option.id}
                checked={option.id === template.id}
                onChange={() => pick(option)}
                aria-describedby={`template-${option.id}-description`}
                className="mt-1 accent-indigo-600"
              />
              <span>
                <span className="font-medium">{option.title}</span>
                <span id={`template-${option.id}-description`} className="block text-slate-600">
                  {option.description}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
        <div className="grid gap-1">
          <label htmlFor="new-action-name" className="text-sm font-medium">
            Name
          </label>
          <input
            id="new-action-name"
            type="text"
            value={name}
            onChange={(event) => {
              setName(event.target.value);
              setNameEdited(true);
            }}
            aria-invalid={Boolean(error)}
            aria-describedby={`new-action-name-hint${error ? ' new-action-name-error' : ''}`}
            autoComplete="off"
            spellCheck={false}
            className={inputClass(Boolean(error))}
          />
          <p id="new-action-name-hint" className="text-xs text-slate-500">
            Letters, numbers, dashes and underscores; unique in the app.
          </p>
          <FieldError id="new-action-name-error" message={error?.message} />
        </div>
        <div className="flex justify-end gap-2">
          <button type="button" onClick={onClose} className={secondaryButton}>
            Cancel
          </button>
          <button type="submit" disabled={create.isPending} className={primaryButton}>
            {create.isPending ? 'Creating…' : 'Create and open'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
