import { describe, expect, it } from 'vitest';

import { filterRows, noFilters } from '@/components/actionFilters';
import type { ActionOverviewRow } from '@/components/apiTypes';
import { filterValue } from '@/components/DataFilterRows';
import { freeName } from '@/components/NewActionDialog';
import { curlSnippet, sdkSnippet } from '@/components/runSnippets';
import { samplePayload } from '@/components/samplePayloads';
import { stackParts } from '@/components/stackFrames';
import { settingsJson } from '@/components/actionSnapshot';

describe('[TEST PANEL]: sample payloads have the shapes runs receive', () => {
  it('log: trigger and a full entry, typed from the action trigger', () => {
    const where = { type: 'email.bounced', dataSourceId: 9 };
    const triggers = [{ trigger: 'log' as const, where }];
    const payload = samplePayload('log', 3, triggers, new Date('2026-01-01T00:00:00Z'));
    expect(payload.trigger).toBe('log');
    expect(payload.log).toMatchObject({
      appId: 3,
      type: 'email.bounced',
      dataSourceId: 9,
      createdAt: '2026-01-01T00:00:00.000Z',
      appNotificationId: null,
    });
    const log = payload.log as { data: unknown; dataString: string };
    expect(JSON.parse(log.dataString)).toEqual(log.data);
  });

  it('analytics: the event itself, matching the trigger filter', () => {
    const triggers = [
      {
        trigger: 'analytics' as const,
        where: { type: 'analytics.pageView', data: { _pageId: 5 } },
      },
    ];
    const payload = samplePayload('analytics', 1, triggers, new Date(1000));
    expect(payload).toMatchObject({ createdAt: 1000, type: 'analytics.pageView' });
    expect(payload).not.toHaveProperty('trigger');
    expect((payload.data as Record<string, unknown>)._pageId).toBe(5);
  });

  it('schedule: empty', () => {
    expect(samplePayload('schedule', 1, [])).toEqual({});
  });
});

describe('[TEST PANEL]: stack positions and snippets', () => {
  it('finds action.js positions in a stack', () => {
    const parts = stackParts('Error: x\n    at execute (action.js:3:9)\n    at run (host.js:1:1)');
    const positions = parts.filter((part) => part.kind === 'position');
    expect(positions).toEqual([{ kind: 'position', text: 'action.js:3:9', line: 3, column: 9 }]);
    expect(parts.map((part) => part.text).join('')).toContain('host.js:1:1');
  });

  it('calls the action by name, with the payload, with a token placeholder', () => {
    const input = { origin: 'http://localhost:3000', appId: 1, name: "it's", payload: { a: 1 } };
    expect(sdkSnippet(input)).toBe(
      'const result = await Fliplet.App.V3.Actions.runWithResult("it\'s", {\n  "a": 1\n});',
    );
    const curl = curlSnippet(input);
    expect(curl).toContain(
      "'http://localhost:3000/v3/apps/1/actions/it'\\''s/run-with-result?version=master'",
    );
    expect(curl).toContain("-H 'Auth-token: <your token>'");
    expect(curl).toContain(`--data '{"a":1}'`);
  });
});

describe('[ACTIONS LIST]: filters and names', () => {
  const row = (
    name: string,
    environment: string,
    state: ActionOverviewRow['state'],
  ): ActionOverviewRow => ({
    action: {
      id: 1,
      appId: 1,
      name,
      code: 'async function execute(context) {}',
      active: true,
      environment,
      actionVersion: 'v3',
      triggers: [{ trigger: 'manual' }],
      dependencies: [],
      assets: [],
      frequency: null,
      timezone: null,
      lastRunAt: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    },
    state,
    lastRun: null,
  });

  it('combines search, state, environment and trigger', () => {
    const rows = [row('send-report', 'server', 'draft'), row('tip', 'client', 'published')];
    expect(filterRows(rows, { ...noFilters, search: 'REPORT' }).map((r) => r.action.name)).toEqual([
      'send-report',
    ]);
    expect(filterRows(rows, { ...noFilters, state: 'published' })).toHaveLength(1);
    expect(filterRows(rows, { ...noFilters, environment: 'client' })).toHaveLength(1);
    expect(filterRows(rows, { ...noFilters, trigger: 'schedule' })).toHaveLength(0);
  });

  it('suggests the first free name', () => {
    expect(freeName('job', [])).toBe('job');
    expect(freeName('job', ['job', 'job-2'])).toBe('job-3');
  });

  it('matches numeric filter values as numbers', () => {
    expect(filterValue('77')).toBe(77);
    expect(filterValue('-1.5')).toBe(-1.5);
    expect(filterValue('web')).toBe('web');
    expect(filterValue('7a')).toBe('7a');
  });

  it('settings JSON leaves the code out and keeps a fixed key order', () => {
    const json = settingsJson({
      timezone: null,
      frequency: null,
      dependencies: [],
      triggers: [],
      environment: 'server',
      active: true,
      code: 'x',
      name: 'a',
    });
    expect(Object.keys(JSON.parse(json))).toEqual([
      'name', 'active', 'environment', 'triggers', 'dependencies', 'frequency', 'timezone',
    ]);
  });
});
