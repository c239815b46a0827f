import { describe, expect, it } from 'vitest';

import { lintActionCode } from './lint';
import { actionTemplates, findTemplate, templateIds } from './templates';
import { validateActionFields } from './validate';

describe('[TEMPLATES]: every template can be saved as it is', () => {
  it('there is one per way an action starts', () => {
    expect(actionTemplates.map((t) => t.id)).toEqual([...templateIds]);
    const triggers = new Set(
      actionTemplates.flatMap((t) => t.fields.triggers.map((x) => x.trigger)),
    );
    expect([...triggers].sort()).toEqual(['analytics', 'log', 'manual', 'schedule']);
  });

  it.each(actionTemplates.map((t) => [t.id, t] as const))('%s passes validation', (_, template) => {
    const body = { ...template.fields, name: template.suggestedName };
    expect(validateActionFields(body, null)).toEqual(body);
  });

  it.each(actionTemplates.map((t) => [t.id, t] as const))('%s has no lint warnings', (_, t) => {
    const report = lintActionCode(t.fields.code, t.fields.dependencies);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  it('finds templates by id', () => {
    expect(findTemplate('scheduled')?.fields.frequency).toBe('0 8 * * 1');
    expect(findTemplate('nope')).toBeUndefined();
  });
});
