'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import { isRole } from '@/server/auth/permissions';

import { FieldError, inputClass } from '../Field';
import { formatTime } from '../formatters';
import { productErrorOf } from '../productError';
import { captionText, primaryButton, secondaryButton } from '../styles';
import { useTRPC } from '../TrpcProvider';
import { NotAdmin } from './NotAdmin';
import { useAdminOrganization } from './useAdminOrganization';
import { roleOptions } from './UsersAdmin';

/** Settings → API tokens: create (shown once), list and revoke the organisation's tokens. */
export function TokensAdmin({ organizationId }: { organizationId: number | null }) {
  const { pending, current, apps } = useAdminOrganization(organizationId);
  if (!current) return <NotAdmin pending={pending} />;
  return <Tokens organizationId={current.id} apps={apps} />;
}

function Tokens({
  organizationId,
  apps,
}: {
  organizationId: number;
  apps: { id: number; name: string }[];
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tokens = useQuery(trpc.tokens.list.queryOptions({ organizationId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() });
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: (result) => {
        setCreated({ name: result.name, token: result.token });
        void refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.tokens.revoke.mutationOptions({ onSuccess: refresh }));
  const scopeName = (appId: number | null) =>
    appId === null
      ? 'all apps of the organisation'
      : (apps.find((app) => app.id === appId)?.name ?? `App ${appId}`);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const role = String(form.get('role'));
    const scope = String(form.get('scope'));
    if (!isRole(role)) return;
    setCreated(null);
    create.mutate({
      organizationId,
      name: String(form.get('name') ?? ''),
      role,
      appId: scope === 'organization' ? undefined : Number(scope),
    });
    event.currentTarget.reset();
  }

  return (
    <div className="grid gap-6">
      <section aria-labelledby="new-token-heading" className="grid max-w-xl gap-2">
        <h2 id="new-token-heading" className="text-lg font-semibold">
          New API token
        </h2>
        <p className="text-sm text-slate-600">
          Apps and scripts send it in the <code>Auth-token</code> header of REST calls. Its role
          bounds what it may do, as for a person with that role.
        </p>
        <form className="grid gap-2" onSubmit={submit}>
          <label className="grid gap-1 text-sm font-medium">
            Name
            <input name="name" required maxLength={100} className={inputClass(false)} />
          </label>
          <label className="grid gap-1 text-sm font-medium">
            Reaches
            <select name="scope" className={inputClass(false)} defaultValue="organization">
              <option value="organization">All apps of the organisation</option>
              {apps.map((app) => (
                <option key={app.id} value={app.id}>
                  Only {app.name}
                </option>
              ))}
            </select>
          </label>
          <label className="grid gap-1 text-sm font-medium">
            Role
            <select name="role" className={inputClass(false)} defaultValue="builder">
              {roleOptions.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          </label>
          {create.error ? <FieldError message={productErrorOf(create.error).message} /> : null}
          <div>
            <button type="submit" className={primaryButton} disabled={create.isPending}>
              Create token
            </button>
          </div>
        </form>
        {created ? (
          <div role="status" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm">
            <p>
              Token <strong>{created.name}</strong> created. Copy it now: it is shown only once
              and stored only as a hash.
            </p>
            <code aria-label="New token" className="mt-1 block select-all break-all font-mono">
              {created.token}
            </code>
          </div>
        ) : null}
      </section>
      <section aria-labelledby="tokens-heading" className="grid gap-2">
        <h2 id="tokens-heading" className="text-lg font-semibold">
          Tokens
        </h2>
        {tokens.isError ? (
          <p role="alert" className="text-red-700">
            {productErrorOf(tokens.error).message}
          </p>
        ) : null}
        {revoke.error ? <FieldError message={productErrorOf(revoke.error).message} /> : null}
        <table className="w-full border-collapse text-left text-sm" aria-label="API tokens">
          <thead>
            <tr className={captionText}>
              <th className="py-1">Name</th>
              <th className="py-1">Reaches</th>
              <th className="py-1">Role</th>
              <th className="py-1">Created</th>
              <th className="py-1">Status</th>
              <th className="py-1" aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {(tokens.data ?? []).map((token) => (
              <tr key={token.id} className="border-t border-slate-200">
                <td className="py-2 font-medium">{token.name}</td>
                <td className="py-2">{scopeName(token.appId)}</td>
                <td className="py-2">{token.role}</td>
                <td className="py-2">{formatTime(token.createdAt)}</td>
                <td className="py-2">
                  {token.revokedAt ? `revoked ${formatTime(token.revokedAt)}` : 'active'}
                </td>
                <td className="py-2 text-right">
                  {token.revokedAt ? null : (
                    <button
                      type="button"
                      className={secondaryButton}
                      aria-label={`Revoke ${token.name}`}
                      onClick={() => {
                        if (window.confirm(`Revoke ${token.name}? Calls with it will fail.`)) {
                          revoke.mutate({ organizationId, id: token.id });
                        }
                      }}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
