import { z } from 'zod';

import { AppError } from '../../errors';
import {
  findShapeFault,
  MAX_PATH_KEYS,
  nameFault,
  shortKey,
  textFault,
  type ShapeRules,
} from '../../json-shape';

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

/**
 * A zod check applying the shared JSON rules (server/json-shape.ts) to a value: its depth, its
 * text (no NUL, no broken surrogate) and, with `jsonOnly`, that it holds only JSON values. The
 * fault becomes an issue at its path, so parseInput names where it is.
 */
export function jsonShape(rules: ShapeRules = {}) {
  return (value: unknown, ctx: z.RefinementCtx): void => {
    const fault = findShapeFault(value, rules);
    if (!fault) return;
    // A fault 64 levels down needs no 64-key path; the first keys say where to look.
    const path = fault.path.slice(0, MAX_PATH_KEYS);
    const message = path.length < fault.path.length ? `… ${fault.message}` : fault.message;
    const keys = path.map((key) => (typeof key === 'string' ? shortKey(key) : key));
    ctx.addIssue({ code: 'custom', message, path: keys });
  };
}

/** For `.superRefine`: text that Postgres can store (no NUL, no broken UTF-16 surrogate). */
export function refineText(text: string, ctx: z.RefinementCtx): void {
  const problem = textFault(text);
  if (problem) ctx.addIssue({ code: 'custom', message: `cannot contain ${problem}` });
}

/** For `.superRefine`: a name (of a data source, a column, a file) without control characters. */
export function refineName(text: string, ctx: z.RefinementCtx): void {
  const problem = nameFault(text);
  if (problem) ctx.addIssue({ code: 'custom', message: `cannot contain ${problem}` });
}
