import type { Page } from 'playwright-core';

import { findAction, restoreAction, trpcMutation, trpcQuery, type ActionFields } from './api';
import { assert, eventually, expectText, test } from './harness';

export const DEMO_APP = 1;
/** The token the system test gives the demo app (DEV_API_TOKEN). */
const API_TOKEN = process.env.E2E_API_TOKEN ?? 't';

/** The Monaco editing surface, by the accessible name the editor gives it. */
export function codeEditor(page: Page) {
  return page.getByRole('textbox', { name: 'Action code' });
}

/** A name no other test run uses, so specs can run against a shared database. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

/** Creates a master action in the demo app through tRPC and answers it. */
export function seedAction(baseUrl: string, data: Record<string, unknown>) {
  return trpcMutation<ActionFields>(baseUrl, 'actions.create', { appId: DEMO_APP, data });
}

export async function removeSeeded(baseUrl: string, id: number | undefined): Promise<void> {
  if (id === undefined) return;
  await trpcMutation(baseUrl, 'actions.remove', { appId: DEMO_APP, id }).catch(() => undefined);
}

/** Opens an action's editor and waits until Monaco shows its code. */
export async function openEditor(page: Page, baseUrl: string, id: number): Promise<void> {
  await page.goto(`${baseUrl}/apps/${DEMO_APP}/actions/${id}`);
  await page.locator('[data-editor-ready="true"]').waitFor({ timeout: 30_000 });
  await expectText(page.locator('.monaco-editor .view-lines').first(), /execute/, 30_000);
}

/** Puts the caret at the end of a line of the code (lines are short: no wrapping). */
export async function goToLineEnd(page: Page, line: number): Promise<void> {
  await codeEditor(page).focus();
  await page.keyboard.press('Control+Home');
  for (let step = 1; step < line; step += 1) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
}

/**
 * Adds a line of code after the caret's line. Inserted as one piece of text, as a paste would
 * be: typed key by key, completion pop-ups would accept their own suggestions on `(` or `.`.
 */
export async function insertLine(page: Page, code: string): Promise<void> {
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.insertText(code);
}

/**
 * Opens the quick-fix menu at the caret (Ctrl+.) and picks a fix by its title. Monaco computes
 * code actions asynchronously after a change, so an early Ctrl+. may find none: retry a few times.
 */
export async function applyQuickFix(page: Page, title: string): Promise<void> {
  const item = page.locator('.action-widget').getByText(title, { exact: true });
  for (let attempt = 1; ; attempt += 1) {
    await page.keyboard.press('Control+.');
    const shown = await item.waitFor({ timeout: 3_000 }).then(() => true, () => false);
    if (shown) break;
    if (attempt === 4) assert.fail(`the quick fix "${title}" was not offered`);
    await page.keyboard.press('Escape');
  }
  await item.click();
}

/** Saves with the keyboard and waits for the editor to say so. */
export async function saveWithKeyboard(page: Page): Promise<void> {
  await page.keyboard.press('Control+S');
  await expectText(page.getByText(/Unsaved changes|All changes saved|Saving/), /All changes saved/);
}

/** The public REST API, as app code calls it, with the demo app's token. */
export async function restGet<T>(baseUrl: string, path: string): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, { headers: { 'Auth-token': API_TOKEN } });
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
  return (await response.json()) as T;
}

export function setAppPublished(baseUrl: string, published: boolean): Promise<unknown> {
  return trpcMutation(baseUrl, 'apps.setPublished', { appId: DEMO_APP, published });
}

async function openDemoAction(page: Page, baseUrl: string, name: string) {
  await page.goto(`${baseUrl}/apps/${DEMO_APP}/actions`);
  await page.getByRole('link', { name, exact: true }).click();
  await page.waitForURL(new RegExp(`/apps/${DEMO_APP}/actions/\\d+$`));
  await codeEditor(page).waitFor({ state: 'attached', timeout: 30_000 });
  // The code is on screen once Monaco has rendered the model's lines.
  await expectText(page.locator('.monaco-editor .view-lines'), /execute/, 30_000);
}

/** Puts the caret at the end of the first line (the function header) and opens a new line. */
async function newLineAfterHeader(page: Page) {
  await codeEditor(page).focus();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
}

test('[EDITOR]: edit hello-world, save, run it and see the run on top of its log', async (t) => {
  const { page, baseUrl } = t;
  const original = await findAction(baseUrl, DEMO_APP, 'hello-world');
  const token = `e2e-${Date.now().toString(36)}`;
  try {
    await openDemoAction(page, baseUrl, 'hello-world');

    await newLineAfterHeader(page);
    await page.keyboard.type(`return { edited: '${token}', name: context.payload.name };`);
    await expectText(page.getByText(/Unsaved changes|All changes saved/), /Unsaved changes/);

    await page.keyboard.press('Control+S');
    const status = page.getByText(/Unsaved changes|All changes saved|Saving/);
    await expectText(status, /All changes saved/);
    const stored = await findAction(baseUrl, DEMO_APP, 'hello-world');
    assert.match(stored.code, new RegExp(`edited: '${token}'`), 'the server has the edited code');

    const payload = page.getByLabel('Payload (JSON)');
    await payload.fill('');
    await payload.pressSequentially('{"name": "E2E"}');
    await page.getByRole('button', { name: 'Run', exact: true }).click();

    const result = page.getByRole('region', { name: 'Test result' });
    await expectText(result, new RegExp(`Completed.*${token}`, 's'), 60_000);
    const summary = await expectText(result, /Duration: \d+(\.\d+)? m?s/);
    const runId = /Run #(\d+)/.exec(summary)?.[1];
    assert.ok(runId, 'the result names its run');
    assert.match(await result.getByLabel('Result').textContent() ?? '', /"name": "E2E"/);

    const log = page.getByRole('list', { name: 'Run log' });
    const newest = log.getByRole('listitem').first();
    await expectText(newest, new RegExp(`#${runId}(?!\\d).*completed`, 's'));
    await newest.getByRole('button').click();
    await expectText(log.getByLabel('Payload').first(), /"name": "E2E"/);

    await t.screenshot('editor');
  } finally {
    await restoreAction(baseUrl, DEMO_APP, original);
  }
});

test('[EDITOR]: lint marks problems while typing; save errors sit on their field', async (t) => {
  const { page, baseUrl } = t;
  const original = await findAction(baseUrl, DEMO_APP, 'hello-world');
  await openDemoAction(page, baseUrl, 'hello-world');

  await newLineAfterHeader(page);
  await page.keyboard.type('await Fliplet.DataSources.connect(1);');
  const problems = page.getByRole('list', { name: 'Code problems' });
  await expectText(problems, /fliplet-datasources is not in dependencies/);
  await eventually('an error marker in the editor', async () =>
    (await page.locator('.monaco-editor .squiggly-error').count()) > 0,
  );
  // The package picker points at the missing package too.
  await expectText(page.getByText(/uses Fliplet\.DataSources; select it/), /select it/);

  // The server refuses the same code and the message appears under the code.
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expectText(page.locator('#code-error'), /not in dependencies/);

  // Ticking the package clears the lint error without a round trip.
  await page.getByRole('checkbox', { name: 'fliplet-datasources' }).check();
  await eventually('the missing-dependency error to clear', async () => {
    // With no problems left the list is replaced by a "no problems" line.
    if ((await problems.count()) === 0) return true;
    return !/not in dependencies/.test(await problems.innerText());
  });

  // A name the server refuses: the message sits under the Name field, which is marked invalid.
  const name = page.getByLabel('Name', { exact: true });
  await name.fill('not a valid name!');
  await page.keyboard.press('Control+S');
  await expectText(page.locator('#action-name-error'), /letters, numbers/);
  assert.equal(await name.getAttribute('aria-invalid'), 'true');

  // Leaving through an in-app link asks first; dismissing keeps the page and the draft.
  let asked = '';
  page.once('dialog', (dialog) => {
    asked = dialog.type();
    void dialog.dismiss();
  });
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link').click();
  await eventually('the unsaved-changes question', async () => asked === 'confirm');
  assert.match(page.url(), /\/actions\/\d+$/);

  const stored = await findAction(baseUrl, DEMO_APP, 'hello-world');
  assert.equal(stored.code, original.code, 'nothing was saved');
});

test('[EDITOR]: triggers offer only what the environment allows, with the reason', async (t) => {
  const { page, baseUrl } = t;
  await openDemoAction(page, baseUrl, 'hello-world');
  const picker = page.getByLabel('Add a trigger');
  await page.getByLabel('Environment').selectOption('client');
  const disabled = await picker.locator('option[disabled]').allTextContents();
  const disabledTypes = disabled.map((text) => text.split(' ')[0]).sort();
  assert.deepEqual(disabledTypes, ['log', 'manual', 'schedule']);
  await expectText(page.locator('#new-trigger-unavailable'), /log triggers run on the server/);

  await page.getByLabel('Environment').selectOption('any');
  await picker.selectOption('log');
  await page.getByRole('button', { name: 'Add trigger' }).click();
  const eventType = page.getByLabel('Log event type');
  assert.equal(await eventType.inputValue(), 'dataSource.entry.create');
  await eventType.selectOption('email.bounced');
  await page.getByRole('button', { name: /Remove trigger 2 \(log\)/ }).click();
  assert.equal(await page.getByLabel('Log event type').count(), 0);
});

test('[LOGS]: the app-wide run log lists runs and opens one', async (t) => {
  const { page, baseUrl } = t;
  const logs = await trpcQuery<{ count: number }>(baseUrl, 'runs.logs', { appId: DEMO_APP });
  await page.goto(`${baseUrl}/apps/${DEMO_APP}/logs`);
  await page.getByRole('heading', { name: 'Run logs' }).waitFor();
  if (logs.count === 0) {
    await page.getByText('No runs yet.').waitFor();
    return;
  }
  const first = page.getByRole('list', { name: 'Runs of this app' }).getByRole('listitem').first();
  await first.getByRole('button').click();
  await first.getByLabel('Payload').waitFor();
  await expectText(first, /Console output/);
});

test('[APPS]: the home page lists the demo app and links to its actions', async (t) => {
  const { page, baseUrl } = t;
  await page.goto(`${baseUrl}/`);
  const apps = page.getByRole('list', { name: 'Apps' });
  await apps.getByRole('link', { name: 'Actions' }).first().click();
  await page.waitForURL(/\/apps\/\d+\/actions$/);
  await page.getByRole('heading', { name: 'Actions' }).waitFor();
  await page.getByRole('link', { name: 'hello-world' }).waitFor();
});

test('[ACTIONS]: "New action" creates an on-demand hello world and opens it', async (t) => {
  const { page, baseUrl } = t;
  await page.goto(`${baseUrl}/apps/${DEMO_APP}/actions`);
  await page.getByRole('link', { name: 'hello-world' }).waitFor();
  await page.getByRole('button', { name: 'New action' }).click();
  const dialog = page.getByRole('dialog', { name: 'New action' });
  assert.ok(await dialog.getByRole('radio', { name: /On demand/ }).isChecked());
  await dialog.getByRole('button', { name: 'Create and open' }).click();
  await page.waitForURL(/\/actions\/\d+$/);
  const id = Number(/\/actions\/(\d+)$/.exec(page.url())?.[1]);
  try {
    await expectText(page.locator('.monaco-editor .view-lines'), /execute\(context\)/, 30_000);
    const name = await page.getByLabel('Name', { exact: true }).inputValue();
    assert.match(name, /^new-action(-\d+)?$/);
    assert.ok(await page.getByRole('switch', { name: 'Active' }).isChecked());
    await expectText(page.getByRole('list', { name: 'Triggers' }), /manual/i);
    await expectText(page.getByText('No problems found in the code.'), /No problems/);
  } finally {
    await trpcMutation(baseUrl, 'actions.remove', { appId: DEMO_APP, id });
  }
});
