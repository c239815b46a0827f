import { describe, expect, it } from 'vitest';

import { formatRun, schedulePreview } from '@/components/schedulePreview';
import { nextFireTimes, previewSchedule } from '@/server/triggers/cron';

const now = new Date('2026-03-27T12:00:00Z');

describe('[CRON BUILDER]: what the builder shows is what the server computes', () => {
  it('matches the server preview for the same input', () => {
    const shown = schedulePreview('30 2 * * *', 'Europe/Rome', now);
    const server = previewSchedule({ frequency: '30 2 * * *', timezone: 'Europe/Rome', from: now });
    expect(shown.description).toBe(server.description);
    expect(shown.runs.map((run) => run.toISOString())).toEqual(server.next);
  });

  it('notes the clock change when a run falls on it (Rome, 29 March 2026)', () => {
    const shown = schedulePreview('30 2 * * *', 'Europe/Rome', now);
    expect(shown.dst).toMatch(/2026-03-29.*forward 1 h/);
  });

  it('refuses every minute with the validator code and reason, and lists no runs', () => {
    const shown = schedulePreview('*/1 * * * *', 'UTC', now);
    expect(shown.frequencyError?.status).toBe('FREQUENCY_TOO_FREQUENT');
    expect(shown.frequencyError?.message).toMatch(/every minute/);
    expect(shown.runs).toEqual([]);
  });

  it('names the field of a grammar error', () => {
    const shown = schedulePreview('0 25 * * *', 'UTC', now);
    expect(shown.frequencyError).toEqual({
      status: 'FREQUENCY_INVALID',
      message: expect.stringMatching(/hour/),
    });
  });

  it('uses the server default zone when none is set, and reports a bad zone', () => {
    expect(schedulePreview('0 8 * * *', '', now).zone).toBe('UTC');
    const bad = schedulePreview('0 8 * * *', 'Europe/Nowhere', now);
    expect(bad.timezoneError).toMatch(/Unknown time zone/);
    expect(bad.runs).toEqual([]);
  });

  it('formats a run in the chosen zone with a 24-hour clock', () => {
    const [run] = nextFireTimes('30 9 * * *', 'Europe/Rome', now, 1);
    if (!run) throw new Error('expected a run');
    expect(formatRun(run, 'Europe/Rome')).toMatch(/09:30/);
    expect(formatRun(run, 'UTC')).toMatch(/08:30/);
  });
});
