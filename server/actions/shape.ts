import type { actions } from '../db/schema';
import { publicUrl } from '../env';
import { findApprovedLibrary, libraryAssetPath } from './libraries';
import { findPackageByName, packageAssetPath } from './packages';
import type { Trigger } from './validate';

export type ActionRow = typeof actions.$inferSelect;

export interface Asset {
  name: string;
  url: string;
  path: string;
}

/** The action object of the public API: exactly these fields, in this order. */
export interface ActionObject {
  id: number;
  appId: number;
  name: string;
  code: string;
  active: boolean;
  environment: string;
  actionVersion: string;
  triggers: Trigger[];
  dependencies: string[];
  assets: Asset[];
  frequency: string | null;
  timezone: string | null;
  lastRunAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** `lastRunAt` is the time of the newest finished run of this row's version (from the run log). */
export function toActionObject(row: ActionRow, lastRunAt: Date | null): ActionObject {
  return {
    id: row.id,
    appId: row.appId,
    name: row.name,
    code: row.code,
    active: row.active,
    environment: row.environment,
    actionVersion: row.actionVersion,
    triggers: row.triggers as Trigger[],
    dependencies: row.dependencies,
    assets: resolveAssets(row.dependencies),
    frequency: row.frequency,
    timezone: row.timezone,
    lastRunAt: lastRunAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Each dependency as the file the platform serves for it from its own installation. */
export function resolveAssets(dependencies: readonly string[]): Asset[] {
  return dependencies.flatMap((dependency): Asset[] => {
    const pkg = findPackageByName(dependency);
    const library = findApprovedLibrary(dependency);
    const path = pkg
      ? packageAssetPath(pkg)
      : library
        ? libraryAssetPath(library)
        : null;
    if (!path) return [];
    return [{ name: pkg?.name ?? library?.name ?? dependency, url: `${publicUrl()}/${path}`, path }];
  });
}
