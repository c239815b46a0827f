'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import { isRole, roles, type Role } from '@/server/auth/permissions';

import { FieldError, inputClass } from '../Field';
import { productErrorOf } from '../productError';
import { captionText, primaryButton, secondaryButton } from '../styles';
import { useTRPC } from '../TrpcProvider';
import { NotAdmin } from './NotAdmin';
import { useAdminOrganization } from './useAdminOrganization';

export const roleOptions: { value: Role; label: string }[] = [
  { value: 'admin', label: 'Admin: everything, and users and tokens' },
  { value: 'builder', label: 'Builder: edit, test, publish, re-run' },
  { value: 'support', label: 'Support: read code and logs, re-run' },
  { value: 'viewer', label: 'Viewer: read only' },
];

/** Settings → Users: the organisation's people, their roles, and adding someone. */
export function UsersAdmin({ organizationId }: { organizationId: number | null }) {
  const { pending, current, apps } = useAdminOrganization(organizationId);
  if (!current) return <NotAdmin pending={pending} />;
  return <Members organizationId={current.id} apps={apps} />;
}

interface AppChoice {
  id: number;
  name: string;
}

function Members({ organizationId, apps }: { organizationId: number; apps: AppChoice[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.users.list.queryOptions({ organizationId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  const setRole = useMutation(trpc.users.setRole.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.users.remove.mutationOptions({ onSuccess: refresh }));
  const failure = setRole.error ?? remove.error;
  const appName = (id: number) => apps.find((app) => app.id === id)?.name ?? `App ${id}`;

  return (
    <div className="grid gap-6">
      <section aria-labelledby="members-heading" className="grid gap-2">
        <h2 id="members-heading" className="text-lg font-semibold">
          Users
        </h2>
        {members.isError ? (
          <p role="alert" className="text-red-700">
            {productErrorOf(members.error).message}
          </p>
        ) : null}
        {failure ? <FieldError message={productErrorOf(failure).message} /> : null}
        <table className="w-full border-collapse text-left text-sm" aria-label="Users">
          <thead>
            <tr className={captionText}>
              <th className="py-1">Email</th>
              <th className="py-1">Organisation role</th>
              <th className="py-1">Roles on single apps</th>
              <th className="py-1" aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {(members.data ?? []).map((member) => (
              <tr key={member.id} className="border-t border-slate-200 align-top">
                <td className="py-2">
                  <div className="font-medium">{member.email}</div>
                  <div className="text-xs text-slate-500">{member.name}</div>
                </td>
                <td className="py-2">
                  {member.role ? (
                    <select
                      aria-label={`Organisation role of ${member.email}`}
                      className="rounded border border-slate-300 px-2 py-1"
                      value={member.role}
                      onChange={(event) => {
                        const role = event.target.value;
                        if (isRole(role)) {
                          setRole.mutate({ organizationId, userId: member.id, role });
                        }
                      }}
                    >
                      {roles.map((role) => (
                        <option key={role} value={role}>
                          {role}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <span className="text-slate-500">none (single apps only)</span>
                  )}
                </td>
                <td className="py-2">
                  <ul className="grid gap-1">
                    {member.appRoles.map((entry) => (
                      <li key={entry.appId} className="flex items-center gap-2">
                        {appName(entry.appId)}: {entry.role}
                        <button
                          type="button"
                          className="text-xs text-indigo-700 hover:underline"
                          onClick={() =>
                            setRole.mutate({
                              organizationId,
                              userId: member.id,
                              appId: entry.appId,
                              role: null,
                            })
                          }
                        >
                          Remove
                        </button>
                      </li>
                    ))}
                  </ul>
                </td>
                <td className="py-2 text-right">
                  <button
                    type="button"
                    className={secondaryButton}
                    onClick={() => {
                      if (window.confirm(`Remove ${member.email} from this organisation?`)) {
                        remove.mutate({ organizationId, userId: member.id });
                      }
                    }}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <AddUser organizationId={organizationId} onAdded={refresh} />
      <AppRoleForm
        organizationId={organizationId}
        apps={apps}
        people={(members.data ?? []).map(({ id, email }) => ({ id, email }))}
        onChanged={refresh}
      />
    </div>
  );
}

function AddUser({ organizationId, onAdded }: { organizationId: number; onAdded: () => void }) {
  const trpc = useTRPC();
  const [shown, setShown] = useState<{ email: string; password: string | null } | null>(null);
  const add = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: (result) => {
        setShown({ email: result.email, password: result.generatedPassword });
        onAdded();
      },
    }),
  );

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const role = String(form.get('role'));
    const password = String(form.get('password') ?? '');
    if (!isRole(role)) return;
    setShown(null);
    add.mutate({
      organizationId,
      email: String(form.get('email') ?? ''),
      name: String(form.get('name') ?? ''),
      role,
      password: password === '' ? undefined : password,
    });
    event.currentTarget.reset();
  }

  return (
    <section aria-labelledby="add-user-heading" className="grid max-w-xl gap-2">
      <h2 id="add-user-heading" className="text-lg font-semibold">
        Add a user
      </h2>
      <form className="grid gap-2" onSubmit={submit}>
        <label className="grid gap-1 text-sm font-medium">
          Email
          <input name="email" type="email" required className={inputClass(false)} />
        </label>
        <label className="grid gap-1 text-sm font-medium">
          Name
          <input name="name" required className={inputClass(false)} />
        </label>
        <label className="grid gap-1 text-sm font-medium">
          Role
          <select name="role" defaultValue="builder" className={inputClass(false)}>
            {roleOptions.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        <label className="grid gap-1 text-sm font-medium">
          Password (leave empty to generate one)
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={10}
            className={inputClass(false)}
          />
        </label>
        {add.error ? <FieldError message={productErrorOf(add.error).message} /> : null}
        <div>
          <button type="submit" className={primaryButton} disabled={add.isPending}>
            Add user
          </button>
        </div>
      </form>
      {shown ? (
        <div role="status" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm">
          {shown.password ? (
            <>
              <p>
                Account created for <strong>{shown.email}</strong>. Its password is shown only
                now; pass it on safely:
              </p>
              <code className="mt-1 block select-all font-mono">{shown.password}</code>
            </>
          ) : (
            <p>{shown.email} was added.</p>
          )}
        </div>
      ) : null}
    </section>
  );
}

function AppRoleForm(props: {
  organizationId: number;
  apps: AppChoice[];
  people: { id: string; email: string }[];
  onChanged: () => void;
}) {
  const trpc = useTRPC();
  const change = useMutation(trpc.users.setRole.mutationOptions({ onSuccess: props.onChanged }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const role = String(form.get('role'));
    const appId = Number(form.get('appId'));
    if (!isRole(role) || !Number.isInteger(appId)) return;
    change.mutate({
      organizationId: props.organizationId,
      userId: String(form.get('userId')),
      appId,
      role,
    });
  }

  if (props.apps.length === 0 || props.people.length === 0) return null;
  return (
    <section aria-labelledby="app-role-heading" className="grid max-w-xl gap-2">
      <h2 id="app-role-heading" className="text-lg font-semibold">
        Role on a single app
      </h2>
      <p className="text-sm text-slate-600">
        Replaces the organisation role on that app, higher or lower.
      </p>
      <form className="grid gap-2 sm:grid-cols-3" onSubmit={submit}>
        <select name="userId" aria-label="User" className={inputClass(false)}>
          {props.people.map((person) => (
            <option key={person.id} value={person.id}>
              {person.email}
            </option>
          ))}
        </select>
        <select name="appId" aria-label="App" className={inputClass(false)}>
          {props.apps.map((app) => (
            <option key={app.id} value={app.id}>
              {app.name}
            </option>
          ))}
        </select>
        <select name="role" aria-label="Role on the app" className={inputClass(false)}>
          {roles.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </select>
        <div className="sm:col-span-3">
          <button type="submit" className={secondaryButton} disabled={change.isPending}>
            Set app role
          </button>
        </div>
      </form>
      {change.error ? <FieldError message={productErrorOf(change.error).message} /> : null}
    </section>
  );
}
