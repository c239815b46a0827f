/**
 * Schedules: the cron grammar, its validation, next fire times and the human description.
 * Save validation, the preview endpoint, the editor's cron builder and the scheduler all use
 * this module, so what is accepted, what is shown and what runs can never disagree.
 *
 * Grammar: five fields (minute hour day-of-month month day-of-week); numbers, `*`, lists,
 * ranges and steps (`*\/n`, `a-b/n`); day-of-week 0-6 with 7 also Sunday; three-letter English
 * month and weekday names in any case. Everything else is refused with a message naming the
 * field. We parse it ourselves and hand croner only plain value lists, so croner's own wider
 * grammar (seconds, L, W, #, ?, macros) can never leak in.
 *
 * Semantics:
 * - A field whose values cover its whole range counts as `*`, however it is spelled
 *   (`1-31`, `*\/1`, `0-7`). Day-of-month and day-of-week both restricted: a day matching
 *   either one fires (Vixie cron's OR); otherwise the restricted one alone decides.
 * - Times are computed in the schedule's time zone with Intl (through croner), never with the
 *   host's zone.
 * - DST: a fixed-time schedule (one minute value and one hour value) whose time falls in a
 *   skipped hour runs once at the first valid instant after the gap, that day; in a repeated
 *   hour it runs once, on the first pass. Any other schedule (an interval) skips times that do
 *   not exist and runs on both passes of a repeated hour, keeping the real-time spacing.
 *   croner 11 implements exactly this with `fixedTimeRule: 'single-value'`; the tests check it
 *   against an independent reference around every 2026 transition of eleven zones.
 *
 * Where we differ from croner, and why:
 * - croner accepts a wider grammar (seconds, L, W, #, ?, @macros); we parse ourselves and pass
 *   it plain value lists, so only our grammar reaches it.
 * - croner ORs a day field that is restricted only in spelling (`0 0 1-31 * 1`, `0 0 *\/1 * 1`
 *   run every day there); we write a field covering its whole range as `*`, so such a schedule
 *   runs on Mondays, and the description, the never-fires check and the runs all agree.
 * - croner finds a schedule that never fires only by searching until its year limit; we refuse
 *   it from the fields at save.
 * - The answers are checked to be strictly ascending and after the reference, so a library
 *   fault can never feed the scheduler a time in the past.
 */
import { Cron } from 'croner';
import cronstrue from 'cronstrue';
import { AppError } from '../errors';

export const DEFAULT_TIMEZONE = 'UTC';
/** The most fire times one call computes (previews show a handful; the scheduler needs one). */
export const MAX_FIRE_TIMES = 50;
export const DEFAULT_PREVIEW_COUNT = 5;

export const cronFields = ['minute', 'hour', 'day-of-month', 'month', 'day-of-week'] as const;
export type CronField = (typeof cronFields)[number];

/** One list item, resolved to numbers: `*` is its field's range, a value is a one-value range. */
export interface CronItem {
  start: number;
  end: number;
  step: number;
  /** Written as `*` or `*\/n`. */
  star: boolean;
  /** Written with `/n`. */
  stepped: boolean;
}

export interface ParsedField {
  field: CronField;
  text: string;
  items: CronItem[];
  /** Sorted, unique; day-of-week is 0-6 (a 7 is folded into 0). */
  values: number[];
  /** The values cover the whole range, so the field restricts nothing. */
  full: boolean;
}

export interface ParsedFrequency {
  fields: Record<CronField, ParsedField>;
  /** One minute and one hour value: the DST rules for fixed times apply. */
  fixedTime: boolean;
}

interface FieldSpec {
  field: CronField;
  min: number;
  /** The highest value written; for day-of-week 7 (Sunday again). */
  max: number;
  /** The highest distinct value; `*` means min..last. */
  last: number;
  /** Three-letter names, numbered from `namesFrom`. */
  names?: readonly string[];
  namesFrom?: number;
}

const monthNames = [
  'JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC',
] as const;
const dayNames = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
const monthLabels = [
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December',
] as const;

const specs: Record<CronField, FieldSpec> = {
  minute: { field: 'minute', min: 0, max: 59, last: 59 },
  hour: { field: 'hour', min: 0, max: 23, last: 23 },
  'day-of-month': { field: 'day-of-month', min: 1, max: 31, last: 31 },
  month: { field: 'month', min: 1, max: 12, last: 12, names: monthNames, namesFrom: 1 },
  'day-of-week': {
    field: 'day-of-week', min: 0, max: 7, last: 6, names: dayNames, namesFrom: 0,
  },
};

const MAX_EXPRESSION_LENGTH = 200;

const macroEquivalents: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

// ---------------------------------------------------------------------------------------------
// Validation

export function validateFrequency(expr: string): void {
  parseFrequency(expr);
}

/** Parses and fully validates an expression (grammar, too frequent, never fires). */
export function parseFrequency(expr: string): ParsedFrequency {
  const [minute, hour, dayOfMonth, month, dayOfWeek] = splitExpression(expr);
  const fields: Record<CronField, ParsedField> = {
    minute: parseField(minute, specs.minute),
    hour: parseField(hour, specs.hour),
    'day-of-month': parseField(dayOfMonth, specs['day-of-month']),
    month: parseField(month, specs.month),
    'day-of-week': parseField(dayOfWeek, specs['day-of-week']),
  };
  checkNotEveryMinute(fields.minute);
  checkFiresAtAll(fields);
  const fixedTime = fields.minute.values.length === 1 && fields.hour.values.length === 1;
  return { fields, fixedTime };
}

function invalid(message: string, field?: CronField, value?: string): AppError {
  const details: Record<string, unknown> = {};
  if (field) details.field = field;
  if (value !== undefined) details.value = value;
  return new AppError('FREQUENCY_INVALID', message, { details });
}

type FiveFields = readonly [string, string, string, string, string];

function splitExpression(expr: string): FiveFields {
  if (typeof expr !== 'string' || expr.trim() === '') {
    throw invalid('frequency is empty; write a cron expression such as "0 8 * * 1"');
  }
  const trimmed = expr.trim();
  if (trimmed.length > MAX_EXPRESSION_LENGTH) {
    throw invalid(`frequency is longer than ${MAX_EXPRESSION_LENGTH} characters`);
  }
  if (trimmed.startsWith('@')) throw macroError(trimmed);
  const parts = trimmed.split(/\s+/);
  if (parts.length !== 5) {
    const extra = parts.length > 5 ? '; seconds and years are not supported' : '';
    throw invalid(
      `frequency has ${parts.length} field${parts.length === 1 ? '' : 's'}; it needs exactly 5 ` +
        `(minute hour day-of-month month day-of-week)${extra}`,
    );
  }
  const [minute = '', hour = '', dayOfMonth = '', month = '', dayOfWeek = ''] = parts;
  return [minute, hour, dayOfMonth, month, dayOfWeek];
}

function macroError(text: string): AppError {
  const equivalent = macroEquivalents[text.toLowerCase()];
  const hint = equivalent ? `; write "${equivalent}" instead` : '';
  return invalid(`shortcuts such as "${text}" are not supported, use the five fields${hint}`);
}

function parseField(text: string, spec: FieldSpec): ParsedField {
  const fail = (reason: string): AppError =>
    invalid(`Invalid ${spec.field} field "${text}": ${reason}`, spec.field, text);
  const pieces = text.split(',');
  if (pieces.some((piece) => piece === '')) {
    throw fail('a list needs a value between every pair of commas');
  }
  const items = pieces.map((piece) => parseItem(piece, spec, fail));
  if (items.length > 1 && items.some((item) => item.star)) {
    throw fail('"*" already means every value and cannot be part of a list');
  }
  const values = expandItems(items, spec);
  const full = values.length === spec.last - spec.min + 1;
  return { field: spec.field, text, items, values, full };
}

type Fail = (reason: string) => AppError;

const itemPattern = /^(\*|[A-Za-z0-9]+)(?:-([A-Za-z0-9]+))?(?:\/(.*))?$/;

function parseItem(piece: string, spec: FieldSpec, fail: Fail): CronItem {
  const match = itemPattern.exec(piece);
  if (!match) throw fail(diagnose(piece, spec));
  const [, base = '', rangeEnd, stepText] = match;
  const stepped = stepText !== undefined;
  const step = stepped ? parseStep(stepText, spec, fail) : 1;
  if (base === '*') {
    if (rangeEnd !== undefined) throw fail(diagnose(piece, spec));
    return { start: spec.min, end: spec.last, step, star: true, stepped };
  }
  const start = resolveValue(base, spec, fail, false);
  if (rangeEnd === undefined) {
    if (stepped) {
      throw fail(
        `a step needs a range or "*" before the slash; write ${base}-${spec.last}/${stepText}`,
      );
    }
    return { start, end: start, step, star: false, stepped };
  }
  const end = resolveValue(rangeEnd, spec, fail, true);
  if (start > end) throw fail(reversedRange(base, rangeEnd, spec));
  return { start, end, step, star: false, stepped };
}

function parseStep(text: string, spec: FieldSpec, fail: Fail): number {
  if (!/^\d+$/.test(text)) throw fail(`the step after "/" must be a whole number, not "${text}"`);
  const step = Number(text);
  const span = spec.last - spec.min + 1;
  if (step < 1 || step > span) throw fail(`the step must be between 1 and ${span}`);
  return step;
}

function resolveValue(token: string, spec: FieldSpec, fail: Fail, rangeEnd: boolean): number {
  if (/^\d+$/.test(token)) {
    const value = Number(token);
    if (value < spec.min || value > spec.max) {
      const limits = `${spec.min} to ${spec.max}`;
      throw fail(`${token} is out of range; ${spec.field} values go from ${limits}`);
    }
    return value;
  }
  const index = spec.names?.indexOf(token.toUpperCase()) ?? -1;
  if (index < 0) throw fail(diagnose(token, spec));
  const value = index + (spec.namesFrom ?? 0);
  // SUN closing a range means the Sunday at the end of the week, as in MON-SUN.
  return rangeEnd && spec.field === 'day-of-week' && value === 0 ? 7 : value;
}

function reversedRange(from: string, to: string, spec: FieldSpec): string {
  const sundayHint =
    spec.field === 'day-of-week' && (to === '0' || to.toUpperCase() === 'SUN')
      ? ` (use 7 for a Sunday that ends the range: ${from}-7)`
      : '';
  return `the range ${from}-${to} runs backwards; write the smaller value first${sundayHint}`;
}

/** Explains a piece that is not in the grammar, naming the foreign syntax when we know it. */
function diagnose(piece: string, spec: FieldSpec): string {
  const withoutNames = (spec.names ?? []).reduce(
    (text, name) => text.replace(new RegExp(name, 'gi'), ''),
    piece,
  );
  if (piece.includes('?')) return '"?" is not supported; use "*" for any value';
  if (piece.includes('#')) return '"#" (the nth weekday of the month) is not supported';
  if (/L/i.test(withoutNames)) return '"L" (last day or weekday) is not supported';
  if (/W/i.test(withoutNames)) return '"W" (nearest weekday) is not supported';
  if (piece.startsWith('/')) return `a step needs "*" or a range before the slash, as in *${piece}`;
  if (/[A-Za-z]/.test(piece)) {
    return spec.names
      ? `"${piece}" is not a ${spec.field} name; use three-letter English names such as ` +
          `${spec.field === 'month' ? 'JAN' : 'MON'}`
      : `only numbers are allowed in the ${spec.field} field`;
  }
  return `"${piece}" is not valid; use numbers, "*", lists (1,2), ranges (1-5) or steps (*/15)`;
}

function expandItems(items: readonly CronItem[], spec: FieldSpec): number[] {
  const values = new Set<number>();
  for (const item of items) {
    for (let value = item.start; value <= item.end; value += item.step) {
      values.add(spec.field === 'day-of-week' ? value % 7 : value);
    }
  }
  return [...values].sort((a, b) => a - b);
}

function checkNotEveryMinute(minute: ParsedField): void {
  if (!minute.full) return;
  throw new AppError(
    'FREQUENCY_TOO_FREQUENT',
    `The minute field "${minute.text}" runs every minute, which is not allowed; ` +
      'choose fewer minutes, for example "*/5" or "0"',
    { details: { field: 'minute', value: minute.text } },
  );
}

/** Longest length of each month, 29 for February, which exists in leap years. */
const longestMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * Refuses day-of-month/month pairs that never meet (`0 0 30 2 *`, `0 0 31 4,6 *`). Decided from
 * the fields, not by searching: a restricted day-of-week always fires (every month has every
 * weekday, and it is OR-ed with the day of month), and any day up to 29 occurs at least in leap
 * years, so the only way never to fire is a day of month that is longer than every chosen month.
 */
function checkFiresAtAll(fields: Record<CronField, ParsedField>): void {
  const days = fields['day-of-month'];
  if (days.full || !fields['day-of-week'].full) return;
  const firstDay = days.values[0] ?? 1;
  const months = fields.month.values;
  if (months.some((month) => firstDay <= (longestMonth[month - 1] ?? 31))) return;
  const dayText =
    days.values.length === 1
      ? `day ${firstDay} of the month never occurs`
      : `days ${days.values.join(', ')} of the month never occur`;
  const monthText = months.map((month) => monthLabels[month - 1]).join(', ');
  throw invalid(
    `This schedule never runs: ${dayText} in ${monthText}`,
    'day-of-month',
    days.text,
  );
}

// ---------------------------------------------------------------------------------------------
// Time zones

let canonicalZones: ReadonlySet<string> | undefined;
let zonesByLowerCase: ReadonlyMap<string, string> | undefined;

function knownZones(): ReadonlySet<string> {
  canonicalZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  return canonicalZones;
}

function zoneIgnoringCase(tz: string): string | undefined {
  zonesByLowerCase ??= new Map([...knownZones(), 'UTC'].map((zone) => [zone.toLowerCase(), zone]));
  return zonesByLowerCase.get(tz.toLowerCase());
}

function intlAccepts(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Accepts IANA names, exactly spelled:
 * - every name in `Intl.supportedValuesOf('timeZone')`, and `UTC`;
 * - IANA links in Area/Location form that Intl resolves (`Asia/Kolkata`, `Europe/Kyiv`,
 *   `US/Eastern`, `Etc/UTC`). They must stay: V8's list holds the older spelling of several
 *   zones (`Asia/Calcutta`, `Europe/Kiev`), so refusing links would refuse current names.
 * Refused: unknown names, wrong letter case (the name is stored and shown as typed), and legacy
 * names without an area (`EST`, `CET`, `EST5EDT`, `GMT`): they are deprecated, and `EST` or
 * `CET` never observe the DST rules their users usually expect.
 */
export function validateTimezone(tz: string): void {
  const fail = (message: string) => new AppError('TIMEZONE_INVALID', message, { details: { tz } });
  if (typeof tz !== 'string' || tz === '') {
    throw fail('timezone must be an IANA time zone name such as "Europe/London"');
  }
  if (tz === 'UTC' || knownZones().has(tz)) return;
  if (!intlAccepts(tz)) {
    throw fail(`Unknown time zone "${tz}"; use an IANA name such as "Europe/London" or "UTC"`);
  }
  const spelled = zoneIgnoringCase(tz);
  if (spelled) throw fail(`Time zone names are case-sensitive: write "${spelled}"`);
  if (!tz.includes('/')) {
    throw fail(
      `"${tz}" is a legacy zone name; use a location-based IANA name such as ` +
        '"America/New_York" or "UTC"',
    );
  }
  if (!/^[A-Z][A-Za-z0-9_+-]*(\/[A-Z0-9][A-Za-z0-9_+-]*)+$/.test(tz)) {
    throw fail(`Time zone names are case-sensitive: "${tz}" is not spelled as in the IANA list`);
  }
}

// ---------------------------------------------------------------------------------------------
// Fire times

/**
 * The next `count` fire times strictly after `from` (at most MAX_FIRE_TIMES), computed in
 * `timezone`. Throws the validation errors for a bad expression or zone.
 */
export function nextFireTimes(expr: string, timezone: string, from: Date, count: number): Date[] {
  const parsed = parseFrequency(expr);
  validateTimezone(timezone);
  const start = checkDate(from);
  const wanted = clampCount(count);
  if (wanted === 0) return [];
  const runs = cronFor(parsed, timezone).nextRuns(wanted, start);
  return checkAscending(runs, start);
}

/**
 * The next fire time strictly after `after`. The scheduler passes the slot it just ran (not
 * the clock), so a timer that wakes a little early can never run the same slot twice.
 */
export function nextFireTime(expr: string, timezone: string, after: Date): Date | null {
  return nextFireTimes(expr, timezone, after, 1)[0] ?? null;
}

function cronFor(parsed: ParsedFrequency, timezone: string): Cron {
  const pattern = cronFields.map((field) => cronerField(parsed.fields[field])).join(' ');
  return new Cron(pattern, {
    timezone,
    paused: true,
    mode: '5-part',
    // OR when both day fields are restricted; our pattern writes an unrestricted field as `*`.
    domAndDow: false,
    sloppyRanges: false,
    // Fixed time = one minute value and one hour value; matches our plain value lists.
    fixedTimeRule: 'single-value',
  });
}

function cronerField(field: ParsedField): string {
  return field.full ? '*' : field.values.join(',');
}

function checkDate(value: Date): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new AppError('BAD_REQUEST', 'from must be a valid date');
  }
  return value;
}

function clampCount(count: number): number {
  if (!Number.isFinite(count)) return 0;
  return Math.min(MAX_FIRE_TIMES, Math.max(0, Math.floor(count)));
}

/**
 * Guards the invariant the scheduler depends on: every time is after `from` and after the one
 * before it. A library bug here would otherwise turn into a catch-up loop that never ends.
 */
function checkAscending(runs: Date[], from: Date): Date[] {
  let previous = from.getTime();
  for (const run of runs) {
    if (!(run.getTime() > previous)) {
      throw new AppError('INTERNAL_ERROR', 'schedule computation went backwards', {
        details: { from: from.toISOString(), run: run.toISOString() },
      });
    }
    previous = run.getTime();
  }
  return runs;
}

// ---------------------------------------------------------------------------------------------
// Description

/** A human description of a valid expression; throws the validation error for an invalid one. */
export function describeFrequency(expr: string): string {
  const { fields } = parseFrequency(expr);
  const verbose = unevenStep(fields.minute, 60) || unevenStep(fields.hour, 24);
  const parts = cronFields.map((field) =>
    field === 'minute' || field === 'hour'
      ? describedTimeField(fields[field])
      : describedDayField(fields[field]),
  );
  const full = runCronstrue(parts.join(' '), verbose);
  if (fields['day-of-month'].full || fields['day-of-week'].full) return full;
  return withOrWording(full, parts, verbose);
}

/**
 * cronstrue says "every 50 minutes" for `*\/50`, which fires at :00 and :50. Its verbose mode
 * lists the values, so we use it when a `*\/n` step does not divide the field evenly.
 */
function unevenStep(field: ParsedField, size: number): boolean {
  const [item, other] = field.items;
  return !other && item !== undefined && item.star && item.stepped && size % item.step !== 0;
}

/** Minute and hour as cronstrue reads them best: ranges end on their last real value. */
function describedTimeField(field: ParsedField): string {
  if (field.full) return '*';
  const [item, other] = field.items;
  if (!item) return '*';
  if (other) return field.items.some((i) => i.stepped) ? field.values.join(',') : field.text;
  if (item.star) return `*/${item.step}`;
  const lastValue = item.start + Math.floor((item.end - item.start) / item.step) * item.step;
  if (lastValue === item.start) return String(item.start);
  return item.stepped ? `${item.start}-${lastValue}/${item.step}` : `${item.start}-${item.end}`;
}

/**
 * Day fields with a step become plain lists: cronstrue's "every 2 days of the week, Monday
 * through Sunday" or "every 7 days in a month" hide which days actually fire.
 */
function describedDayField(field: ParsedField): string {
  if (field.full) return '*';
  if (field.items.some((item) => item.stepped)) return field.values.join(',');
  return field.items
    .map((item) => (item.start === item.end ? `${item.start}` : `${item.start}-${item.end}`))
    .join(',');
}

function runCronstrue(expression: string, verbose: boolean): string {
  try {
    return cronstrue.toString(expression, { verbose, throwExceptionOnParseError: true });
  } catch (cause: unknown) {
    // cronstrue throws strings; everything we pass has been validated, so this is our bug.
    throw new AppError('INTERNAL_ERROR', 'could not describe the schedule', { cause });
  }
}

/**
 * cronstrue joins a restricted day of month and day of week with "and" ("on day 13 of the
 * month, and on Friday"), which reads as Friday the 13th; the schedule fires on either, so we
 * say "or". The weekday part is what the full text adds after the text without it.
 */
function withOrWording(full: string, parts: readonly string[], verbose: boolean): string {
  const [minute = '*', hour = '*', days = '*'] = parts;
  const prefix = runCronstrue(`${minute} ${hour} ${days} * *`, verbose);
  if (!full.startsWith(prefix)) return full.replace(', and on ', ' or on ');
  const rest = full.slice(prefix.length).replace(/^, (and on |only on )?/, '');
  return `${prefix} or on ${rest}`;
}

// ---------------------------------------------------------------------------------------------
// Preview

export interface PreviewInput {
  frequency: string;
  timezone?: string | null;
  from?: Date;
  count?: number;
}

export interface SchedulePreview {
  description: string;
  /** ISO 8601 instants in UTC with milliseconds. */
  next: string[];
}

export function previewSchedule(input: PreviewInput): SchedulePreview {
  const timezone = input.timezone || DEFAULT_TIMEZONE;
  const description = describeFrequency(input.frequency);
  const runs = nextFireTimes(
    input.frequency,
    timezone,
    input.from ?? new Date(),
    input.count ?? DEFAULT_PREVIEW_COUNT,
  );
  return { description, next: runs.map((run) => run.toISOString()) };
}

// ---------------------------------------------------------------------------------------------
// DST note for the editor

/**
 * A short note when some of the next runs fall on a day the zone's clocks change, saying how
 * that day is handled; null when none do.
 */
export function dstNote(expr: string, timezone: string, from: Date, count: number): string | null {
  const { fixedTime } = parseFrequency(expr);
  const notes = new Map<string, string>();
  for (const run of nextFireTimes(expr, timezone, from, count)) {
    const change = clockChangeOnDay(timezone, run);
    if (change && !notes.has(change.date)) notes.set(change.date, changeNote(change, fixedTime));
  }
  return notes.size > 0 ? [...notes.values()].join(' ') : null;
}

interface ClockChange {
  date: string;
  /** Minutes the clocks move: positive forward, negative back. */
  shift: number;
}

function changeNote({ date, shift }: ClockChange, fixedTime: boolean): string {
  const amount = shift % 60 === 0 ? `${Math.abs(shift) / 60} h` : `${Math.abs(shift)} min`;
  if (shift > 0) {
    const rule = fixedTime
      ? 'a run set inside the skipped time runs at the first minute after it'
      : 'times inside the skipped period do not exist and are skipped';
    return `On ${date} clocks go forward ${amount}; ${rule}.`;
  }
  const rule = fixedTime
    ? 'a run set in the repeated time runs once, on the first pass'
    : 'runs in the repeated time happen on both passes, keeping their real spacing';
  return `On ${date} clocks go back ${amount}; ${rule}.`;
}

function clockChangeOnDay(timezone: string, at: Date): ClockChange | null {
  const local = localParts(timezone, at.getTime());
  const offset = offsetMinutes(timezone, at.getTime());
  const dayStart = Date.UTC(local.year, local.month - 1, local.day) - offset * 60_000;
  const before = offsetMinutes(timezone, dayStart);
  const after = offsetMinutes(timezone, dayStart + 24 * 3_600_000);
  if (before === after) return null;
  const date = `${local.year}-${pad(local.month)}-${pad(local.day)}`;
  return { date, shift: after - before };
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(timezone: string, instant: number): LocalParts {
  const format = formatters.get(timezone) ?? createFormatter(timezone);
  const parts = format.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value ?? NaN);
  return {
    year: part('year'),
    month: part('month'),
    day: part('day'),
    hour: part('hour'),
    minute: part('minute'),
  };
}

function createFormatter(timezone: string): Intl.DateTimeFormat {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  formatters.set(timezone, format);
  return format;
}

/** The zone's UTC offset in minutes at an instant (whole minutes, as all current zones are). */
function offsetMinutes(timezone: string, instant: number): number {
  const { year, month, day, hour, minute } = localParts(timezone, instant);
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  return Math.round((wall - Math.floor(instant / 60_000) * 60_000) / 60_000);
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
