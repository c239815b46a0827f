import type { Page } from 'playwright-core';

import { trpcMutation, trpcQuery } from './api';
import { assert, eventually, expectText, test } from './harness';

const DEMO_APP = 1;

interface Entry {
  id: number;
  data: Record<string, unknown>;
}

interface EntryPage {
  dataSource: { id: number; name: string };
  entries: Entry[];
  pagination: { total: number };
}

async function bookingsId(baseUrl: string): Promise<number> {
  const sources = await trpcQuery<{ id: number; name: string }[]>(baseUrl, 'dataSources.list', {
    appId: DEMO_APP,
  });
  const bookings = sources.find((source) => source.name === 'Bookings');
  if (!bookings) throw new Error('the demo app has no Bookings data source; is it seeded?');
  return bookings.id;
}

async function storedEntry(baseUrl: string, dataSourceId: number, id: number) {
  // The newest entries are last: read the last page, where a fresh entry is.
  const first = await trpcQuery<EntryPage>(baseUrl, 'dataSources.entries', {
    appId: DEMO_APP,
    dataSourceId,
    limit: 1,
  });
  const offset = Math.max(0, first.pagination.total - 100);
  const page = await trpcQuery<EntryPage>(baseUrl, 'dataSources.entries', {
    appId: DEMO_APP,
    dataSourceId,
    limit: 100,
    offset,
  });
  return page.entries.find((entry) => entry.id === id) ?? null;
}

const PAGE_SIZE = 25;

/** The table row of one entry, paging forward until it shows. */
async function rowOf(page: Page, id: number) {
  const table = page.getByRole('table', { name: 'Entries of Bookings' });
  const pager = page.getByRole('navigation', { name: 'Pages of entries' });
  await expectText(pager, /^1–/);
  const rowHeader = page.getByRole('rowheader', { name: String(id), exact: true });
  const row = table.getByRole('row').filter({ has: rowHeader });
  for (let offset = 0; (await row.count()) === 0; offset += PAGE_SIZE) {
    const next = pager.getByRole('button', { name: 'Next →' });
    assert.ok(offset < 20 * PAGE_SIZE && (await next.isEnabled()), `entry ${id} is not listed`);
    await next.click();
    await expectText(pager, new RegExp(`^${offset + PAGE_SIZE + 1}–`));
  }
  return row;
}

test('[DATA]: open Data, read Bookings, edit a row, reload: the change is stored', async (t) => {
  const { page, baseUrl } = t;
  const sourceId = await bookingsId(baseUrl);
  const marker = `E2E ${Date.now() % 1_000_000_000}`;
  const created = await trpcMutation<Entry>(baseUrl, 'dataSources.createEntry', {
    appId: DEMO_APP,
    dataSourceId: sourceId,
    data: { Name: marker, Email: 'e2e@example.com', Status: 'Pending', Seats: 2 },
  });

  await page.goto(`${baseUrl}/apps/${DEMO_APP}/actions`);
  await page.getByRole('navigation', { name: 'App sections' }).getByRole('link', {
    name: 'Data',
  }).click();
  await page.getByRole('heading', { name: 'Data', level: 1 }).waitFor();
  const sources = page.getByRole('navigation', { name: 'Data sources' });
  await expectText(sources.locator('[aria-current="page"]'), /^Bookings$/);
  const table = page.getByRole('table', { name: 'Entries of Bookings' });
  await expectText(table, /Ada Lovelace.*Alan Turing.*Grace Hopper/s);
  for (const column of ['Name', 'Email', 'Date', 'Status']) {
    await table.getByRole('columnheader', { name: column, exact: true }).waitFor();
  }

  const row = await rowOf(page, created.id);
  await expectText(row, new RegExp(`${marker}.*Pending`, 's'));
  await row.getByRole('button', { name: `Edit entry ${created.id}` }).click();
  const dialog = page.getByRole('dialog', { name: `Edit entry #${created.id}` });
  await dialog.waitFor();
  await dialog.getByLabel('Status', { exact: true }).fill('Confirmed');
  await dialog.getByLabel('Seats', { exact: true }).fill('three');
  await dialog.getByRole('button', { name: 'Save entry' }).click();
  await expectText(dialog.getByRole('alert'), /Enter a number/);
  await dialog.getByLabel('Seats', { exact: true }).fill('3');
  await t.screenshot('data-entry-dialog');

  // JSON mode shows the edits so far; a key removed there is gone after saving.
  await dialog.getByLabel('JSON', { exact: true }).check();
  const json = dialog.getByLabel('Entry data (JSON)');
  const text = await json.inputValue();
  assert.deepEqual(JSON.parse(text), {
    Name: marker,
    Email: 'e2e@example.com',
    Status: 'Confirmed',
    Seats: 3,
  });
  await json.fill(JSON.stringify({ Name: marker, Status: 'Confirmed', Seats: 3, Notes: 'VIP' }));
  await dialog.getByRole('button', { name: 'Save entry' }).click();
  await dialog.waitFor({ state: 'detached' });
  await expectText(page.getByRole('status'), new RegExp(`Saved entry #${created.id}`));

  await page.reload();
  const reloaded = await rowOf(page, created.id);
  await expectText(reloaded, new RegExp(`${marker}.*Confirmed.*3.*VIP`, 's'));
  const stored = await storedEntry(baseUrl, sourceId, created.id);
  assert.deepEqual(stored?.data, { Name: marker, Status: 'Confirmed', Seats: 3, Notes: 'VIP' });
  await t.screenshot('data-browser');

  await reloaded.getByRole('button', { name: `Delete entry ${created.id}` }).click();
  const confirm = page.getByRole('dialog', { name: `Delete entry #${created.id}?` });
  await confirm.getByRole('button', { name: 'Delete entry' }).click();
  await expectText(page.getByRole('status'), new RegExp(`Deleted entry #${created.id}`));
  await eventually('the entry is gone', async () =>
    (await storedEntry(baseUrl, sourceId, created.id)) === null,
  );
});
