/** True when `error` (or what it wraps: Drizzle wraps driver errors) broke a unique index. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    const candidate = current as { code?: unknown; constraint_name?: unknown };
    if (candidate.code === '23505' && candidate.constraint_name === constraint) return true;
    if (!(current instanceof Error)) break;
  }
  return false;
}
