import type { z } from 'zod';

import { AppError } from '../../errors';

/**
 * Checks a value against a schema and turns the first problem into a BAD_REQUEST naming where
 * it is, e.g. `find options: where: expected record`. `names` labels the top-level positions
 * (used for host call arguments, which arrive as an array).
 */
export function parseInput<T>(
  schema: z.ZodType<T>,
  value: unknown,
  label: string,
  names: readonly string[] = [],
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;

  const issue = result.error.issues[0];
  const path = (issue?.path ?? []).map((key, index) => {
    const name = index === 0 && typeof key === 'number' ? names[key] : undefined;
    return name ?? String(key);
  });
  const where = path.length > 0 ? `${path.join('.')}: ` : '';
  const message = `${label}: ${where}${issue?.message ?? 'invalid input'}`;
  throw new AppError('BAD_REQUEST', message, { cause: result.error });
}
