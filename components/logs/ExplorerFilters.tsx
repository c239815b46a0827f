'use client';

import { useEffect, useState } from 'react';

import { inputClass } from '../Field';
import { secondaryButton } from '../styles';
import {
  DEFAULT_RANGE,
  hasFilters,
  isLabelKey,
  modeLabels,
  outcomeLabels,
  rangeLabels,
  runOnLabels,
  SEARCH_MAX_LENGTH,
  withFilters,
  type ExplorerView,
} from './explorerView';

export type ViewChange = (next: ExplorerView, history: 'push' | 'replace') => void;

interface ExplorerFiltersProps {
  idPrefix: string;
  view: ExplorerView;
  onChange: ViewChange;
  /** The app's actions for the action filter; absent when the action is fixed. */
  actions?: readonly { id: number; name: string }[];
  fixedActionId?: number;
}

const SEARCH_DEBOUNCE_MS = 400;
const DAY_MS = 86_400_000;

/** Every filter of the explorer; each change lands in the view (and so in the URL). */
export function ExplorerFilters(props: ExplorerFiltersProps) {
  const { idPrefix, view, onChange, actions, fixedActionId } = props;
  const set = (change: Partial<ExplorerView>) => onChange(withFilters(view, change), 'push');
  const id = (name: string) => `${idPrefix}-${name}`;

  return (
    <form
      role="search"
      aria-label="Filter runs"
      className="grid grid-cols-2 items-end gap-3 @2xl:grid-cols-4 @5xl:grid-cols-7"
      onSubmit={(event) => event.preventDefault()}
    >
      {fixedActionId === undefined ? (
        <Select
          id={id('action')}
          label="Action"
          value={view.actionId === undefined ? '' : String(view.actionId)}
          options={actionOptions(actions, view.actionId)}
          allLabel="All actions"
          onChange={(value) => set({ actionId: value ? Number(value) : undefined })}
        />
      ) : null}
      <Select
        id={id('outcome')}
        label="Outcome"
        value={view.outcome ?? ''}
        options={Object.entries(outcomeLabels)}
        allLabel="Any outcome"
        onChange={(value) => set({ outcome: isLabelKey(outcomeLabels, value) ? value : undefined })}
      />
      <Select
        id={id('mode')}
        label="Mode"
        value={view.mode ?? ''}
        options={Object.entries(modeLabels)}
        allLabel="Any mode"
        onChange={(value) => set({ mode: isLabelKey(modeLabels, value) ? value : undefined })}
      />
      <Select
        id={id('run-on')}
        label="Runs on"
        value={view.runOn ?? ''}
        options={Object.entries(runOnLabels)}
        allLabel="Server or client"
        onChange={(value) => set({ runOn: isLabelKey(runOnLabels, value) ? value : undefined })}
      />
      <TimeRange idPrefix={idPrefix} view={view} onChange={onChange} />
      <ErrorSearch id={id('q')} view={view} onChange={onChange} />
      {hasFilters(view, fixedActionId) ? (
        <button
          type="button"
          className={`${secondaryButton} justify-self-start`}
          onClick={() => onChange({ range: DEFAULT_RANGE, run: view.run }, 'push')}
        >
          Clear filters
        </button>
      ) : null}
    </form>
  );
}

/**
 * The app's actions; the selected one stays listed while the list loads or after the action
 * was removed, so the control never claims "All actions" for a filtered view.
 */
function actionOptions(
  actions: readonly { id: number; name: string }[] | undefined,
  selected: number | undefined,
): [string, string][] {
  const options = (actions ?? []).map(({ id, name }): [string, string] => [String(id), name]);
  const missing = selected !== undefined && !options.some(([id]) => id === String(selected));
  return missing ? [[String(selected), `Action #${selected}`], ...options] : options;
}

interface SelectProps {
  id: string;
  label: string;
  value: string;
  options: readonly (readonly [string, string])[];
  /** The label of the empty choice (no filter); no such choice without it. */
  allLabel?: string;
  onChange: (value: string) => void;
}

function Select({ id, label, value, options, allLabel, onChange }: SelectProps) {
  return (
    <div className="grid gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        className={inputClass(false)}
      >
        {allLabel === undefined ? null : <option value="">{allLabel}</option>}
        {options.map(([optionValue, optionLabel]) => (
          <option key={optionValue} value={optionValue}>
            {optionLabel}
          </option>
        ))}
      </select>
    </div>
  );
}

interface ViewProps {
  view: ExplorerView;
  onChange: ViewChange;
}

function TimeRange({ idPrefix, view, onChange }: ViewProps & { idPrefix: string }) {
  const choose = (value: string) => {
    if (!isLabelKey(rangeLabels, value)) return;
    // A custom range starts as the last day, open-ended, so nothing disappears on switching.
    const from = value === 'custom' ? new Date(Date.now() - DAY_MS).toISOString() : undefined;
    onChange(withFilters(view, { range: value, from, to: undefined }), 'push');
  };
  return (
    <>
      <Select
        id={`${idPrefix}-range`}
        label="Time range"
        value={view.range}
        options={Object.entries(rangeLabels)}
        onChange={choose}
      />
      {view.range === 'custom' ? (
        <>
          <DateTimeField
            id={`${idPrefix}-from`}
            label="From"
            value={view.from}
            onChange={(from) => onChange(withFilters(view, { from }), 'push')}
          />
          <DateTimeField
            id={`${idPrefix}-to`}
            label="To"
            value={view.to}
            onChange={(to) => onChange(withFilters(view, { to }), 'push')}
          />
        </>
      ) : null}
    </>
  );
}

interface DateTimeFieldProps {
  id: string;
  label: string;
  value: string | undefined;
  onChange: (iso: string | undefined) => void;
}

function DateTimeField({ id, label, value, onChange }: DateTimeFieldProps) {
  return (
    <div className="grid gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label} <span className="font-normal text-slate-500">(your time)</span>
      </label>
      <input
        id={id}
        type="datetime-local"
        value={toLocalInput(value)}
        onChange={(event) => onChange(fromLocalInput(event.target.value))}
        className={inputClass(false)}
      />
    </div>
  );
}

function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

/** A `datetime-local` value has no zone: it is the user's local time. */
function fromLocalInput(value: string): string | undefined {
  const time = value ? new Date(value).getTime() : NaN;
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** Text typed here reaches the view after a pause (or at once with Enter). */
function ErrorSearch({ id, view, onChange }: ViewProps & { id: string }) {
  const [text, setText] = useState(view.q ?? '');
  const committed = view.q ?? '';

  // A change from elsewhere (clear, back button) replaces the text; our own commits do not.
  useEffect(() => {
    setText((current) => (current.trim() === committed ? current : committed));
  }, [committed]);

  useEffect(() => {
    if (text.trim() === committed) return;
    const timer = setTimeout(
      () => onChange(withFilters(view, { q: text.trim() || undefined }), 'replace'),
      SEARCH_DEBOUNCE_MS,
    );
    return () => clearTimeout(timer);
  }, [text, committed, view, onChange]);

  const commitNow = () => {
    if (text.trim() === committed) return;
    onChange(withFilters(view, { q: text.trim() || undefined }), 'push');
  };

  return (
    <div className="col-span-2 grid gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        Error message contains
      </label>
      <input
        id={id}
        type="search"
        value={text}
        maxLength={SEARCH_MAX_LENGTH}
        placeholder="e.g. divide"
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key !== 'Enter') return;
          event.preventDefault();
          commitNow();
        }}
        className={inputClass(false)}
      />
    </div>
  );
}
