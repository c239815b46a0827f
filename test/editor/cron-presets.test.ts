import { describe, expect, it } from 'vitest';

import {
  defaultParts,
  detectPreset,
  presetExpression,
  presetKinds,
  splitFields,
  withField,
} from '@/components/cronPresets';
import { describeFrequency, parseFrequency } from '@/server/triggers/cron';

describe('[CRON BUILDER]: presets and the expression stay in step', () => {
  it.each([
    ['15 * * * *', 'hourly'],
    ['30 9 * * *', 'daily'],
    ['0 8 * * 1', 'weekly'],
    ['0 8 * * 1,3,5', 'weekly'],
    ['0 8 * * MON-FRI', 'weekly'],
    ['45 23 1 * *', 'monthly'],
    ['', 'none'],
    ['*/15 * * * *', 'custom'],
    ['0 8 1 * 1', 'custom'],
    ['0 8 * 1 *', 'custom'],
    ['0 8,20 * * *', 'custom'],
    ['* * * * *', 'custom'],
    ['not cron', 'custom'],
  ])('%s reads as %s', (expression, kind) => {
    expect(detectPreset(expression).kind).toBe(kind);
  });

  it('every preset writes an expression the validator accepts and reads back the same', () => {
    const parts = { minute: 5, hour: 17, weekdays: [5, 1], dayOfMonth: 28 };
    for (const kind of presetKinds) {
      const expression = presetExpression(kind, parts);
      if (expression === null || expression === '') continue;
      expect(() => parseFrequency(expression)).not.toThrow();
      const detected = detectPreset(expression);
      expect(detected.kind).toBe(kind);
      expect(presetExpression(kind, detected.parts)).toBe(expression);
    }
  });

  it('writes weekdays sorted and never an empty weekly list', () => {
    expect(presetExpression('weekly', { ...defaultParts, weekdays: [5, 1, 5] })).toBe(
      '0 8 * * 1,5',
    );
    expect(presetExpression('weekly', { ...defaultParts, weekdays: [] })).toBe('0 8 * * 1');
  });

  it('reads a weekly range into its days', () => {
    expect(detectPreset('0 9 * * 1-5').parts.weekdays).toEqual([1, 2, 3, 4, 5]);
    expect(describeFrequency('0 9 * * 1-5')).toMatch(/Monday through Friday/);
  });
});

describe('[CRON BUILDER]: field-by-field editing', () => {
  it('splits into five, missing fields empty', () => {
    expect(splitFields('0 8')).toEqual(['0', '8', '', '', '']);
    expect(splitFields('  0   8 * * 1 ')).toEqual(['0', '8', '*', '*', '1']);
  });

  it('puts one field back and keeps the text five fields long', () => {
    expect(withField('0 8 * * 1', 1, '9')).toBe('0 9 * * 1');
    expect(withField('0 8 * * 1', 4, '')).toBe('0 8 * * *');
    expect(withField('', 0, '30')).toBe('30 * * * *');
  });
});
