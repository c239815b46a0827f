import type { ReactNode } from 'react';

import { inputClass } from './Field';
import { withWhere, type TriggerFilterProps } from './triggerWhere';

interface EventTypeSelectProps extends Pick<TriggerFilterProps, 'trigger' | 'onChange'> {
  id: string;
  label: string;
  /** The trigger's current `where.type`, or '' when none is chosen yet. */
  value: string;
  /** The `<option>`s (or `<optgroup>`s) of the event types this trigger kind knows. */
  children: ReactNode;
}

/** The event type picker shared by the log and analytics trigger forms. */
export function EventTypeSelect(props: EventTypeSelectProps) {
  const { id, label, value, trigger, onChange, children } = props;
  return (
    <div className="grid gap-1">
      <label htmlFor={id} className="text-xs font-medium">
        {label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(withWhere(trigger, 'type', event.target.value))}
        className={inputClass(value === '')}
      >
        {value === '' ? <option value="">Choose an event type</option> : null}
        {children}
      </select>
    </div>
  );
}
