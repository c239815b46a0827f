'use client';

import { useState, type FormEvent } from 'react';

import { FieldError, inputClass } from '../Field';
import { isRecord } from '../isRecord';
import { primaryButton } from '../styles';

/** What better-auth answers when sign-in fails, in words for the person at the form. */
async function failureMessage(response: Response): Promise<string> {
  const body: unknown = await response.json().catch(() => null);
  const message = isRecord(body) && typeof body.message === 'string' ? body.message : null;
  if (response.status === 401) return 'The email or the password is not right.';
  if (response.status === 429) return message ?? 'Too many attempts. Wait a minute and try again.';
  if (response.status === 403) {
    return 'This address is not one the server trusts. Open the app at its configured address.';
  }
  return message ?? `Signing in failed (${response.status}).`;
}

const card = 'mx-auto mt-16 grid max-w-sm gap-4 rounded-lg border border-slate-200 bg-white p-6';

/** Email + password sign-in; on success the browser loads `next` with the new session cookie. */
export function SignInForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const response = await fetch('/api/auth/sign-in/email', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: form.get('email'), password: form.get('password') }),
      });
      if (!response.ok) {
        setError(await failureMessage(response));
        return;
      }
      // A full load, so server-rendered parts and cached queries start from the new session.
      window.location.assign(next);
    } catch {
      setError('The server could not be reached.');
    } finally {
      setPending(false);
    }
  }

  return (
    <div className={card}>
      <h1 className="text-xl font-semibold">Sign in</h1>
      <form className="grid gap-3" onSubmit={(event) => void submit(event)}>
        <label className="grid gap-1 text-sm font-medium text-slate-800">
          Email
          <input
            name="email"
            type="email"
            autoComplete="username"
            required
            className={inputClass(Boolean(error))}
          />
        </label>
        <label className="grid gap-1 text-sm font-medium text-slate-800">
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            className={inputClass(Boolean(error))}
          />
        </label>
        <FieldError message={error} />
        <button type="submit" className={primaryButton} disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="text-xs text-slate-500">
        Accounts are created by an admin in Settings → Users. On a fresh install, the first admin
        is admin@example.com; its password was shown once when the server first started.
      </p>
    </div>
  );
}
