import type { RunStatus } from './runLogView';

const styles: Record<RunStatus, string> = {
  completed: 'bg-emerald-100 text-emerald-800',
  failed: 'bg-red-100 text-red-800',
  other: 'bg-slate-100 text-slate-700',
};

export function RunStatusBadge({ status, type }: { status: RunStatus; type: string }) {
  return (
    <span
      title={type}
      className={`justify-self-start rounded px-1.5 py-0.5 text-xs font-semibold ${styles[status]}`}
    >
      {status === 'other' ? type : status}
    </span>
  );
}
