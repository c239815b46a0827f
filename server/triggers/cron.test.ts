import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '@/server/errors';
import {
  DEFAULT_TIMEZONE,
  MAX_FIRE_TIMES,
  describeFrequency,
  dstNote,
  nextFireTime,
  nextFireTimes,
  parseFrequency,
  previewSchedule,
  validateFrequency,
  validateTimezone,
} from './cron';

// ---------------------------------------------------------------------------------------------
// Helpers

const HOST_ZONES = ['UTC', 'Australia/Sydney', 'America/New_York'] as const;
const originalHostZone = process.env.TZ;

function restoreHostZone(): void {
  if (originalHostZone === undefined) delete process.env.TZ;
  else process.env.TZ = originalHostZone;
}

afterEach(restoreHostZone);

/**
 * Runs `compute` with the process (host) time zone set to each of HOST_ZONES and checks that
 * the answer never changes: schedules live in their own zone, never the server's. Node applies
 * a new TZ to Date immediately, which the first assertion proves.
 */
function sameInEveryHostZone<T>(compute: () => T): T {
  const results = HOST_ZONES.map((zone) => {
    process.env.TZ = zone;
    return compute();
  });
  restoreHostZone();
  for (const result of results) expect(result).toEqual(results[0]);
  return results[0] as T;
}

function runs(expr: string, tz: string, from: string, count: number): string[] {
  return sameInEveryHostZone(() =>
    nextFireTimes(expr, tz, new Date(from), count).map((run) => run.toISOString()),
  );
}

function caught(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error: unknown) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

// ---------------------------------------------------------------------------------------------
// An independent reference for fire times, written from the policy in cases/README.md with
// nothing but Intl, to check croner's answers across zones and transitions.

const testFormatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(tz: string, ms: number): number {
  let format = testFormatters.get(tz);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    testFormatters.set(tz, format);
  }
  const parts = Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, p.value]));
  return Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
  );
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Offset of the zone at an instant, in ms (wall clock minus UTC). */
function offsetAt(tz: string, ms: number): number {
  return wallClock(tz, ms) - Math.floor(ms / MINUTE) * MINUTE;
}

/** Every instant whose wall clock in `tz` reads `wall` (0, 1 or 2 of them). */
function instantsOf(tz: string, wall: number): number[] {
  const offsets = new Set([offsetAt(tz, wall - 14 * HOUR), offsetAt(tz, wall + 14 * HOUR)]);
  const found = [...offsets].map((o) => wall - o).filter((t) => wallClock(tz, t) === wall);
  return [...new Set(found)].sort((a, b) => a - b);
}

/** For a wall time in a gap: the first instant after the gap (the transition). */
function endOfGap(tz: string, wall: number): number {
  let before = wall - 14 * HOUR;
  let after = wall + 14 * HOUR;
  while (after - before > MINUTE) {
    const middle = before + Math.floor((after - before) / 2 / MINUTE) * MINUTE;
    if (wallClock(tz, middle) >= wall) after = middle;
    else before = middle;
  }
  return after;
}

function referenceRuns(expr: string, tz: string, from: Date, count: number): string[] {
  const { fields, fixedTime } = parseFrequency(expr);
  const dom = fields['day-of-month'];
  const dow = fields['day-of-week'];
  const dayMatches = (day: Date): boolean => {
    const inDom = dom.values.includes(day.getUTCDate());
    const inDow = dow.values.includes(day.getUTCDay());
    if (!fields.month.values.includes(day.getUTCMonth() + 1)) return false;
    if (dom.full && dow.full) return true;
    if (dom.full) return inDow;
    if (dow.full) return inDom;
    return inDom || inDow;
  };
  const found: number[] = [];
  const firstDay = Math.floor(wallClock(tz, from.getTime() - DAY) / DAY) * DAY;
  for (let day = firstDay; found.length < count && day < firstDay + 12 * 366 * DAY; day += DAY) {
    if (!dayMatches(new Date(day))) continue;
    const today: number[] = [];
    for (const hour of fields.hour.values) {
      for (const minute of fields.minute.values) {
        const wall = day + hour * HOUR + minute * MINUTE;
        const instants = instantsOf(tz, wall);
        if (instants.length === 0 && fixedTime) today.push(endOfGap(tz, wall));
        else today.push(...(fixedTime ? instants.slice(0, 1) : instants));
      }
    }
    found.push(...today.sort((a, b) => a - b).filter((t) => t > from.getTime()));
  }
  return found.slice(0, count).map((t) => new Date(t).toISOString());
}

/** Transitions of a zone in a year: the instants where its offset changes. */
function transitions(tz: string, year: number): number[] {
  const found: number[] = [];
  const end = Date.UTC(year + 1, 0, 1);
  for (let day = Date.UTC(year, 0, 1); day < end; day += DAY) {
    if (offsetAt(tz, day) === offsetAt(tz, day + DAY)) continue;
    let before = day;
    let after = day + DAY;
    while (after - before > MINUTE) {
      const middle = before + Math.floor((after - before) / 2 / MINUTE) * MINUTE;
      if (offsetAt(tz, middle) === offsetAt(tz, day)) before = middle;
      else after = middle;
    }
    found.push(after);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Public cases

describe('[CRON]: public cases', () => {
  it('C01: a UTC schedule ignores the host zone and its DST change', () => {
    expect(runs('0 * * * *', 'UTC', '2025-10-05T02:00:00Z', 3)).toEqual([
      '2025-10-05T03:00:00.000Z',
      '2025-10-05T04:00:00.000Z',
      '2025-10-05T05:00:00.000Z',
    ]);
    expect(runs('0 * * * *', 'UTC', '2025-10-04T15:00:00Z', 3)).toEqual([
      '2025-10-04T16:00:00.000Z',
      '2025-10-04T17:00:00.000Z',
      '2025-10-04T18:00:00.000Z',
    ]);
  });

  it('C01: the host zone really changes during the check', () => {
    process.env.TZ = 'Australia/Sydney';
    expect(new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset()).toBe(-660);
    process.env.TZ = 'America/New_York';
    expect(new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset()).toBe(300);
  });

  it('C02a: a fixed time in the spring-forward gap runs at the end of the gap', () => {
    expect(runs('30 2 * * *', 'America/New_York', '2026-03-08T06:30:00Z', 3)).toEqual([
      '2026-03-08T07:00:00.000Z',
      '2026-03-09T06:30:00.000Z',
      '2026-03-10T06:30:00.000Z',
    ]);
  });

  it('C02b: an interval schedule never answers a time before the reference', () => {
    expect(runs('*/5 * * * *', 'America/New_York', '2026-03-08T06:59:00Z', 3)).toEqual([
      '2026-03-08T07:00:00.000Z',
      '2026-03-08T07:05:00.000Z',
      '2026-03-08T07:10:00.000Z',
    ]);
  });

  it('C02c: Europe/Rome on the spring-forward Sunday', () => {
    const from = '2025-03-28T23:59:59Z';
    expect(runs('0 5 * * 0', 'Europe/Rome', from, 3)).toEqual([
      '2025-03-30T03:00:00.000Z',
      '2025-04-06T03:00:00.000Z',
      '2025-04-13T03:00:00.000Z',
    ]);
    expect(runs('30 2 * * 0', 'Europe/Rome', from, 3)).toEqual([
      '2025-03-30T01:00:00.000Z',
      '2025-04-06T00:30:00.000Z',
      '2025-04-13T00:30:00.000Z',
    ]);
    expect(runs('0 * * * 0', 'Europe/Rome', '2025-03-29T00:00:00Z', 4)).toEqual([
      '2025-03-29T23:00:00.000Z',
      '2025-03-30T00:00:00.000Z',
      '2025-03-30T01:00:00.000Z',
      '2025-03-30T02:00:00.000Z',
    ]);
  });

  it('C02: invariants — after the reference, one run for the skipped time, within 25 h', () => {
    const from = new Date('2026-03-08T06:30:00Z');
    const next = nextFireTimes('30 2 * * *', 'America/New_York', from, 10);
    expect(next.every((run) => run > from)).toBe(true);
    const onGapDay = next.filter((run) => run.toISOString().startsWith('2026-03-08'));
    expect(onGapDay).toHaveLength(1);
    expect((next[0]?.getTime() ?? Infinity) - from.getTime()).toBeLessThanOrEqual(25 * HOUR);
  });

  it('C05: day of month and day of week both restricted fire on either', () => {
    expect(runs('0 0 13 * 5', 'UTC', '2023-01-01T00:00:00Z', 3)).toEqual([
      '2023-01-06T00:00:00.000Z',
      '2023-01-13T00:00:00.000Z',
      '2023-01-20T00:00:00.000Z',
    ]);
    const description = describeFrequency('0 0 13 * 5');
    expect(description).toBe('At 12:00 AM, on day 13 of the month or on Friday');
    expect(description).not.toMatch(/, and on|only on/);
  });

  it('C05: the next non-Friday 13th is in the list (OR, not AND)', () => {
    const next = runs('0 0 13 * 5', 'UTC', '2023-01-28T00:00:00Z', 3);
    expect(next).toEqual([
      '2023-02-03T00:00:00.000Z',
      '2023-02-10T00:00:00.000Z',
      '2023-02-13T00:00:00.000Z',
    ]);
  });

  it.each([
    ['1-59/2 * * * *', ['00:01', '00:03', '00:05']],
    ['0 1-23/2 * * *', ['01:00', '03:00', '05:00']],
    ['2-59/10 * * * *', ['00:02', '00:12', '00:22']],
  ])('C06: %s steps from the start of its range', (expr, times) => {
    const expected = times.map((time) => `2024-01-01T${time}:00.000Z`);
    expect(runs(expr, 'UTC', '2024-01-01T00:00:00Z', 3)).toEqual(expected);
  });

  it('C08: 7 is accepted as Sunday, and the job runs on Sunday', () => {
    expect(() => validateFrequency('0 20 * * 1,2,3,4,5,6,7')).not.toThrow();
    expect(runs('0 20 * * 1,2,3,4,5,6,7', 'UTC', '2024-01-06T21:00:00Z', 2)).toEqual([
      '2024-01-07T20:00:00.000Z',
      '2024-01-08T20:00:00.000Z',
    ]);
  });

  it.each(['0 0 * * 1-7/2', '0 0 * * 0,1,3,5', '0 0 * * mon-sun/2'])(
    'C08: %s is Monday, Wednesday, Friday and Sunday',
    (expr) => {
      expect(runs(expr, 'UTC', '2024-01-01T00:00:00Z', 4)).toEqual([
        '2024-01-03T00:00:00.000Z',
        '2024-01-05T00:00:00.000Z',
        '2024-01-07T00:00:00.000Z',
        '2024-01-08T00:00:00.000Z',
      ]);
      expect(describeFrequency(expr)).toBe(
        'At 12:00 AM, only on Sunday, Monday, Wednesday, and Friday',
      );
    },
  );

  it('C08: the preview of 7 agrees with the runs', () => {
    expect(describeFrequency('0 0 * * 7')).toBe('At 12:00 AM, only on Sunday');
    expect(runs('0 0 * * 7', 'UTC', '2024-01-01T00:00:00Z', 1)).toEqual([
      '2024-01-07T00:00:00.000Z',
    ]);
  });

  it.each([
    ['60 * * * *', 'FREQUENCY_INVALID', 'minute'],
    ['* * 0 * *', 'FREQUENCY_INVALID', 'day-of-month'],
    ['0 24 * * *', 'FREQUENCY_INVALID', 'hour'],
    ['0 0 * 13 *', 'FREQUENCY_INVALID', 'month'],
    ['/5 * * * *', 'FREQUENCY_INVALID', 'minute'],
    ['5-1 * * * *', 'FREQUENCY_INVALID', 'minute'],
    ['0 0 * * 6-0', 'FREQUENCY_INVALID', 'day-of-week'],
    ['* * * * * **', 'FREQUENCY_INVALID', undefined],
    ['* * * * * *', 'FREQUENCY_INVALID', undefined],
    ['* * * * *', 'FREQUENCY_TOO_FREQUENT', 'minute'],
    ['*/1 * * * *', 'FREQUENCY_TOO_FREQUENT', 'minute'],
    ['0-59 * * * *', 'FREQUENCY_TOO_FREQUENT', 'minute'],
    ['5/15 * * * *', 'FREQUENCY_INVALID', 'minute'],
    ['0 0 ? * *', 'FREQUENCY_INVALID', 'day-of-month'],
    ['0 0 * * ?', 'FREQUENCY_INVALID', 'day-of-week'],
    ['0 0 L * *', 'FREQUENCY_INVALID', 'day-of-month'],
    ['@daily', 'FREQUENCY_INVALID', undefined],
  ])('C11: %s is refused (%s) before any preview', (expr, status, field) => {
    const error = caught(() => validateFrequency(expr));
    expect(error.status).toBe(status);
    expect(error.details?.field).toBe(field);
    expect(caught(() => describeFrequency(expr)).status).toBe(status);
    expect(caught(() => previewSchedule({ frequency: expr })).status).toBe(status);
  });

  it('C11: 5/15 suggests 5-59/15', () => {
    expect(caught(() => validateFrequency('5/15 * * * *')).message).toContain('5-59/15');
  });

  it.each(['0 0 * * 7', '0 0 * * MON', '0 0 1 JAN *', '0 0 * * mon', '0 0 1 jan *'])(
    'C11: %s is inside the product grammar',
    (expr) => expect(() => validateFrequency(expr)).not.toThrow(),
  );

  it('C12: day 31 or Monday — described with "or", never "only on"', () => {
    const description = describeFrequency('0 * 31 * 1');
    expect(description).toBe('Every hour, on day 31 of the month or on Monday');
    expect(runs('0 * 31 * 1', 'UTC', '2024-01-30T00:00:00Z', 3)).toEqual([
      '2024-01-31T00:00:00.000Z',
      '2024-01-31T01:00:00.000Z',
      '2024-01-31T02:00:00.000Z',
    ]);
    expect(runs('0 * 31 * 1', 'UTC', '2024-01-31T23:00:00Z', 1)).toEqual([
      '2024-02-05T00:00:00.000Z',
    ]);
  });

  it('C15: */50 says it fires at :00 and :50', () => {
    const description = describeFrequency('*/50 * * * *');
    expect(description).toContain('at 0 and 50 minutes past the hour');
    expect(runs('*/50 * * * *', 'UTC', '2024-01-01T00:00:00Z', 3)).toEqual([
      '2024-01-01T00:50:00.000Z',
      '2024-01-01T01:00:00.000Z',
      '2024-01-01T01:50:00.000Z',
    ]);
  });

  it.each([
    ['*/7 * * * *', '0, 7, 14, 21, 28, 35, 42, 49, and 56 minutes past the hour'],
    ['*/45 * * * *', 'at 0 and 45 minutes past the hour'],
    ['0 */5 * * *', '12:00 AM, 05:00 AM, 10:00 AM, 03:00 PM, and 08:00 PM'],
  ])('C15: uneven step %s lists its values', (expr, listed) => {
    expect(describeFrequency(expr)).toContain(listed);
  });

  it.each(['*/15 * * * *', '0 */6 * * *', '*/30 * * * *'])(
    'C15: even step %s stays short',
    (expr) => expect(describeFrequency(expr)).not.toContain('every day'),
  );

  it('C16: an early timer gets the slot, and the slot gives the next slot', () => {
    const expr = '45 8,13 * * *';
    const wake = new Date('2024-01-01T08:44:59.999Z');
    const slot = nextFireTime(expr, 'UTC', wake);
    expect(slot?.toISOString()).toBe('2024-01-01T08:45:00.000Z');
    // The scheduler continues from the slot it ran, so it cannot pick 08:45 again.
    const following = slot && nextFireTime(expr, 'UTC', slot);
    expect(following?.toISOString()).toBe('2024-01-01T13:45:00.000Z');
  });

  it('C16: a scheduler fed its slots runs each slot once, with no run before its slot', () => {
    const expr = '45 8,13 * * *';
    let clock = new Date('2024-01-01T08:44:59.999Z').getTime();
    let slot = nextFireTime(expr, 'UTC', new Date(clock));
    const ran: string[] = [];
    for (let tick = 0; tick < 6 && slot; tick += 1) {
      // The timer fires 1 ms early; the run waits for its slot, then the slot advances.
      clock = slot.getTime() - 1;
      const start = Math.max(clock, slot.getTime());
      expect(start).toBeGreaterThanOrEqual(slot.getTime());
      ran.push(slot.toISOString());
      slot = nextFireTime(expr, 'UTC', slot);
    }
    expect(ran).toEqual([
      '2024-01-01T08:45:00.000Z',
      '2024-01-01T13:45:00.000Z',
      '2024-01-02T08:45:00.000Z',
      '2024-01-02T13:45:00.000Z',
      '2024-01-03T08:45:00.000Z',
      '2024-01-03T13:45:00.000Z',
    ]);
    expect(new Set(ran).size).toBe(ran.length);
  });

  it('C16: a slow run does not advance the weekly cadence twice (Europe/Prague)', () => {
    const slot = new Date('2026-08-03T04:00:00.000Z');
    // A tick 30 s into the run asks from the slot, not from the clock.
    const next = nextFireTimes('0 6 * * 1', 'Europe/Prague', slot, 3).map((d) => d.toISOString());
    expect(next).toEqual([
      '2026-08-10T04:00:00.000Z',
      '2026-08-17T04:00:00.000Z',
      '2026-08-24T04:00:00.000Z',
    ]);
    const duringRun = new Date(slot.getTime() + 30_000);
    expect(nextFireTime('0 6 * * 1', 'Europe/Prague', duringRun)?.toISOString()).toBe(
      '2026-08-10T04:00:00.000Z',
    );
  });

  it('missed ticks: after a long outage the next run is the next tick after now, once', () => {
    const now = new Date('2026-05-20T10:07:30.000Z');
    expect(nextFireTime('*/15 * * * *', 'UTC', now)?.toISOString()).toBe(
      '2026-05-20T10:15:00.000Z',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Next fire times

describe('[CRON]: next five runs', () => {
  const from = '2026-01-01T00:00:00Z'; // a Thursday
  it.each([
    ['0 8 * * 1', ['01-05T08:00', '01-12T08:00', '01-19T08:00', '01-26T08:00', '02-02T08:00']],
    ['45 23 * * 6', ['01-03T23:45', '01-10T23:45', '01-17T23:45', '01-24T23:45', '01-31T23:45']],
    ['*/5 1 * * *', ['01-01T01:00', '01-01T01:05', '01-01T01:10', '01-01T01:15', '01-01T01:20']],
    ['1 0 * * *', ['01-01T00:01', '01-02T00:01', '01-03T00:01', '01-04T00:01', '01-05T00:01']],
    ['0 9 * * mon-fri',
      ['01-01T09:00', '01-02T09:00', '01-05T09:00', '01-06T09:00', '01-07T09:00']],
    ['30 9 1,15 * *', ['01-01T09:30', '01-15T09:30', '02-01T09:30', '02-15T09:30', '03-01T09:30']],
    ['0 12 * JAN,jul SUN',
      ['01-04T12:00', '01-11T12:00', '01-18T12:00', '01-25T12:00', '07-05T12:00']],
    ['0 0 1 */3 *', ['04-01T00:00', '07-01T00:00', '10-01T00:00']],
    ['10-30/10 * * * *',
      ['01-01T00:10', '01-01T00:20', '01-01T00:30', '01-01T01:10', '01-01T01:20']],
    ['0 9-17/4 * * *', ['01-01T09:00', '01-01T13:00', '01-01T17:00', '01-02T09:00', '01-02T13:00']],
    ['0 0 1-10/3 * *', ['01-04T00:00', '01-07T00:00', '01-10T00:00', '02-01T00:00', '02-04T00:00']],
    ['0 0 31 * *', ['01-31T00:00', '03-31T00:00', '05-31T00:00', '07-31T00:00', '08-31T00:00']],
    ['0 12 30 * *', ['01-30T12:00', '03-30T12:00', '04-30T12:00', '05-30T12:00', '06-30T12:00']],
  ])('%s in UTC', (expr, expected) => {
    const count = expected.length;
    expect(runs(expr, 'UTC', from, count)).toEqual(expected.map((t) => `2026-${t}:00.000Z`));
  });

  it('0 0 1 1 * runs once a year, the reference itself excluded', () => {
    expect(runs('0 0 1 1 *', 'UTC', from, 3)).toEqual([
      '2027-01-01T00:00:00.000Z',
      '2028-01-01T00:00:00.000Z',
      '2029-01-01T00:00:00.000Z',
    ]);
  });

  it('month ends: 28-31 skips the days February lacks', () => {
    expect(runs('0 0 28-31 * *', 'UTC', '2026-02-27T00:00:00Z', 5)).toEqual([
      '2026-02-28T00:00:00.000Z',
      '2026-03-28T00:00:00.000Z',
      '2026-03-29T00:00:00.000Z',
      '2026-03-30T00:00:00.000Z',
      '2026-03-31T00:00:00.000Z',
    ]);
  });

  it('Feb 29 waits for the next leap year, and 2100 is not one', () => {
    expect(runs('0 0 29 2 *', 'UTC', '2024-03-01T00:00:00Z', 3)).toEqual([
      '2028-02-29T00:00:00.000Z',
      '2032-02-29T00:00:00.000Z',
      '2036-02-29T00:00:00.000Z',
    ]);
    expect(runs('0 0 29 2 *', 'UTC', '2096-03-01T00:00:00Z', 1)).toEqual([
      '2104-02-29T00:00:00.000Z',
    ]);
  });

  it('is strictly after the reference, also inside the same second', () => {
    expect(runs('0 * * * *', 'UTC', '2026-01-01T01:00:00.000Z', 1)).toEqual([
      '2026-01-01T02:00:00.000Z',
    ]);
    expect(runs('0 * * * *', 'UTC', '2026-01-01T01:00:00.500Z', 1)).toEqual([
      '2026-01-01T02:00:00.000Z',
    ]);
    expect(runs('0 * * * *', 'UTC', '2026-01-01T00:59:59.999Z', 1)).toEqual([
      '2026-01-01T01:00:00.000Z',
    ]);
  });

  it('caps the count and refuses a bad reference date', () => {
    const start = new Date(from);
    expect(nextFireTimes('*/5 * * * *', 'UTC', start, 500)).toHaveLength(MAX_FIRE_TIMES);
    expect(nextFireTimes('*/5 * * * *', 'UTC', start, 0)).toEqual([]);
    expect(nextFireTimes('*/5 * * * *', 'UTC', start, -3)).toEqual([]);
    expect(nextFireTimes('*/5 * * * *', 'UTC', start, 2.7)).toHaveLength(2);
    expect(caught(() => nextFireTimes('*/5 * * * *', 'UTC', new Date('x'), 1)).status).toBe(
      'BAD_REQUEST',
    );
  });

  it('refuses an invalid zone with the same error as the validator', () => {
    const error = caught(() => nextFireTimes('0 0 * * *', 'Mars/Base', new Date(from), 1));
    expect(error.status).toBe('TIMEZONE_INVALID');
  });

  it('reads names in any case and full-range fields as unrestricted', () => {
    const start = '2026-01-01T00:00:00Z';
    const mondays = ['2026-01-05T00:00:00.000Z', '2026-01-12T00:00:00.000Z'];
    expect(runs('0 0 1-31 * 1', 'UTC', start, 2)).toEqual(mondays);
    expect(runs('0 0 */1 * 1', 'UTC', start, 2)).toEqual(mondays);
    expect(runs('0 0 13 * 0-6', 'UTC', start, 2)).toEqual(runs('0 0 13 * *', 'UTC', start, 2));
    expect(runs('0 0 * * MON-SUN', 'UTC', start, 2)).toEqual(runs('0 0 * * *', 'UTC', start, 2));
    expect(runs('0 0 1 jAn *', 'UTC', start, 1)).toEqual(['2027-01-01T00:00:00.000Z']);
  });
});

describe('[CRON]: daylight saving time', () => {
  it.each([
    // Europe/London: 2026-03-29 01:00 GMT -> 02:00 BST; 2026-10-25 02:00 BST -> 01:00 GMT.
    ['30 1 * * *', 'Europe/London', '2026-03-28T12:00:00Z',
      ['2026-03-29T01:00', '2026-03-30T00:30', '2026-03-31T00:30']],
    ['30 1 * * *', 'Europe/London', '2026-10-24T12:00:00Z',
      ['2026-10-25T00:30', '2026-10-26T01:30', '2026-10-27T01:30']],
    ['*/15 * * * *', 'Europe/London', '2026-03-29T00:30:00Z',
      ['2026-03-29T00:45', '2026-03-29T01:00', '2026-03-29T01:15', '2026-03-29T01:30']],
    ['*/15 * * * *', 'Europe/London', '2026-10-25T00:30:00Z',
      ['2026-10-25T00:45', '2026-10-25T01:00', '2026-10-25T01:15', '2026-10-25T01:30']],
    // America/New_York: 2026-03-08 02:00 EST -> 03:00 EDT; 2026-11-01 02:00 EDT -> 01:00 EST.
    ['30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z',
      ['2026-03-08T07:00', '2026-03-09T06:30', '2026-03-10T06:30']],
    ['30 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z',
      ['2026-11-01T05:30', '2026-11-02T06:30', '2026-11-03T06:30']],
    ['*/15 * * * *', 'America/New_York', '2026-03-08T06:30:00Z',
      ['2026-03-08T06:45', '2026-03-08T07:00', '2026-03-08T07:15', '2026-03-08T07:30']],
    ['*/15 * * * *', 'America/New_York', '2026-11-01T05:30:00Z',
      ['2026-11-01T05:45', '2026-11-01T06:00', '2026-11-01T06:15', '2026-11-01T06:30']],
    // Australia/Sydney: 2026-04-05 03:00 AEDT -> 02:00 AEST; 2026-10-04 02:00 -> 03:00 AEDT.
    ['30 2 * * *', 'Australia/Sydney', '2026-04-04T00:00:00Z',
      ['2026-04-04T15:30', '2026-04-05T16:30', '2026-04-06T16:30']],
    ['30 2 * * *', 'Australia/Sydney', '2026-10-03T00:00:00Z',
      ['2026-10-03T16:00', '2026-10-04T15:30', '2026-10-05T15:30']],
    ['*/15 * * * *', 'Australia/Sydney', '2026-04-04T15:30:00Z',
      ['2026-04-04T15:45', '2026-04-04T16:00', '2026-04-04T16:15', '2026-04-04T16:30']],
    ['*/15 * * * *', 'Australia/Sydney', '2026-10-03T15:30:00Z',
      ['2026-10-03T15:45', '2026-10-03T16:00', '2026-10-03T16:15', '2026-10-03T16:30']],
    // Interval hours and lists: the missing 02:00 is skipped, the repeated 01:00 runs twice.
    ['0 1-3 * * *', 'America/New_York', '2026-03-07T12:00:00Z',
      ['2026-03-08T06:00', '2026-03-08T07:00', '2026-03-09T05:00']],
    ['30 1,2 * * *', 'America/New_York', '2026-10-31T12:00:00Z',
      ['2026-11-01T05:30', '2026-11-01T06:30', '2026-11-01T07:30', '2026-11-02T06:30']],
  ])('%s in %s from %s', (expr, tz, from, expected) => {
    const wanted = expected.map((t) => `${t}:00.000Z`);
    expect(runs(expr, tz, from, wanted.length)).toEqual(wanted);
  });

  it('a fixed time in the repeated hour does not run again on the second pass', () => {
    const between = '2026-11-01T05:45:00Z'; // 01:45 EDT, after the first 01:30
    expect(runs('30 1 * * *', 'America/New_York', between, 1)).toEqual([
      '2026-11-02T06:30:00.000Z',
    ]);
    const slot = new Date('2026-11-01T05:30:00Z');
    expect(nextFireTime('30 1 * * *', 'America/New_York', slot)?.toISOString()).toBe(
      '2026-11-02T06:30:00.000Z',
    );
  });

  it('a fixed time in a gap at midnight runs at the end of the gap (Havana, Santiago)', () => {
    expect(runs('0 0 * * *', 'America/Havana', '2026-03-07T12:00:00Z', 2)).toEqual([
      '2026-03-08T05:00:00.000Z',
      '2026-03-09T04:00:00.000Z',
    ]);
    expect(runs('30 0 * * *', 'America/Santiago', '2026-09-05T12:00:00Z', 2)).toEqual([
      '2026-09-06T04:00:00.000Z',
      '2026-09-07T03:30:00.000Z',
    ]);
  });

  it('half-hour and two-hour shifts (Lord Howe, Troll)', () => {
    expect(runs('15 2 * * *', 'Australia/Lord_Howe', '2026-10-03T00:00:00Z', 2)).toEqual([
      '2026-10-03T15:30:00.000Z',
      '2026-10-04T15:15:00.000Z',
    ]);
    expect(runs('30 1 * * *', 'Antarctica/Troll', '2026-03-28T12:00:00Z', 2)).toEqual([
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T23:30:00.000Z',
    ]);
  });

  const zones = [
    'Europe/London',
    'America/New_York',
    'Australia/Sydney',
    'Europe/Rome',
    'America/Santiago',
    'America/Havana',
    'Australia/Lord_Howe',
    'Antarctica/Troll',
    'Pacific/Chatham',
    'America/St_Johns',
    'Africa/Cairo',
  ];
  const expressions = [
    '30 2 * * *',
    '0 2 * * *',
    '59 1 * * *',
    '30 1 * * *',
    '0 0 * * *',
    '30 23 * * *',
    '45 2 * * 0',
    '0 3 * * *',
    '*/15 * * * *',
    '0 * * * *',
    '30 1-3 * * *',
    '15 2,14 * * *',
    '*/20 0-3 * * *',
  ];

  it.each(zones)('agrees with the reference around every 2026 transition in %s', (tz) => {
    const changes = transitions(tz, 2026);
    expect(changes.length).toBeGreaterThanOrEqual(2);
    for (const change of changes) {
      for (const expr of expressions) {
        for (const shift of [-26 * HOUR, -90 * MINUTE, 10 * MINUTE, 70 * MINUTE]) {
          const from = new Date(change + shift);
          const actual = nextFireTimes(expr, tz, from, 12).map((run) => run.toISOString());
          expect({ expr, from, actual }).toEqual({
            expr,
            from,
            actual: referenceRuns(expr, tz, from, 12),
          });
        }
      }
    }
  });

  it('agrees with the reference for 300 generated schedules in several zones', () => {
    let seed = 20261204;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const token = (min: number, max: number): string => {
      const a = min + random(max - min + 1);
      const b = a + random(max - a + 1);
      const forms = [
        '*', `${a}`, `${a}-${b}`, `*/${1 + random(12)}`, `${a}-${b}/${1 + random(5)}`,
        `${a},${b}`,
      ];
      return forms[random(forms.length)] ?? '*';
    };
    const zoneList = ['UTC', 'Europe/London', 'America/New_York', 'Australia/Sydney'];
    let checked = 0;
    while (checked < 300) {
      const expr = [token(0, 59), token(0, 23), token(1, 31), token(1, 12), token(0, 7)].join(' ');
      try {
        validateFrequency(expr);
      } catch {
        continue;
      }
      const tz = zoneList[random(zoneList.length)] ?? 'UTC';
      const from = new Date(Date.UTC(2026, 0, 1) + random(365) * DAY + random(1440) * MINUTE);
      const actual = nextFireTimes(expr, tz, from, 5).map((run) => run.toISOString());
      expect({ expr, tz, from, actual }).toEqual({
        expr,
        tz,
        from,
        actual: referenceRuns(expr, tz, from, 5),
      });
      expect(describeFrequency(expr)).not.toMatch(/undefined|null|NaN/);
      checked += 1;
    }
  });

  it('host zone does not matter around transitions', () => {
    for (const tz of ['Europe/London', 'Australia/Sydney', 'America/New_York']) {
      for (const change of transitions(tz, 2026)) {
        runs('30 2 * * *', tz, new Date(change - DAY).toISOString(), 3);
        runs('*/15 * * * *', tz, new Date(change - HOUR).toISOString(), 12);
      }
    }
  });

  it('dstNote explains days when the clocks change, and is null otherwise', () => {
    const spring = dstNote('30 2 * * *', 'America/New_York', new Date('2026-03-07T00:00Z'), 3);
    expect(spring).toContain('2026-03-08');
    expect(spring).toContain('forward 1 h');
    const autumn = dstNote('*/15 * * * *', 'America/New_York', new Date('2026-11-01T05:00Z'), 5);
    expect(autumn).toContain('back 1 h');
    expect(autumn).toContain('both passes');
    const lordHowe = dstNote('0 0 * * *', 'Australia/Lord_Howe', new Date('2026-10-03T00:00Z'), 2);
    expect(lordHowe).toContain('30 min');
    expect(dstNote('0 12 * * *', 'UTC', new Date('2026-03-07T00:00Z'), 5)).toBeNull();
    expect(dstNote('0 12 * * *', 'Europe/London', new Date('2026-06-01T00:00Z'), 5)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Validation

describe('[CRON]: frequency validation', () => {
  it.each([
    ['60 * * * *', 'minute', /0 to 59/],
    ['0 24 * * *', 'hour', /0 to 23/],
    ['0 0 32 * *', 'day-of-month', /1 to 31/],
    ['0 0 0 * *', 'day-of-month', /1 to 31/],
    ['0 0 * 0 *', 'month', /1 to 12/],
    ['0 0 * * 8', 'day-of-week', /0 to 7/],
    ['5-1 * * * *', 'minute', /backwards/],
    ['0 0 * * 6-0', 'day-of-week', /6-7/],
    ['0 0 * * sat-sun', undefined, undefined],
    ['5/15 * * * *', 'minute', /5-59\/15/],
    ['0 10/2 * * *', 'hour', /10-23\/2/],
    ['0 0 ? * *', 'day-of-month', /"\?"/],
    ['0 0 L * *', 'day-of-month', /"L"/],
    ['0 0 15W * *', 'day-of-month', /"W"/],
    ['0 0 * * 5#3', 'day-of-week', /"#"/],
    ['0 0 * * FRIL', 'day-of-week', /"L"/],
    ['0 0 * * MONDAY', 'day-of-week', /three-letter/],
    ['0 0 * JANUARY *', 'month', /three-letter/],
    ['0 0 * * JAN', 'day-of-week', /three-letter/],
    ['0 0 MON * *', 'day-of-month', /numbers/],
    ['a * * * *', 'minute', /numbers/],
    ['1,,2 * * * *', 'minute', /commas/],
    ['1, * * * *', 'minute', /commas/],
    ['*,5 * * * *', 'minute', /list/],
    ['*/0 * * * *', 'minute', /step/],
    ['*/61 * * * *', 'minute', /step/],
    ['*/x * * * *', 'minute', /step/],
    ['-1 * * * *', 'minute', /not valid/],
    ['1.5 * * * *', 'minute', /not valid/],
    ['0 0 1-5-7 * *', 'day-of-month', /not valid/],
    ['*-5 * * * *', 'minute', /not valid/],
    ['0 0 * * *-5', 'day-of-week', /not valid/],
    ['0 */ * * *', 'hour', /step/],
  ])('%s names the %s field', (expr, field, message) => {
    if (field === undefined) {
      expect(() => validateFrequency(expr)).not.toThrow();
      return;
    }
    const error = caught(() => validateFrequency(expr));
    expect(error.status).toBe('FREQUENCY_INVALID');
    expect(error.details?.field).toBe(field);
    expect(error.message).toContain(field);
    expect(error.message).toMatch(message ?? /./);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['* * * *', /4 fields/],
    ['0 0 * * * 2026', /6 fields.*seconds and years/],
    ['0 0 0 * * * *', /7 fields/],
    ['@daily', /0 0 \* \* \*/],
    ['@hourly', /0 \* \* \* \*/],
    ['@WEEKLY', /0 0 \* \* 0/],
    ['@reboot', /not supported/],
    ['x'.repeat(300), /longer than/],
  ])('refuses %j as a whole expression', (expr, message) => {
    const error = caught(() => validateFrequency(expr));
    expect(error.status).toBe('FREQUENCY_INVALID');
    expect(error.message).toMatch(message);
  });

  it.each([
    '* * * * *',
    '*/1 * * * *',
    '0-59 * * * *',
    '* 3 * * *',
    '0-30,31-59 * * * *',
    '0-59/1 * * * *',
    '* * 1 1 *',
    '0-29,30-59 9 * * 1',
  ])('refuses every-minute spelling %s as too frequent', (expr) => {
    const error = caught(() => validateFrequency(expr));
    expect(error.status).toBe('FREQUENCY_TOO_FREQUENT');
    expect(error.details?.field).toBe('minute');
  });

  it.each(['*/2 * * * *', '0-58 * * * *', '1-59 * * * *', '0,30 * * * *'])(
    'accepts %s, which skips some minutes',
    (expr) => expect(() => validateFrequency(expr)).not.toThrow(),
  );

  it.each([
    ['0 0 30 2 *', /day 30 of the month never occurs in February/],
    ['0 0 31 4 *', /April/],
    ['0 0 30,31 2 *', /days 30, 31/],
    ['0 0 31 2,4,6,9,11 *', /February, April, June, September, November/],
    ['0 0 31 apr-jun/2 *', /April, June/],
  ])('refuses %s, which never fires, quickly', (expr, message) => {
    const started = performance.now();
    const error = caught(() => validateFrequency(expr));
    expect(performance.now() - started).toBeLessThan(50);
    expect(error.status).toBe('FREQUENCY_INVALID');
    expect(error.details?.field).toBe('day-of-month');
    expect(error.message).toMatch(/never runs/);
    expect(error.message).toMatch(message);
  });

  it.each(['0 0 29 2 *', '0 0 31 4 1', '0 0 30 2 mon', '0 0 31 */2 *', '0 0 30,31 2,3 *'])(
    'accepts %s, which fires at least every few years',
    (expr) => {
      expect(() => validateFrequency(expr)).not.toThrow();
      expect(nextFireTimes(expr, 'UTC', new Date('2026-01-01T00:00:00Z'), 1)).toHaveLength(1);
    },
  );

  it('parses fields into values, with 7 folded into Sunday', () => {
    const { fields, fixedTime } = parseFrequency('5 4 1-3 jan,Mar 5-7');
    expect(fields.minute.values).toEqual([5]);
    expect(fields['day-of-month'].values).toEqual([1, 2, 3]);
    expect(fields.month.values).toEqual([1, 3]);
    expect(fields['day-of-week'].values).toEqual([0, 5, 6]);
    expect(fixedTime).toBe(true);
    expect(parseFrequency('0,30 4 * * *').fixedTime).toBe(false);
    expect(parseFrequency('0 4-4 * * *').fixedTime).toBe(true);
  });
});

describe('[CRON]: time zone validation', () => {
  it.each([
    'UTC',
    'Europe/London',
    'America/New_York',
    'Europe/Dublin',
    'America/Los_Angeles',
    'Australia/Lord_Howe',
    'America/Argentina/Buenos_Aires',
    // IANA links Intl resolves: accepted, V8's own list still uses some older spellings.
    'Asia/Kolkata',
    'Asia/Calcutta',
    'Europe/Kyiv',
    'US/Eastern',
    'Etc/UTC',
    'Etc/GMT+5',
  ])('accepts %s', (tz) => expect(() => validateTimezone(tz)).not.toThrow());

  it.each([
    ['', /IANA/],
    ['Mars/Olympus', /Unknown time zone/],
    ['Europe/Londn', /Unknown time zone/],
    ['+05:00', /Unknown time zone/],
    ['Europe/London ', /Unknown time zone/],
    ['europe/london', /"Europe\/London"/],
    ['utc', /"UTC"/],
    ['asia/kolkata', /case-sensitive/],
    ['EST', /legacy/],
    ['CET', /legacy/],
    ['EST5EDT', /legacy/],
    ['GMT', /legacy/],
  ])('refuses %j', (tz, message) => {
    const error = caught(() => validateTimezone(tz));
    expect(error.status).toBe('TIMEZONE_INVALID');
    expect(error.message).toMatch(message);
  });
});

// ---------------------------------------------------------------------------------------------
// Description and preview

describe('[CRON]: description', () => {
  it.each([
    ['0 8 * * 1', 'At 08:00 AM, only on Monday'],
    ['1 0 * * *', 'At 12:01 AM'],
    ['*/5 1 * * *', 'Every 5 minutes, between 01:00 AM and 01:59 AM'],
    ['0 9 * * mon-fri', 'At 09:00 AM, Monday through Friday'],
    ['0 9 * * MON-SUN', 'At 09:00 AM'],
    ['0 0 1-31 * 1', 'At 12:00 AM, only on Monday'],
    ['0 0 1 jan,JUL *', 'At 12:00 AM, on day 1 of the month, only in January and July'],
    ['0 0 */7 * *', 'At 12:00 AM, on day 1, 8, 15, 22, and 29 of the month'],
    ['5-40/10 * * * *', 'Every 10 minutes, minutes 5 through 35 past the hour'],
    ['0 2-20/5 * * *', 'On the hour, every 5 hours, between 02:00 AM and 05:00 PM'],
    ['0 0 13 6 5', 'At 12:00 AM, on day 13 of the month or on Friday, only in June'],
    ['0 0 1,15 * 1-5', 'At 12:00 AM, on day 1 and 15 of the month or on Monday through Friday'],
  ])('%s → %s', (expr, text) => expect(describeFrequency(expr)).toBe(text));

  it('says "or" and never "only on" whenever both day fields are restricted', () => {
    const days = ['13', '1,15', '1-7', '*/2', '31'];
    const weekdays = ['5', '1-5', 'mon,wed', '*/2', '7', 'sun'];
    const times = ['0 0', '*/50 *', '30 9-17/4', '0 */5'];
    for (const time of times) {
      for (const day of days) {
        for (const weekday of weekdays) {
          const text = describeFrequency(`${time} ${day} * ${weekday}`);
          expect(text).toMatch(/ or on /);
          expect(text).not.toMatch(/only on|, and on|undefined|null/);
        }
      }
    }
  });
});

describe('[CRON]: preview', () => {
  it('describes and lists the next runs as UTC instants with milliseconds', () => {
    const preview = previewSchedule({
      frequency: '0 8 * * 1',
      timezone: 'Europe/Rome',
      from: new Date('2026-01-01T00:00:00Z'),
      count: 3,
    });
    expect(preview).toEqual({
      description: 'At 08:00 AM, only on Monday',
      next: ['2026-01-05T07:00:00.000Z', '2026-01-12T07:00:00.000Z', '2026-01-19T07:00:00.000Z'],
    });
  });

  it('defaults to UTC and five runs', () => {
    expect(DEFAULT_TIMEZONE).toBe('UTC');
    const from = new Date('2026-01-01T00:00:00Z');
    const preview = previewSchedule({ frequency: '0 6 * * *', timezone: null, from });
    expect(preview.next).toEqual([
      '2026-01-01T06:00:00.000Z',
      '2026-01-02T06:00:00.000Z',
      '2026-01-03T06:00:00.000Z',
      '2026-01-04T06:00:00.000Z',
      '2026-01-05T06:00:00.000Z',
    ]);
  });

  it('throws the validators\' errors', () => {
    expect(caught(() => previewSchedule({ frequency: '0 0 30 2 *' })).status).toBe(
      'FREQUENCY_INVALID',
    );
    expect(caught(() => previewSchedule({ frequency: '0 0 * * *', timezone: 'Nowhere' })).status)
      .toBe('TIMEZONE_INVALID');
  });
});
