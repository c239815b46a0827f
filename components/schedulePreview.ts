import {
  DEFAULT_PREVIEW_COUNT,
  DEFAULT_TIMEZONE,
  describeFrequency,
  dstNote,
  nextFireTimes,
  validateTimezone,
} from '@/server/triggers/cron';
import { isAppError } from '@/server/errors';

/**
 * What the cron builder shows for a frequency and a timezone, computed with the module the
 * server validates and schedules with: an accepted expression, its description and its next
 * runs here are exactly what the save accepts and the scheduler fires.
 */
export interface SchedulePreviewResult {
  /** The zone the runs are computed in (the server default when none is set). */
  zone: string;
  description: string | null;
  runs: Date[];
  dst: string | null;
  /** The validator's refusal of the expression: status code and message. */
  frequencyError: { status: string; message: string } | null;
  timezoneError: string | null;
}

export function schedulePreview(
  frequency: string,
  timezone: string,
  now: Date,
): SchedulePreviewResult {
  const zone = timezone.trim() || DEFAULT_TIMEZONE;
  const result: SchedulePreviewResult = {
    zone,
    description: null,
    runs: [],
    dst: null,
    frequencyError: null,
    timezoneError: zoneRefusal(zone),
  };
  if (frequency.trim() === '') return result;
  const expression = frequency.trim().replace(/\s+/g, ' ');
  try {
    result.description = describeFrequency(expression);
  } catch (error) {
    result.frequencyError = asRefusal(error);
    return result;
  }
  if (result.timezoneError) return result;
  result.runs = nextFireTimes(expression, zone, now, DEFAULT_PREVIEW_COUNT);
  result.dst = dstNote(expression, zone, now, DEFAULT_PREVIEW_COUNT);
  return result;
}

function zoneRefusal(zone: string): string | null {
  try {
    validateTimezone(zone);
    return null;
  } catch (error) {
    return asRefusal(error).message;
  }
}

/** The validator's refusal as status and message; any other error is a bug and rethrown. */
function asRefusal(error: unknown): { status: string; message: string } {
  if (isAppError(error)) return { status: error.status, message: error.message };
  throw error;
}

const runFormats = new Map<string, Intl.DateTimeFormat>();

/** A run time as the viewer reads it, in `zone` (or the browser's own zone when undefined). */
export function formatRun(date: Date, zone?: string): string {
  const key = zone ?? '';
  let format = runFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, {
      timeZone: zone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    runFormats.set(key, format);
  }
  return format.format(date);
}

export function viewerZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
