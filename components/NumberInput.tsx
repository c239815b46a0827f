'use client';

import { useState } from 'react';

import { inputClass } from './Field';

interface NumberInputProps {
  id: string;
  value: number;
  min: number;
  max: number;
  onChange: (value: number) => void;
  describedBy?: string;
  className?: string;
}

/**
 * A whole-number input that keeps what is typed (an empty box while retyping) and reports only
 * numbers in range; on leaving, it shows the last accepted value again.
 */
export function NumberInput(props: NumberInputProps) {
  const { id, value, min, max, onChange, describedBy, className } = props;
  const [text, setText] = useState<string | null>(null);
  const accepted = (raw: string) => {
    const number = /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
    return number >= min && number <= max ? number : null;
  };
  const invalid = text !== null && accepted(text) === null;
  return (
    <input
      id={id}
      type="number"
      inputMode="numeric"
      min={min}
      max={max}
      step={1}
      value={text ?? String(value)}
      onChange={(event) => {
        setText(event.target.value);
        const number = accepted(event.target.value);
        if (number !== null) onChange(number);
      }}
      onBlur={() => setText(null)}
      aria-describedby={describedBy}
      aria-invalid={invalid}
      className={`${inputClass(invalid)} ${className ?? ''}`}
    />
  );
}
