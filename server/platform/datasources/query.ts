import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';

import { dataSourceEntries } from '../../db/schema';
import { AppError } from '../../errors';
import { jsonShape, refineText } from './validate';

/**
 * Turns a `find` query into SQL over the jsonb `data` column. Every user value and every column
 * name travels as a bind parameter; only fixed operator symbols are written into the text.
 *
 * Comparison rules (see docs/datasources.md):
 * - a number operand compares numerically with numbers and numeric strings ("25", " 1e2 ");
 *   other values never match it. The cast is guarded so non-numeric text can't make it throw;
 * - a string or boolean operand compares with the value's text form, so `'30'` matches 30 and
 *   `true` matches both `true` and `"true"`;
 * - `null` matches JSON null and missing columns; objects and arrays compare as whole JSON.
 * Every condition is true or false, never SQL NULL, so `$ne`, `$nin` and `$not` include entries
 * that lack the column, as in MongoDB.
 */

export const MAX_FIND_LIMIT = 1000;
const MAX_WHERE_DEPTH = 16;
// Numeric text that `::numeric` accepts without error; the length and exponent bounds keep
// the value inside numeric's range, so the cast below can never fail.
const NUMERIC_TEXT = '^\\s*[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d{1,3})?\\s*$';
const MAX_NUMERIC_TEXT_LENGTH = 200;

const columnName = z.string().min(1, 'column names cannot be empty').superRefine(refineText);
const direction = z.string().toLowerCase().pipe(z.enum(['asc', 'desc']));

export const orderSchema = z.union(
  [z.array(z.tuple([columnName, direction.optional()])), z.record(columnName, direction)],
  { error: 'order must be [[column, "asc" | "desc"], …] or { column: "asc" | "desc" }' },
);

export const findQuerySchema = z.strictObject({
  // The shape check caps the depth of operand values too, which the SQL builder serialises.
  where: z.record(z.string(), z.unknown()).superRefine(jsonShape()).optional(),
  attributes: z.array(columnName).optional(),
  order: orderSchema.optional(),
  limit: z.int().min(0).optional(),
  offset: z.int().min(0).optional(),
  includePagination: z.boolean().optional(),
});

export type FindQueryInput = z.input<typeof findQuerySchema>;
export type FindQuery = z.output<typeof findQuerySchema>;
export type Where = Record<string, unknown>;
type Order = NonNullable<FindQuery['order']>;

const data = dataSourceEntries.data;

/** The WHERE condition for a `where` object; `true` when there is none. */
export function whereToSql(where: Where | undefined): SQL {
  return where === undefined ? sql`true` : objectCondition(where, 0);
}

/** ORDER BY terms: the requested columns, then the entry id so pages are stable. */
export function orderToSql(order: Order | undefined): SQL[] {
  const terms = orderPairs(order).flatMap(([column, dir]) => {
    // Numbers (and numeric strings) sort first by value, then the rest by text; missing
    // values last. DESC is the exact reverse because the NULLS default flips with it.
    const keyword = sql.raw(dir);
    return [sql`${numericOf(column)} ${keyword}`, sql`${textOf(column)} ${keyword}`];
  });
  return [...terms, sql`${dataSourceEntries.id} asc`];
}

/** The entry data to return: all of it, or only the `attributes` keys that the entry has. */
export function selectedData(attributes: string[] | undefined): SQL<Record<string, unknown>> {
  if (attributes === undefined) return sql`${data}`.mapWith(data);
  const keys = JSON.stringify(attributes);
  return sql`(select coalesce(jsonb_object_agg(e.key, e.value), '{}'::jsonb)
    from jsonb_each(${data}) as e
    where e.key in (select jsonb_array_elements_text(${keys}::jsonb)))`.mapWith(data);
}

/** The page actually served: `limit` defaults to, and is capped at, MAX_FIND_LIMIT. */
export function pageOf(query: Pick<FindQuery, 'limit' | 'offset'>): {
  limit: number;
  offset: number;
} {
  const limit = Math.min(query.limit ?? MAX_FIND_LIMIT, MAX_FIND_LIMIT);
  return { limit, offset: query.offset ?? 0 };
}

function orderPairs(order: Order | undefined): [string, 'asc' | 'desc'][] {
  if (order === undefined) return [];
  if (Array.isArray(order)) return order.map(([column, dir]) => [column, dir ?? 'asc']);
  return Object.entries(order);
}

// ---- where: objects and logical operators -------------------------------------------------

function objectCondition(where: unknown, depth: number): SQL {
  if (depth > MAX_WHERE_DEPTH) {
    throw badRequest(`where is nested more than ${MAX_WHERE_DEPTH} levels deep`);
  }
  if (!isPlainObject(where)) {
    throw badRequest(`where conditions must be objects, got ${kind(where)}`);
  }
  const parts = Object.entries(where)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) =>
      key.startsWith('$')
        ? logicalCondition(key, value, depth)
        : columnCondition(key, value, depth),
    );
  return allOf(parts);
}

function logicalCondition(operator: string, operand: unknown, depth: number): SQL {
  switch (operator) {
    case '$and':
      return allOf(listOperand(operator, operand).map((item) => objectCondition(item, depth + 1)));
    case '$or':
      return anyOf(listOperand(operator, operand).map((item) => objectCondition(item, depth + 1)));
    case '$not':
      return sql`(not ${objectCondition(operand, depth + 1)})`;
    default:
      throw unknownOperator(operator);
  }
}

// ---- where: one column ----------------------------------------------------------------------

function columnCondition(column: string, value: unknown, depth: number): SQL {
  if (!isOperatorObject(column, value)) return equals(column, value);
  if (depth > MAX_WHERE_DEPTH) {
    throw badRequest(`where is nested more than ${MAX_WHERE_DEPTH} levels deep`);
  }
  if ('$options' in value && !('$regex' in value)) {
    throw badRequest(`"${column}": $options is only used with $regex`);
  }
  const parts = Object.entries(value)
    .filter(([operator, operand]) => operator !== '$options' && operand !== undefined)
    .map(([operator, operand]) => operatorCondition(column, operator, operand, value, depth));
  return allOf(parts);
}

function operatorCondition(
  column: string,
  operator: string,
  operand: unknown,
  siblings: Record<string, unknown>,
  depth: number,
): SQL {
  const nested = (item: unknown) => columnCondition(column, item, depth + 1);
  switch (operator) {
    case '$eq':
      return equals(column, operand);
    case '$ne':
      return sql`(not ${equals(column, operand)})`;
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      return compare(column, operator, operand);
    case '$in':
      return inList(column, listOperand(operator, operand));
    case '$nin':
      return sql`(not ${inList(column, listOperand(operator, operand))})`;
    case '$regex':
      return regex(column, operand, siblings.$options);
    case '$like':
    case '$iLike':
      return like(column, operator, operand);
    case '$exists':
      return exists(column, operand);
    case '$not':
      return sql`(not ${nested(operand)})`;
    case '$and':
      return allOf(listOperand(operator, operand).map(nested));
    case '$or':
      return anyOf(listOperand(operator, operand).map(nested));
    default:
      throw unknownOperator(operator);
  }
}

function equals(column: string, operand: unknown): SQL {
  if (operand === null || operand === undefined) {
    return sql`(${jsonOf(column)} is null or jsonb_typeof(${jsonOf(column)}) = 'null')`;
  }
  if (typeof operand === 'number') {
    return sql`coalesce(${numericOf(column)} = ${numberParam(operand)}, false)`;
  }
  if (typeof operand === 'string' || typeof operand === 'boolean') {
    return sql`coalesce(${textOf(column)} = ${String(operand)}, false)`;
  }
  if (Array.isArray(operand) || isPlainObject(operand)) {
    return sql`coalesce(${jsonOf(column)} = ${JSON.stringify(operand)}::jsonb, false)`;
  }
  throw badRequest(`"${column}" cannot be compared with ${kind(operand)}`);
}

const comparisonSymbols = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' } as const;

function compare(column: string, operator: keyof typeof comparisonSymbols, operand: unknown): SQL {
  const symbol = sql.raw(comparisonSymbols[operator]);
  if (typeof operand === 'number') {
    return sql`coalesce(${numericOf(column)} ${symbol} ${numberParam(operand)}, false)`;
  }
  if (typeof operand === 'string') {
    return sql`coalesce(${textOf(column)} ${symbol} ${operand}, false)`;
  }
  throw badRequest(`${operator} on "${column}" needs a number or a string, got ${kind(operand)}`);
}

/** `$in` as a few set lookups (one per kind of operand) rather than one OR per item. */
function inList(column: string, items: unknown[]): SQL {
  const { numbers, texts, jsons, hasNull } = groupOperands(column, items);
  const parts: SQL[] = [];
  if (numbers.length > 0) {
    const list = JSON.stringify(numbers);
    parts.push(sql`coalesce(${numericOf(column)} in
      (select jsonb_array_elements_text(${list}::jsonb)::numeric), false)`);
  }
  if (texts.length > 0) {
    const list = JSON.stringify(texts);
    parts.push(sql`coalesce(${textOf(column)} in
      (select jsonb_array_elements_text(${list}::jsonb)), false)`);
  }
  if (jsons.length > 0) {
    const list = JSON.stringify(jsons);
    parts.push(sql`coalesce(${jsonOf(column)} in
      (select jsonb_array_elements(${list}::jsonb)), false)`);
  }
  if (hasNull) parts.push(equals(column, null));
  return anyOf(parts);
}

function groupOperands(column: string, items: unknown[]) {
  const groups = { numbers: [] as number[], texts: [] as string[], jsons: [] as unknown[] };
  let hasNull = false;
  for (const item of items) {
    if (item === null) hasNull = true;
    else if (typeof item === 'number') groups.numbers.push(finite(item));
    else if (typeof item === 'string' || typeof item === 'boolean') groups.texts.push(String(item));
    else if (Array.isArray(item) || isPlainObject(item)) groups.jsons.push(item);
    else throw badRequest(`$in on "${column}" cannot hold ${kind(item)}`);
  }
  return { ...groups, hasNull };
}

function regex(column: string, pattern: unknown, options: unknown): SQL {
  if (typeof pattern !== 'string') {
    throw badRequest(`$regex on "${column}" needs a string pattern, got ${kind(pattern)}`);
  }
  if (options !== undefined && options !== '' && options !== 'i') {
    throw badRequest(`$options on "${column}" supports only "i" (case-insensitive)`);
  }
  const symbol = sql.raw(options === 'i' ? '~*' : '~');
  return sql`coalesce(${textOf(column)} ${symbol} ${pattern}, false)`;
}

function like(column: string, operator: '$like' | '$iLike', pattern: unknown): SQL {
  if (typeof pattern !== 'string') {
    throw badRequest(`${operator} on "${column}" needs a string pattern, got ${kind(pattern)}`);
  }
  const keyword = sql.raw(operator === '$like' ? 'like' : 'ilike');
  return sql`coalesce(${textOf(column)} ${keyword} ${pattern}, false)`;
}

function exists(column: string, operand: unknown): SQL {
  if (typeof operand !== 'boolean') {
    throw badRequest(`$exists on "${column}" needs true or false, got ${kind(operand)}`);
  }
  // `->` yields JSON null (not SQL NULL) for a key holding null, so such a key exists.
  return operand ? sql`(${jsonOf(column)} is not null)` : sql`(${jsonOf(column)} is null)`;
}

// ---- SQL building blocks --------------------------------------------------------------------

function jsonOf(column: string): SQL {
  return sql`(${data} -> ${column}::text)`;
}

function textOf(column: string): SQL {
  return sql`(${data} ->> ${column}::text)`;
}

/** The value as numeric when it is a number or numeric text, else NULL; never raises. */
function numericOf(column: string): SQL {
  const json = jsonOf(column);
  const text = textOf(column);
  return sql`(case
    when jsonb_typeof(${json}) = 'number' then ${json}::numeric
    when jsonb_typeof(${json}) = 'string'
      and length(${text}) <= ${MAX_NUMERIC_TEXT_LENGTH}
      and ${text} ~ ${NUMERIC_TEXT}
      then ${text}::numeric
  end)`;
}

function numberParam(value: number): SQL {
  return sql`${String(finite(value))}::numeric`;
}

function allOf(parts: SQL[]): SQL {
  return parts.length === 0 ? sql`true` : sql`(${sql.join(parts, sql` and `)})`;
}

function anyOf(parts: SQL[]): SQL {
  return parts.length === 0 ? sql`false` : sql`(${sql.join(parts, sql` or `)})`;
}

// ---- input checks ---------------------------------------------------------------------------

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** `{ $gt: 1 }` holds operators; `{ a: 1 }` is a JSON value to match; a mix is an error. */
function isOperatorObject(column: string, value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  const operators = keys.filter((key) => key.startsWith('$')).length;
  if (operators > 0 && operators < keys.length) {
    throw badRequest(`"${column}" mixes operators with plain keys; use $eq to match an object`);
  }
  return operators > 0;
}

function finite(value: number): number {
  if (!Number.isFinite(value)) throw badRequest(`cannot compare with ${value}`);
  return value;
}

function listOperand(operator: string, operand: unknown): unknown[] {
  if (!Array.isArray(operand)) throw badRequest(`${operator} needs an array, got ${kind(operand)}`);
  return operand;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function unknownOperator(operator: string): AppError {
  return badRequest(`unknown where operator "${operator}"`);
}

function badRequest(message: string): AppError {
  return new AppError('BAD_REQUEST', message);
}
