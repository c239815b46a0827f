import type { Page } from 'playwright-core';

import { findAction, trpcMutation } from './api';
import { assert, eventually, expectText, test } from './harness';

const DEMO_APP = 1;

interface TestRun {
  ok: boolean;
  logId: number;
}

/** Runs the demo's `divide` action through the editor's test procedure; answers its log id. */
async function runDivide(baseUrl: string, id: number, payload: { a: number; b: number }) {
  const run = await trpcMutation<TestRun>(baseUrl, 'runs.test', { appId: DEMO_APP, id, payload });
  return run;
}

function runList(page: Page) {
  return page.getByRole('list', { name: 'Runs of this app' });
}

/** The id of the run whose row holds the focused element, if any. */
function focusedRunId(page: Page): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.closest('li')?.dataset.runId ?? null);
}

test('[LOGS]: filter to a failure, read its stack, re-run it, reload the same view', async (t) => {
  const { page, baseUrl } = t;
  const divide = await findAction(baseUrl, DEMO_APP, 'divide');
  // A payload no other run has, to recognise this failure and its re-run.
  const marker = Date.now() % 1_000_000_000;
  const failure = await runDivide(baseUrl, divide.id, { a: marker, b: 0 });
  assert.equal(failure.ok, false, 'dividing by zero fails');
  const success = await runDivide(baseUrl, divide.id, { a: 6, b: 3 });
  assert.equal(success.ok, true);

  await page.goto(`${baseUrl}/apps/${DEMO_APP}/logs`);
  await page.getByRole('heading', { name: 'Run logs', level: 1 }).waitFor();
  await page.getByRole('img', { name: /Runs per/ }).waitFor();

  await page.getByLabel('Outcome', { exact: true }).selectOption('failed');
  await page.waitForURL(/[?&]outcome=failed/);
  await page.getByLabel('Action', { exact: true }).selectOption(String(divide.id));
  await page.waitForURL(new RegExp(`[?&]action=${divide.id}(&|$)`));
  await page.getByLabel('Error message contains').fill('DIVIDE');
  await page.waitForURL(/[?&]q=DIVIDE/);

  const list = runList(page);
  const row = list.locator(`li[data-run-id="${failure.logId}"]`);
  await expectText(row, /failed.*RangeError: Cannot divide by zero/s);
  const rows = await list.getByRole('listitem').allTextContents();
  assert.ok(rows.length > 0 && rows.every((text) => /failed/.test(text)), 'only failures listed');
  assert.ok(!rows.some((text) => text.startsWith(`#${success.logId}`)), 'the success is filtered');

  await row.getByRole('button').click();
  const drawer = page.getByRole('dialog', { name: `Run #${failure.logId}` });
  await drawer.waitFor();
  await page.waitForURL(new RegExp(`[?&]run=${failure.logId}(&|$)`));
  await expectText(drawer.getByLabel('Stack trace'), /RangeError: Cannot divide by zero/);
  await expectText(drawer.getByLabel('Payload', { exact: true }), new RegExp(`"a": ${marker}`));
  await expectText(drawer, /Version that ran\s*master/);
  const actionLink = drawer.getByRole('link', { name: 'divide' });
  assert.equal(await actionLink.getAttribute('href'), `/apps/${DEMO_APP}/actions/${divide.id}`);
  assert.ok(
    await page.evaluate(() => document.activeElement?.closest('dialog') !== null),
    'focus moved into the drawer',
  );

  await drawer.getByRole('button', { name: 'Re-run this version' }).click();
  const outcome = await expectText(drawer.getByRole('status'), /as run #\d+: failed/, 60_000);
  const rerunId = Number(/as run #(\d+)/.exec(outcome)?.[1]);
  const newest = list.getByRole('listitem').first();
  const rerunRow = `^#${rerunId}(?!\\d).*failed.*re-run of #${failure.logId}`;
  await expectText(newest, new RegExp(rerunRow, 's'));
  await t.screenshot('log-explorer');

  await page.keyboard.press('Escape');
  await drawer.waitFor({ state: 'detached' });
  await eventually('focus back on the run’s row', async () =>
    (await focusedRunId(page)) === String(failure.logId));
  await eventually('the drawer gone from the URL', async () => !/[?&]run=/.test(page.url()));

  await page.reload();
  await page.getByRole('heading', { name: 'Run logs', level: 1 }).waitFor();
  assert.equal(await page.getByLabel('Outcome', { exact: true }).inputValue(), 'failed');
  assert.equal(await page.getByLabel('Action', { exact: true }).inputValue(), String(divide.id));
  assert.equal(await page.getByLabel('Error message contains').inputValue(), 'DIVIDE');
  await expectText(runList(page).getByRole('listitem').first(), new RegExp(`^#${rerunId}(?!\\d)`));
});

test('[LOGS]: a support link opens the run, and the chart has a table alternative', async (t) => {
  const { page, baseUrl } = t;
  const divide = await findAction(baseUrl, DEMO_APP, 'divide');
  const failure = await runDivide(baseUrl, divide.id, { a: 1, b: 0 });
  const query = `outcome=failed&action=${divide.id}&q=divide&run=${failure.logId}`;
  await page.goto(`${baseUrl}/apps/${DEMO_APP}/logs?${query}`);
  const drawer = page.getByRole('dialog', { name: `Run #${failure.logId}` });
  await expectText(drawer.getByLabel('Stack trace'), /Cannot divide by zero/);
  await drawer.getByRole('button', { name: 'Close run details' }).click();
  await drawer.waitFor({ state: 'detached' });

  const chart = page.getByRole('img', { name: /Runs per/ });
  const description = await chart.getAttribute('aria-labelledby');
  assert.ok(description?.includes(' '), 'the chart is named by its title and description');
  await page.getByText('Show the chart as a table').click();
  const table = page.getByRole('table', { name: /Runs per/ });
  await table.waitFor();
  const failedCells = await table.locator('tbody td:nth-child(3)').allTextContents();
  assert.ok(failedCells.some((cell) => Number(cell) > 0), 'the table counts the failures');

  // Keyset paging moves by cursor and the URL keeps it; "Newest runs" comes back.
  await page.getByLabel('Outcome', { exact: true }).selectOption('');
  await page.waitForURL((url) => !url.searchParams.has('outcome'));
  // The pager shows only when there is more than one page of runs.
  const older = page.getByRole('button', { name: 'Older →' });
  if ((await older.count()) > 0 && (await older.isEnabled())) {
    await older.click();
    await page.waitForURL(/[?&]before=\d+/);
    await page.getByRole('button', { name: 'Newest runs' }).click();
    await page.waitForURL((url) => !url.searchParams.has('before'));
  }
});
