import type { ActionFields } from '../actions/validate';
import { BOOKINGS_SCREEN } from '../sdk/runtime/preview-screens';

export const demoBookings: Record<string, unknown>[] = [
  { Name: 'Ada Lovelace', Email: 'ada@example.com', Date: '2026-12-07', Status: 'Pending' },
  { Name: 'Alan Turing', Email: 'alan@example.com', Date: '2026-12-08', Status: 'Confirmed' },
  { Name: 'Grace Hopper', Email: 'grace@example.com', Date: '2026-12-09', Status: 'Pending' },
];

const manual = [{ trigger: 'manual' as const }];

/** The example actions of the demo app, written against its Bookings data source. */
export function demoActions(bookingsId: number): ActionFields[] {
  return [
    {
      name: 'hello-world',
      code: `async function execute(context) {
  const name = context.payload.name || 'world';
  return { message: \`Hello, \${name}!\`, at: new Date().toISOString() };
}
`,
      active: true,
      environment: 'server',
      triggers: manual,
      dependencies: [],
      frequency: null,
      timezone: null,
    },
    {
      name: 'confirm-booking',
      code: `// Marks a booking as confirmed. Payload: { "entryId": 1, "name": "Nick" }
async function execute(context) {
  const { entryId, name } = context.payload;
  if (!entryId) throw new Error('Pass the booking to confirm as payload.entryId');

  const bookings = await Fliplet.DataSources.connect(${bookingsId});
  await bookings.update(entryId, { Status: 'Confirmed', ConfirmedBy: name || 'unknown' });
  const entry = await bookings.findById(entryId);
  return { success: true, booking: entry.data };
}
`,
      active: true,
      environment: 'server',
      triggers: manual,
      dependencies: ['fliplet-datasources'],
      frequency: null,
      timezone: null,
    },
    {
      name: 'count-bookings',
      code: `// Counts bookings, optionally only those with a given status: { "status": "Pending" }
const execute = async (context) => {
  const bookings = await Fliplet.DataSources.connectByName('Bookings');
  const where = context.payload.status ? { Status: context.payload.status } : {};
  const entries = await bookings.find({ where });
  return { count: entries.length };
};
`,
      active: true,
      environment: 'server',
      triggers: manual,
      dependencies: ['fliplet-datasources'],
      frequency: null,
      timezone: null,
    },
    {
      name: 'divide',
      code: `// Fails on purpose when b is 0, to show a failed run in the logs: { "a": 1, "b": 0 }
async function execute(context) {
  const { a, b } = context.payload;
  if (b === 0) throw new RangeError('Cannot divide by zero');
  return { quotient: a / b };
}
`,
      active: true,
      environment: 'server',
      triggers: manual,
      dependencies: [],
      frequency: null,
      timezone: null,
    },
    {
      name: 'bookings-screen-tip',
      code: `// Runs in the app user's browser each time the Bookings screen is shown.
// Try it in the admin's app preview: /apps/1/preview, then open Bookings.
async function execute(context) {
  const { data, createdAt } = context.payload;
  console.info('Bookings viewed in session', data._analyticsSessionId);
  return {
    tip: \`Welcome to \${data._pageTitle}! Confirm a booking to see an event.\`,
    screenId: data._pageId,
    viewedAt: new Date(createdAt),
  };
}
`,
      active: true,
      environment: 'client',
      triggers: [
        {
          trigger: 'analytics',
          where: { type: 'analytics.pageView', data: { _pageId: BOOKINGS_SCREEN.id } },
        },
      ],
      dependencies: [],
      frequency: null,
      timezone: null,
    },
  ];
}
