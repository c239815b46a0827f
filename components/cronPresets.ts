import { parseFrequency, type ParsedFrequency } from '@/server/triggers/cron';

/**
 * The cron builder's presets and how they map to and from the five fields. Detection reads the
 * expression with the validator's own parser, so a preset is only shown for an expression the
 * server accepts and means the same thing.
 */
export const presetKinds = ['none', 'hourly', 'daily', 'weekly', 'monthly', 'custom'] as const;
export type PresetKind = (typeof presetKinds)[number];

export interface PresetParts {
  minute: number;
  hour: number;
  /** Day-of-week values, 0 = Sunday … 6 = Saturday. */
  weekdays: number[];
  dayOfMonth: number;
}

export const presetLabels: Record<PresetKind, string> = {
  none: 'No schedule',
  hourly: 'Every hour',
  daily: 'Every day',
  weekly: 'Every week',
  monthly: 'Every month',
  custom: 'Custom (edit the fields)',
};

export const defaultParts: PresetParts = { minute: 0, hour: 8, weekdays: [1], dayOfMonth: 1 };

export interface DetectedPreset {
  kind: PresetKind;
  parts: PresetParts;
}

/** Which preset an expression is, with its values; anything else (or invalid) is custom. */
export function detectPreset(expression: string): DetectedPreset {
  if (expression.trim() === '') return { kind: 'none', parts: defaultParts };
  const fields = tryParse(expression)?.fields;
  if (!fields) return { kind: 'custom', parts: defaultParts };
  const minute = single(fields.minute.values);
  const hour = single(fields.hour.values);
  const day = single(fields['day-of-month'].values);
  const dayFull = fields['day-of-month'].full;
  const weekFull = fields['day-of-week'].full;
  const parts: PresetParts = {
    minute: minute ?? defaultParts.minute,
    hour: hour ?? defaultParts.hour,
    weekdays: weekFull ? defaultParts.weekdays : fields['day-of-week'].values,
    dayOfMonth: day ?? defaultParts.dayOfMonth,
  };
  if (minute === null || !fields.month.full) return { kind: 'custom', parts };
  if (fields.hour.full && dayFull && weekFull) return { kind: 'hourly', parts };
  if (hour === null) return { kind: 'custom', parts };
  if (dayFull && weekFull) return { kind: 'daily', parts };
  if (dayFull) return { kind: 'weekly', parts };
  if (weekFull && day !== null) return { kind: 'monthly', parts };
  return { kind: 'custom', parts };
}

function tryParse(expression: string): ParsedFrequency | null {
  try {
    return parseFrequency(expression);
  } catch {
    return null;
  }
}

function single(values: readonly number[]): number | null {
  return values.length === 1 ? (values[0] ?? null) : null;
}

/**
 * The expression for a preset; null for `custom`, which keeps whatever the fields hold.
 * Weekdays are written sorted, and an empty choice falls back to Monday: a weekly schedule
 * needs at least one day.
 */
export function presetExpression(kind: PresetKind, parts: PresetParts): string | null {
  const { minute, hour, dayOfMonth } = parts;
  switch (kind) {
    case 'none':
      return '';
    case 'hourly':
      return `${minute} * * * *`;
    case 'daily':
      return `${minute} ${hour} * * *`;
    case 'weekly': {
      const days = [...new Set(parts.weekdays)].sort((a, b) => a - b);
      return `${minute} ${hour} * * ${(days.length > 0 ? days : defaultParts.weekdays).join(',')}`;
    }
    case 'monthly':
      return `${minute} ${hour} ${dayOfMonth} * *`;
    case 'custom':
      return null;
  }
}

export const cronFieldLabels = ['Minute', 'Hour', 'Day of month', 'Month', 'Day of week'] as const;

/** The five fields as typed, for field-by-field editing; missing ones are empty. */
export function splitFields(expression: string): string[] {
  const parts = expression.trim() === '' ? [] : expression.trim().split(/\s+/);
  return cronFieldLabels.map((_, index) => parts[index] ?? '');
}

/** Puts one edited field back; empty fields become `*` so the text stays five fields long. */
export function withField(expression: string, index: number, value: string): string {
  const fields = splitFields(expression);
  fields[index] = value.trim();
  return fields.map((field) => field || '*').join(' ');
}

export const weekdayNames = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
] as const;

/** Monday first, as most calendars the builder's users read. */
export const weekdayOrder = [1, 2, 3, 4, 5, 6, 0] as const;
