'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';

import { productErrorOf } from './productError';
import { useTRPC } from './TrpcProvider';
import { secondaryButton } from './styles';

interface PublishControlProps {
  appId: number;
  actionId: number;
  /** When the production version was last written, or null when there is none. */
  publishedAt: string | null;
  dirty: boolean;
}

/** Copies the saved master to production (what live apps, schedules and log triggers run). */
export function PublishControl({ appId, actionId, publishedAt, dirty }: PublishControlProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.actions.get.queryKey() });
  const publish = useMutation(trpc.actions.publish.mutationOptions({ onSuccess: refresh }));
  const unpublish = useMutation(trpc.actions.unpublish.mutationOptions({ onSuccess: refresh }));
  const failure = publish.error ?? unpublish.error;
  const busy = publish.isPending || unpublish.isPending;

  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <span className={publishedAt ? 'text-emerald-700' : 'text-slate-500'}>
        {publishedAt ? 'Published' : 'Not published'}
      </span>
      <button
        type="button"
        disabled={busy || dirty}
        title={dirty ? 'Save first: publishing copies the saved version' : undefined}
        onClick={() => {
          unpublish.reset();
          publish.mutate({ appId, id: actionId });
        }}
        className={secondaryButton}
      >
        {publishedAt ? 'Publish again' : 'Publish'}
      </button>
      {publishedAt ? (
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            publish.reset();
            unpublish.mutate({ appId, id: actionId });
          }}
          className="rounded px-2 py-1.5 text-slate-600 hover:bg-slate-100 disabled:opacity-50"
        >
          Unpublish
        </button>
      ) : null}
      {failure ? (
        <p role="alert" className="basis-full text-red-700">
          {productErrorOf(failure).message}
        </p>
      ) : null}
    </div>
  );
}
