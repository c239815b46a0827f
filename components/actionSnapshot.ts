/** The fields every version of an action has; the stored action and history snapshots alike. */
export interface SnapshotFields {
  name: string;
  code: string;
  active: boolean;
  environment: string;
  triggers: readonly unknown[];
  dependencies: readonly string[];
  frequency: string | null;
  timezone: string | null;
}

/**
 * Everything but the code, as the JSON a diff compares: fixed key order and two-space indent,
 * so only real changes show up as changed lines.
 */
export function settingsJson(fields: SnapshotFields | null): string {
  if (!fields) return '';
  const { name, active, environment, triggers, dependencies, frequency, timezone } = fields;
  return `${JSON.stringify(
    { name, active, environment, triggers, dependencies, frequency, timezone },
    null,
    2,
  )}\n`;
}
