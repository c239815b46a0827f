/** A plain JSON object (not null, not an array): payloads, results, `where` filters. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
