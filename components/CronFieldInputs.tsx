'use client';

import { useState } from 'react';

import { cronFieldLabels, splitFields, withField } from './cronPresets';
import { inputClass } from './Field';

interface CronFieldInputsProps {
  frequency: string;
  onChange: (frequency: string) => void;
  describedBy?: string;
}

/** The five cron fields side by side, each editing its part of the expression. */
export function CronFieldInputs({ frequency, onChange, describedBy }: CronFieldInputsProps) {
  const fields = splitFields(frequency);
  return (
    <fieldset className="grid min-w-0 gap-1">
      <legend className="text-sm font-medium text-slate-800">Fields</legend>
      <div className="grid grid-cols-5 gap-1">
        {cronFieldLabels.map((label, index) => (
          <FieldInput
            key={label}
            index={index}
            label={label}
            value={fields[index] ?? ''}
            onChange={(value) => onChange(withField(frequency, index, value))}
            describedBy={describedBy}
          />
        ))}
      </div>
    </fieldset>
  );
}

interface FieldInputProps {
  index: number;
  label: string;
  value: string;
  onChange: (value: string) => void;
  describedBy?: string;
}

/**
 * While focused the box shows what is typed: an emptied field is stored as `*` (the text must
 * stay five fields long) but the box stays empty until the next character.
 */
function FieldInput({ index, label, value, onChange, describedBy }: FieldInputProps) {
  const [typed, setTyped] = useState<string | null>(null);
  const id = `cron-field-${index}`;
  return (
    <div className="grid min-w-0 gap-0.5">
      <label htmlFor={id} className="truncate text-xs text-slate-600" title={label}>
        {label}
      </label>
      <input
        id={id}
        type="text"
        value={typed ?? value}
        onChange={(event) => {
          setTyped(event.target.value);
          onChange(event.target.value);
        }}
        onBlur={() => setTyped(null)}
        aria-describedby={describedBy}
        autoComplete="off"
        spellCheck={false}
        className={`${inputClass(false)} px-1 text-center font-mono`}
      />
    </div>
  );
}
