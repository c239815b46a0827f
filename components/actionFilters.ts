import type { PublishState } from '@/server/actions/versions';
import type { Environment, TriggerType } from '@/server/triggers/types';

import type { ActionOverviewRow } from './apiTypes';

/** The action list's filters; `all` leaves a dimension unfiltered. */
export interface ActionFilters {
  search: string;
  state: PublishState | 'all';
  environment: Environment | 'all';
  trigger: TriggerType | 'all';
}

export const noFilters: ActionFilters = {
  search: '',
  state: 'all',
  environment: 'all',
  trigger: 'all',
};

export function filterRows(rows: readonly ActionOverviewRow[], filters: ActionFilters) {
  const search = filters.search.trim().toLowerCase();
  return rows.filter(({ action, state }) => {
    if (search && !action.name.toLowerCase().includes(search)) return false;
    if (filters.state !== 'all' && state !== filters.state) return false;
    if (filters.environment !== 'all' && action.environment !== filters.environment) return false;
    return filters.trigger === 'all' || action.triggers.some((t) => t.trigger === filters.trigger);
  });
}

export function isFiltered(filters: ActionFilters): boolean {
  return JSON.stringify(filters) !== JSON.stringify(noFilters);
}
