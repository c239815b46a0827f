import Papa from 'papaparse';
import { z } from 'zod';

import { AppError } from '../../errors';
import { parseInput } from '../datasources/validate';

/**
 * CSV on the host with papaparse, so the isolate needs no parser of its own. Input and output
 * are capped: a run should not be able to make the host build arbitrarily large strings.
 */

export const MAX_CSV_CHARS = 5 * 1024 * 1024;
export const MAX_CSV_ROWS = 50_000;

const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const delimiter = z
  .string()
  .length(1, 'must be one character')
  .refine((char) => !/["\r\n]/.test(char), 'cannot be a quote or a line break');

export const encodeRowsSchema = z
  .array(
    z.union([z.array(cell), z.record(z.string(), cell)], {
      error: 'a row must be an array or an object of cells (text, numbers, true/false or null)',
    }),
  )
  .max(MAX_CSV_ROWS, `takes at most ${MAX_CSV_ROWS} rows`);

export const encodeOptionsSchema = z.strictObject({
  delimiter: delimiter.default(','),
  /** Write a header line (object rows: their keys; array rows: `columns`). */
  header: z.boolean().default(true),
  /** Which keys of object rows, in this order; for array rows, the header names. */
  columns: z.array(z.string()).optional(),
  newline: z.enum(['\n', '\r\n']).default('\r\n'),
  /** Quote every field, not only the ones that need it. */
  quotes: z.boolean().default(false),
  /** Prefix cells starting with = + - @ so spreadsheets do not run them as formulas. */
  escapeFormulae: z.boolean().default(false),
});

export const decodeOptionsSchema = z.strictObject({
  /** Guessed from the text when not given. */
  delimiter: delimiter.optional(),
  /** Use the first line as column names and return objects; otherwise arrays. */
  header: z.boolean().default(true),
  /** Turn numbers and booleans in the text into numbers and booleans. */
  dynamicTyping: z.boolean().default(false),
  skipEmptyLines: z.boolean().default(true),
});

export const decodeTextSchema = z
  .string()
  .max(MAX_CSV_CHARS, `takes at most ${MAX_CSV_CHARS} characters`);

type Cell = z.infer<typeof cell>;
export type EncodeOptions = z.input<typeof encodeOptionsSchema>;
export type DecodeOptions = z.input<typeof decodeOptionsSchema>;
export type DecodedRow = Cell[] | Record<string, Cell | Cell[]>;

/**
 * A cell a spreadsheet would read as a formula. papaparse's own test (`/^[=+\-@\t\r].*$/`)
 * misses any cell with a line break, because `.` stops at one; only the first character counts.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function encodeCsv(rows: unknown, options: EncodeOptions = {}): string {
  const settings = parseInput(encodeOptionsSchema, options, 'CSV.encode: options');
  // Only the listed columns are written, so only they need to be cells.
  const listed = settings.columns ? onlyColumns(rows, settings.columns) : rows;
  const data = parseInput(encodeRowsSchema, listed, 'CSV.encode: rows');
  const columns = settings.columns ?? objectColumns(data);
  const table = data.map((row) =>
    Array.isArray(row) ? row : columns.map((key) => row[key] ?? null),
  );
  const lines = settings.header && columns.length > 0 ? [columns, ...table] : table;
  const text = Papa.unparse(lines, {
    delimiter: settings.delimiter,
    newline: settings.newline,
    quotes: settings.quotes,
    escapeFormulae: settings.escapeFormulae ? FORMULA_START : false,
    header: false,
  });
  if (text.length > MAX_CSV_CHARS) {
    const message = `CSV.encode: the CSV would exceed ${MAX_CSV_CHARS} characters`;
    throw new AppError('PAYLOAD_TOO_LARGE', message);
  }
  return text;
}

export function decodeCsv(text: unknown, options: DecodeOptions = {}): DecodedRow[] {
  const source = parseInput(decodeTextSchema, text, 'CSV.decode: text');
  const settings = parseInput(decodeOptionsSchema, options, 'CSV.decode: options');
  // Rows are parsed as arrays and turned into objects here: papaparse's own header mode
  // assigns keys one by one, so a column named "__proto__" would vanish.
  const limit = MAX_CSV_ROWS + (settings.header ? 1 : 0);
  const parsed = Papa.parse<Cell[]>(source, {
    delimiter: settings.delimiter ?? '',
    dynamicTyping: settings.dynamicTyping,
    skipEmptyLines: settings.skipEmptyLines,
    header: false,
    preview: limit + 1,
  });
  const fatal = parsed.errors.find((error) => error.type === 'Quotes');
  if (fatal) {
    const where = fatal.row === undefined ? '' : ` (row ${fatal.row + 1})`;
    throw new AppError('BAD_REQUEST', `CSV.decode: ${fatal.message}${where}`);
  }
  if (parsed.data.length > limit) {
    const message = `CSV.decode: the text has more than ${MAX_CSV_ROWS} rows`;
    throw new AppError('PAYLOAD_TOO_LARGE', message);
  }
  if (!settings.header) return parsed.data;
  const [head = [], ...rows] = parsed.data;
  const names = uniqueNames(head.map((name) => String(name ?? '')));
  return rows.map((row) => toRecord(names, row));
}

/** Keys of object rows in first-seen order, so rows with different keys all fit. */
/** Object rows cut down to `columns`; anything else is left for the schema to judge. */
function onlyColumns(rows: unknown, columns: string[]): unknown {
  if (!Array.isArray(rows)) return rows;
  return rows.map((row: unknown) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) return row;
    const record = row as Record<string, unknown>;
    return Object.fromEntries(
      columns.filter((key) => Object.hasOwn(record, key)).map((key) => [key, record[key]]),
    );
  });
}

function objectColumns(rows: z.infer<typeof encodeRowsSchema>): string[] {
  const seen = new Set<string>();
  for (const row of rows) {
    if (!Array.isArray(row)) for (const key of Object.keys(row)) seen.add(key);
  }
  return [...seen];
}

/** Repeated column names get `_1`, `_2`… so no column overwrites another. */
function uniqueNames(names: string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let unique = name;
    for (let n = 1; used.has(unique); n += 1) unique = `${name}_${n}`;
    used.add(unique);
    return unique;
  });
}

function toRecord(names: string[], row: Cell[]): Record<string, Cell | Cell[]> {
  const entries: [string, Cell | Cell[]][] = names.flatMap((name, index) =>
    index < row.length ? [[name, row[index] ?? null] as [string, Cell]] : [],
  );
  // Like papaparse, extra fields are kept rather than dropped.
  if (row.length > names.length) entries.push(['__parsed_extra', row.slice(names.length)]);
  // fromEntries defines own properties, so "__proto__" is an ordinary key here.
  return Object.fromEntries(entries);
}
