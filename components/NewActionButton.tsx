'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';

import { productErrorOf } from './productError';
import { useTRPC } from './TrpcProvider';
import { primaryButton } from './styles';

const TEMPLATE = `// Runs on demand; try it in the test panel with a payload like { "name": "Ada" }.
async function execute(context) {
  const name = context.payload.name || 'world';
  return { message: \`Hello, \${name}!\` };
}
`;

const ATTEMPTS = 5;

/** The first free name of the form new-action, new-action-2, … among the names we know. */
function freeName(taken: ReadonlySet<string>): string {
  for (let n = 1; ; n += 1) {
    const name = n === 1 ? 'new-action' : `new-action-${n}`;
    if (!taken.has(name)) return name;
  }
}

/**
 * Creates an active, on-demand hello-world action and opens it. The list we know may be one
 * page of many, so a name taken elsewhere is retried with the next number.
 */
export function NewActionButton({ appId, takenNames }: { appId: number; takenNames: string[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const create = useMutation(trpc.actions.create.mutationOptions());
  const [error, setError] = useState<string | null>(null);

  const createAction = async () => {
    setError(null);
    const taken = new Set(takenNames);
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const name = freeName(taken);
      try {
        const action = await create.mutateAsync({
          appId,
          data: {
            name,
            code: TEMPLATE,
            active: true,
            environment: 'server',
            triggers: [{ trigger: 'manual' }],
          },
        });
        void queryClient.invalidateQueries({ queryKey: trpc.actions.list.queryKey() });
        router.push(`/apps/${appId}/actions/${action.id}`);
        return;
      } catch (failure) {
        const problem = productErrorOf(failure);
        if (problem.status !== 'NAME_ALREADY_EXISTS') {
          setError(problem.message);
          return;
        }
        taken.add(name);
      }
    }
    setError('Could not find a free name for the new action; rename an existing new-action.');
  };

  return (
    <div className="grid justify-items-end gap-1">
      <button
        type="button"
        onClick={() => void createAction()}
        disabled={create.isPending}
        className={primaryButton}
      >
        {create.isPending ? 'Creating…' : 'New action'}
      </button>
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
