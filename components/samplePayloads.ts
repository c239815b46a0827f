import type { TriggerType } from '@/server/triggers/types';

import type { TriggerDraft } from './actionDraft';

/**
 * Example payloads for the test panel, one per trigger type, in the shape a real run of that
 * kind receives; the log and analytics samples take the event type (and data source) from the
 * action's own trigger when it has one, so a test resembles the runs that will happen.
 */
export const sampleLabels: Record<TriggerType, string> = {
  manual: 'Manual run (example object)',
  schedule: 'Scheduled run ({})',
  log: 'Log event ({ trigger, log })',
  analytics: 'Analytics event',
};

export function samplePayload(
  type: TriggerType,
  appId: number,
  triggers: readonly TriggerDraft[],
  now: Date = new Date(),
): Record<string, unknown> {
  const where = triggers.find((t) => t.trigger === type)?.where ?? {};
  switch (type) {
    case 'manual':
      return { name: 'Ada', entryId: 1 };
    case 'schedule':
      return {};
    case 'log':
      return { trigger: 'log', log: sampleLogEntry(appId, where, now) };
    case 'analytics':
      return sampleAnalyticsEvent(where, now);
  }
}

function sampleLogEntry(appId: number, where: Record<string, unknown>, now: Date) {
  const type = typeof where.type === 'string' ? where.type : 'dataSource.entry.create';
  const dataSourceId = typeof where.dataSourceId === 'number' ? where.dataSourceId : 1;
  const data = { columns: ['Status'], _userEmail: 'ada@example.com' };
  const at = now.toISOString();
  return {
    id: 1001,
    userId: 42,
    appId,
    organizationId: 1,
    dataSourceId,
    dataSourceEntryId: 7,
    appNotificationId: null,
    sessionId: 501,
    requestId: '7d3f9c2e-8a41-4b6e-9f0a-2c5d1e8b4a77',
    type,
    data,
    dataString: JSON.stringify(data),
    createdAt: at,
    updatedAt: at,
  };
}

function sampleAnalyticsEvent(where: Record<string, unknown>, now: Date) {
  const type = where.type === 'analytics.event' ? 'analytics.event' : 'analytics.pageView';
  const filter = typeof where.data === 'object' && where.data !== null ? where.data : {};
  return {
    createdAt: now.getTime(),
    type,
    data: {
      _pageTitle: 'Bookings',
      _platform: 'web',
      _os: 'MacIntel',
      _analyticsSessionId: '3b0c6a1e-5f2d-4c8b-a7e9-1d4f6b2c8e90',
      _pageId: 77,
      _deviceTrackingId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
      // The trigger's own filter values, so the sample is one the trigger would match.
      ...filter,
    },
  };
}
