/** What a settings page shows to someone who administers no organisation. */
export function NotAdmin({ pending }: { pending: boolean }) {
  if (pending) return <p className="text-slate-500">Loading…</p>;
  return (
    <p role="alert" className="text-slate-700">
      Only organisation admins manage users, API tokens and the audit trail.
    </p>
  );
}
