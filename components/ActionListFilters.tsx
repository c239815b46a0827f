'use client';

import { environments, triggerTypes } from '@/server/triggers/types';

import { isFiltered, noFilters, type ActionFilters } from './actionFilters';
import { inputClass } from './Field';
import { linkButton } from './styles';

const stateOptions = [
  ['all', 'Any state'],
  ['draft', 'Draft only'],
  ['published', 'Published'],
  ['changed', 'Changed since publish'],
] as const;

interface ActionListFiltersProps {
  filters: ActionFilters;
  onChange: (filters: ActionFilters) => void;
  shown: number;
  total: number;
}

/** Search by name and narrow by publish state, environment and trigger type. */
export function ActionListFilters({ filters, onChange, shown, total }: ActionListFiltersProps) {
  const set = (patch: Partial<ActionFilters>) => onChange({ ...filters, ...patch });
  return (
    <div role="search" aria-label="Filter actions" className="flex flex-wrap items-end gap-3">
      <div className="grid min-w-48 flex-1 gap-1">
        <label htmlFor="action-search" className="text-sm font-medium">
          Search
        </label>
        <input
          id="action-search"
          type="search"
          value={filters.search}
          placeholder="Action name"
          onChange={(event) => set({ search: event.target.value })}
          className={inputClass(false)}
        />
      </div>
      <FilterSelect
        id="filter-state"
        label="State"
        value={filters.state}
        options={stateOptions}
        onChange={(value) => {
          const state = stateOptions.find(([key]) => key === value)?.[0];
          if (state) set({ state });
        }}
      />
      <FilterSelect
        id="filter-environment"
        label="Environment"
        value={filters.environment}
        options={[['all', 'Any environment'], ...environments.map((e) => [e, e] as const)]}
        onChange={(value) => {
          const environment = environments.find((e) => e === value);
          set({ environment: environment ?? 'all' });
        }}
      />
      <FilterSelect
        id="filter-trigger"
        label="Trigger"
        value={filters.trigger}
        options={[['all', 'Any trigger'], ...triggerTypes.map((t) => [t, t] as const)]}
        onChange={(value) => set({ trigger: triggerTypes.find((t) => t === value) ?? 'all' })}
      />
      <p aria-live="polite" className="text-sm text-slate-500">
        {shown === total ? `${total} actions` : `${shown} of ${total} actions`}
      </p>
      {isFiltered(filters) ? (
        <button type="button" onClick={() => onChange(noFilters)} className={linkButton}>
          Clear filters
        </button>
      ) : null}
    </div>
  );
}

interface FilterSelectProps {
  id: string;
  label: string;
  value: string;
  options: readonly (readonly [string, string])[];
  onChange: (value: string) => void;
}

function FilterSelect({ id, label, value, options, onChange }: FilterSelectProps) {
  return (
    <div className="grid gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        className={inputClass(false)}
      >
        {options.map(([key, text]) => (
          <option key={key} value={key}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
