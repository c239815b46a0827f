'use client';

/** The visible switch; the real control is the visually hidden checkbox before it (`peer`). */
const switchTrack =
  'relative h-5 w-9 shrink-0 rounded-full bg-slate-300 transition-colors ' +
  'peer-checked:bg-emerald-600 peer-focus-visible:ring-2 peer-focus-visible:ring-indigo-500 ' +
  'peer-disabled:opacity-50 after:absolute after:left-0.5 after:top-0.5 after:h-4 after:w-4 ' +
  'after:rounded-full after:bg-white after:transition-transform peer-checked:after:translate-x-4';

interface SwitchProps {
  checked: boolean;
  onChange: (checked: boolean) => void;
  /** Visible text after the switch; `hiddenLabel` keeps it for screen readers only. */
  label: string;
  hiddenLabel?: boolean;
  describedBy?: string;
  disabled?: boolean;
}

/** An on/off control: a native checkbox with the switch role, so Space toggles it. */
export function Switch(props: SwitchProps) {
  const { checked, onChange, label, hiddenLabel, describedBy, disabled } = props;
  return (
    <label className="flex cursor-pointer items-center gap-3 text-sm font-medium text-slate-800">
      <input
        type="checkbox"
        role="switch"
        checked={checked}
        disabled={disabled}
        onChange={(event) => onChange(event.target.checked)}
        aria-describedby={describedBy}
        className="peer sr-only"
      />
      <span aria-hidden="true" className={switchTrack} />
      <span className={hiddenLabel ? 'sr-only' : undefined}>{label}</span>
    </label>
  );
}
