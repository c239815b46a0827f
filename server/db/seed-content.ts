import type { ActionFields } from '../actions/validate';
import { BOOKINGS_SCREEN } from '../sdk/runtime/preview-screens';

export const demoBookings: Record<string, unknown>[] = [
  { Name: 'Ada Lovelace', Email: 'ada@example.com', Date: '2026-12-07', Status: 'Pending' },
  { Name: 'Alan Turing', Email: 'alan@example.com', Date: '2026-12-08', Status: 'Confirmed' },
  { Name: 'Grace Hopper', Email: 'grace@example.com', Date: '2026-12-09', Status: 'Pending' },
];

/** Open check-ins have no CheckedOutAt; check-out-all closes them. */
export const demoCheckIns: Record<string, unknown>[] = [
  { Name: 'Ada Lovelace', CheckedInAt: '2026-01-05T08:55:00.000Z', Status: 'Checked in' },
  { Name: 'Alan Turing', CheckedInAt: '2026-01-05T09:10:00.000Z', Status: 'Checked in' },
  {
    Name: 'Grace Hopper',
    CheckedInAt: '2026-01-05T08:30:00.000Z',
    CheckedOutAt: '2026-01-05T17:45:00.000Z',
    Status: 'Checked out',
  },
  { Name: 'Katherine Johnson', CheckedInAt: '2026-01-05T10:05:00.000Z', Status: 'Checked in' },
];

/** Data sources of the demo app besides Bookings (which confirm-booking needs the id of). */
export const demoDataSources = [
  { name: 'News', columns: ['Title', 'Link', 'PublishedAt', 'Guid'], entries: [] },
  {
    name: 'Check-ins',
    columns: ['Name', 'CheckedInAt', 'CheckedOutAt', 'Status'],
    entries: demoCheckIns,
  },
];

/** Where weekly-bookings-summary writes when the payload names nobody (scheduled runs). */
export const SUMMARY_RECIPIENT = 'bookings-team@example.com';
export const SUMMARY_TIMEZONE = 'Europe/London';

const manual = [{ trigger: 'manual' as const }];
// Scheduled demo actions can be run by hand as well, to try them without waiting.
const scheduledAndManual = [{ trigger: 'schedule' as const }, { trigger: 'manual' as const }];

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
    {
      name: 'weekly-bookings-summary',
      code: `// Mondays at 08:00 (London time), emails how many bookings are in each status.
// Run it by hand too; the payload may name the recipient: { "to": "you@example.com" }
const STATUSES = ['Pending', 'Confirmed', 'Cancelled'];

async function execute(context) {
  const to = context.payload.to || '${SUMMARY_RECIPIENT}';
  const bookings = await Fliplet.DataSources.connectByName('Bookings');
  // limit 0 with includePagination: the database counts, and no entries are sent back.
  const countWhere = async (where) => {
    const { pagination } = await bookings.find({ where, limit: 0, includePagination: true });
    return pagination.total;
  };
  const counts = {};
  for (const status of STATUSES) counts[status] = await countWhere({ Status: status });
  const total = await countWhere({});
  const other = total - STATUSES.reduce((sum, status) => sum + counts[status], 0);
  if (other > 0) counts.Other = other;

  const lines = Object.entries(counts).map(([status, n]) => \`\${status}: \${n}\`);
  const listItems = lines.map((line) => \`<li>\${line}</li>\`).join('');
  const email = await Fliplet.Communicate.sendEmail({
    to: [{ email: to, type: 'to' }],
    subject: \`Weekly bookings summary: \${total} bookings\`,
    from_name: 'Demo app',
    text: \`Bookings by status\\n\\n\${lines.join('\\n')}\\n\\nTotal: \${total}\\n\`,
    html: \`<h1>Bookings by status</h1><ul>\${listItems}</ul><p>Total: \${total}</p>\`,
  });
  return { to, total, counts, email: { id: email.id, status: email.status } };
}
`,
      active: true,
      environment: 'server',
      triggers: scheduledAndManual,
      dependencies: ['fliplet-datasources', 'fliplet-communicate'],
      frequency: '0 8 * * 1',
      timezone: SUMMARY_TIMEZONE,
    },
    {
      name: 'import-news-feed',
      code: `// Imports a JSON Feed (https://jsonfeed.org) into the News data source, with one
// in-app notification per new item. Items already in News (same Guid) are skipped, so running
// it again is safe. Payload: { "feedUrl": "https://example.com/feed.json" }
// fetch refuses private and loopback addresses unless ACTIONS_FETCH_ALLOW lists them.
const MAX_ITEMS = 500;

async function execute(context) {
  const { feedUrl } = context.payload;
  if (!feedUrl) throw new Error('Pass the address of a JSON feed as payload.feedUrl');

  const response = await fetch(feedUrl, { headers: { Accept: 'application/feed+json' } });
  if (!response.ok) {
    throw new Error(\`The feed answered HTTP \${response.status} \${response.statusText}\`);
  }
  const feed = await response.json();
  if (!feed || !Array.isArray(feed.items)) {
    throw new Error('The feed has no "items" list; expected a JSON Feed');
  }
  // The newest items come first in a feed; one page of find covers them all.
  const items = feed.items.slice(0, MAX_ITEMS);
  const byGuid = new Map();
  for (const item of items) {
    const guid = String(item.id ?? item.url ?? '');
    if (guid !== '' && !byGuid.has(guid)) byGuid.set(guid, item);
  }

  const news = await Fliplet.DataSources.connectByName('News');
  const known = byGuid.size === 0 ? [] : await news.find({
    where: { Guid: { $in: [...byGuid.keys()] } },
    attributes: ['Guid'],
  });
  for (const entry of known) byGuid.delete(entry.data.Guid);

  const fresh = [...byGuid.entries()];
  // One transaction for all new entries; notifications follow, so a failure can never
  // announce an item that was not stored.
  if (fresh.length > 0) {
    await news.commit({
      append: true,
      entries: fresh.map(([guid, item]) => ({
        data: {
          Title: item.title ?? '',
          Link: item.url ?? null,
          PublishedAt: item.date_published ?? null,
          Guid: guid,
        },
      })),
    });
  }
  for (const [guid, item] of fresh) {
    await Fliplet.Notifications.insert({
      data: {
        title: 'News',
        message: String(item.title || item.url || guid).slice(0, 5000),
        navigate: item.url ? { action: 'url', url: item.url } : undefined,
      },
    });
  }
  return { imported: fresh.length, skipped: items.length - fresh.length };
}
`,
      active: true,
      environment: 'server',
      triggers: manual,
      dependencies: ['fliplet-datasources', 'fliplet-notifications'],
      frequency: null,
      timezone: null,
    },
    {
      name: 'check-out-all',
      code: `// Every night at midnight (London time), checks out everyone still checked in.
const PAGE = 1000;

async function execute(context) {
  const checkIns = await Fliplet.DataSources.connectByName('Check-ins');
  const now = new Date().toISOString();
  let checkedOut = 0;
  let open;
  do {
    // null matches entries without CheckedOutAt, as well as an explicit null.
    open = await checkIns.find({ where: { CheckedOutAt: null }, limit: PAGE });
    // One commit per page: one transaction, one update event per entry. A commit replaces
    // an entry's data, so each entry goes back whole with its two new values.
    if (open.length > 0) {
      await checkIns.commit({
        append: true,
        entries: open.map((entry) => ({
          id: entry.id,
          data: { ...entry.data, CheckedOutAt: now, Status: 'Checked out' },
        })),
      });
    }
    checkedOut += open.length;
  } while (open.length === PAGE);
  return { checkedOut, at: now };
}
`,
      active: true,
      environment: 'server',
      triggers: scheduledAndManual,
      dependencies: ['fliplet-datasources'],
      frequency: '0 0 * * *',
      timezone: SUMMARY_TIMEZONE,
    },
    {
      name: 'export-bookings-csv',
      code: `// Writes every booking to a CSV file in the app's media, under "Exports".
// Payload (optional): { "status": "Pending" } to export only bookings with that status.
async function execute(context) {
  const { status } = context.payload;
  if (status !== undefined && typeof status !== 'string') {
    throw new TypeError('payload.status must be text, such as "Confirmed"');
  }
  const bookings = await Fliplet.DataSources.connectByName('Bookings');
  // $eq: the status is a value to match, never an operator object.
  const entries = await bookings.find({ where: status ? { Status: { $eq: status } } : {} });
  const csv = await Fliplet.CSV.encode(
    entries.map((entry) => ({ id: entry.id, ...entry.data })),
    // A name such as "=1+1" stays text when the file is opened in a spreadsheet.
    { columns: ['id', 'Name', 'Email', 'Date', 'Status'], escapeFormulae: true },
  );
  const { folders } = await Fliplet.Media.Folders.get();
  const folder = folders.find((f) => f.name === 'Exports') ||
    (await Fliplet.Media.Folders.create({ name: 'Exports', parentId: null }));
  const file = await Fliplet.Media.Files.upload({
    folderId: folder.id,
    name: \`bookings-\${new Date().toISOString().slice(0, 10)}.csv\`,
    data: csv,
    encoding: 'text',
  });
  return { rows: entries.length, fileId: file.id, url: file.url };
}
`,
      active: true,
      environment: 'server',
      triggers: manual,
      dependencies: ['fliplet-datasources', 'fliplet-csv', 'fliplet-media'],
      frequency: null,
      timezone: null,
    },
    {
      name: 'guest-note',
      code: `// Keeps a private note on a booking, encrypted with the app's own key.
// Payload: { "entryId": 1, "note": "Needs a ground-floor room" } stores a note;
// { "entryId": 1 } reads it back. The Bookings row only ever holds the encrypted token.
async function execute(context) {
  const { entryId, note } = context.payload;
  if (!entryId) throw new Error('Pass the booking as payload.entryId');
  const bookings = await Fliplet.DataSources.connectByName('Bookings');
  if (typeof note === 'string') {
    await bookings.update(entryId, { PrivateNote: await Fliplet.Encryption.encrypt(note) });
  }
  const entry = await bookings.findById(entryId);
  if (!entry) throw new Error('No booking with id ' + entryId);
  const token = entry.data.PrivateNote;
  return { entryId, note: token ? await Fliplet.Encryption.decrypt(token) : null };
}
`,
      active: true,
      environment: 'server',
      triggers: manual,
      dependencies: ['fliplet-datasources', 'fliplet-encryption'],
      frequency: null,
      timezone: null,
    },
  ];
}
