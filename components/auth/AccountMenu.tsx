'use client';

import Link from 'next/link';
import { useState } from 'react';

import { secondaryButton } from '../styles';
import { useCan, useMe } from './useCan';

/** The header's right end: who is signed in, the way to Settings for admins, and sign-out. */
export function AccountMenu() {
  const me = useMe();
  const canManage = useCan('manage');
  const [signingOut, setSigningOut] = useState(false);

  if (!me.data) return null;

  async function signOut() {
    setSigningOut(true);
    await fetch('/api/auth/sign-out', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    }).catch(() => undefined);
    window.location.assign('/login');
  }

  return (
    <div className="ml-auto flex items-center gap-4 text-sm">
      {canManage ? (
        <Link href="/settings/users" className="text-slate-600 hover:text-slate-900">
          Settings
        </Link>
      ) : null}
      <span className="text-slate-500" aria-label="Signed in as">
        {me.data.user.email}
      </span>
      <button
        type="button"
        className={secondaryButton}
        disabled={signingOut}
        onClick={() => void signOut()}
      >
        Sign out
      </button>
    </div>
  );
}
