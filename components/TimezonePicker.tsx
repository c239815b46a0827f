'use client';

import { useId, useMemo, useState, type KeyboardEvent } from 'react';

import { DEFAULT_TIMEZONE } from '@/server/triggers/cron';

import { inputClass } from './Field';

/** The most options rendered at once; typing narrows the list further. */
const MAX_SHOWN = 80;

let zoneList: readonly string[] | undefined;

/** IANA names the browser knows, plus UTC (which Intl lists only under Etc/ names). */
function allZones(): readonly string[] {
  zoneList ??= [
    'UTC',
    ...(typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []),
  ].filter((zone, index, all) => all.indexOf(zone) === index);
  return zoneList;
}

/** Matches "rome", "new york" and "america/new_y" alike. */
function matches(zone: string, query: string): boolean {
  const normal = (text: string) => text.toLowerCase().replace(/[_\s]+/g, ' ');
  return normal(zone).includes(normal(query));
}

interface TimezonePickerProps {
  id: string;
  value: string;
  onChange: (zone: string) => void;
  describedBy?: string;
  invalid: boolean;
}

/**
 * An editable combobox (ARIA 1.2 pattern, list autocomplete): typing filters the zones,
 * ArrowUp/ArrowDown move through them, Enter picks, Escape closes the list. Free text stays
 * possible, and the validator then says whether the name is known.
 */
export function TimezonePicker({ id, value, onChange, describedBy, invalid }: TimezonePickerProps) {
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const options = useMemo(() => {
    const query = value.trim();
    const found = query === '' ? allZones() : allZones().filter((zone) => matches(zone, query));
    return found.slice(0, MAX_SHOWN);
  }, [value]);
  const activeIndex = Math.min(active, options.length - 1);
  const optionId = (index: number) => `${listId}-option-${index}`;

  const choose = (zone: string) => {
    onChange(zone);
    setOpen(false);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (step !== 0) {
      event.preventDefault();
      if (!open) setOpen(true);
      else setActive((activeIndex + step + options.length) % Math.max(options.length, 1));
    } else if (event.key === 'Enter' && open) {
      const zone = options[activeIndex];
      if (zone) {
        event.preventDefault();
        choose(zone);
      }
    } else if (event.key === 'Escape' && open) {
      // Only the list closes; a surrounding dialog must not see this Escape.
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
    }
  };

  return (
    <div className="relative">
      <input
        id={id}
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open && options.length > 0 ? optionId(activeIndex) : undefined}
        aria-describedby={describedBy}
        aria-invalid={invalid}
        value={value}
        placeholder={`${DEFAULT_TIMEZONE} (server default)`}
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => {
          onChange(event.target.value);
          setActive(0);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        className={inputClass(invalid)}
      />
      <ul
        id={listId}
        role="listbox"
        aria-label="Time zones"
        hidden={!open || options.length === 0}
        className="absolute z-20 mt-1 max-h-60 w-full overflow-auto rounded border
          border-slate-300 bg-white py-1 text-sm shadow-lg"
      >
        {open
          ? options.map((zone, index) => (
              <li
                key={zone}
                id={optionId(index)}
                role="option"
                aria-selected={index === activeIndex}
                // mousedown, not click: the input must keep focus for the list to stay open.
                onMouseDown={(event) => {
                  event.preventDefault();
                  choose(zone);
                }}
                ref={(node) => {
                  if (node && index === activeIndex) node.scrollIntoView({ block: 'nearest' });
                }}
                className={`cursor-pointer px-2 py-1 ${
                  index === activeIndex ? 'bg-indigo-600 text-white' : 'hover:bg-slate-100'
                } ${zone === value ? 'font-semibold' : ''}`}
              >
                {zone}
              </li>
            ))
          : null}
      </ul>
    </div>
  );
}
