import type { z } from 'zod';

/**
 * Reads a package's settings from the environment. A bad value throws an Error naming every
 * problem; packages read settings when a call needs them, so it fails that call, not every run.
 */
export function readSettings<T>(
  schema: z.ZodType<T>,
  label: string,
  environment: Record<string, string | undefined>,
): T {
  const parsed = schema.safeParse(environment);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`Invalid ${label} settings: ${problems.join('; ')}`);
}
