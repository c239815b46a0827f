import type { Page } from 'playwright-core';

import { findAction, trpcMutation } from './api';
import { DEMO_APP, openEditor, removeSeeded, seedAction, uniqueName } from './editor.e2e';
import { assert, expectText, test } from './harness';
import { adminCredentials, type Credentials } from './session';

const support: Credentials = { email: 'support@example.com', password: 'e2e support password' };
const builder: Credentials = { email: 'builder@example.com', password: 'e2e builder password' };

/** Creates the account with its role in the demo organisation, unless an earlier run did. */
async function ensureMember(baseUrl: string, who: Credentials, role: 'support' | 'builder') {
  try {
    await trpcMutation(baseUrl, 'users.create', {
      organizationId: 1,
      email: who.email,
      name: `E2E ${role}`,
      role,
      password: who.password,
    });
  } catch (error) {
    if (!/already a member/.test(String(error))) throw error;
  }
}

/** Signs in through the form on /login, as a person would. */
async function signInWithForm(page: Page, who: Credentials) {
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A tRPC mutation sent from inside the page, with its cookie, as a tampered UI would send it. */
async function forgedMutation(page: Page, path: string, input: unknown) {
  return page.evaluate(
    async ({ path, input }) => {
      const response = await fetch(`/api/trpc/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-app-actions-csrf': '1' },
        body: JSON.stringify(input),
      });
      const body: unknown = await response.json();
      return { status: response.status, body: JSON.stringify(body) };
    },
    { path, input },
  );
}

test(
  '[AUTH]: signed out, pages send you to sign in and back; signing out ends the session',
  async (t) => {
    const { page, baseUrl } = t;
    const anonymous = await fetch(`${baseUrl}/api/trpc/apps.list`);
    assert.equal(anonymous.status, 401, 'the API refuses a signed-out caller');

    await page.goto(`${baseUrl}/apps/${DEMO_APP}/logs?outcome=failed`);
    await page.waitForURL(/\/login\?next=%2Fapps%2F1%2Flogs%3Foutcome%3Dfailed$/);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    await signInWithForm(page, { email: adminCredentials().email, password: 'not the password' });
    await page.getByText('The email or the password is not right.').waitFor();

    await signInWithForm(page, adminCredentials());
    // Back at the exact address the link named, query included.
    await page.waitForURL(/\/apps\/1\/logs\?outcome=failed$/);
    await expectText(page.getByLabel('Signed in as'), /admin@example\.com/);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    await page.goto(`${baseUrl}/`);
    await page.waitForURL(/\/login\?next=%2F$/);
  },
  { signedOut: true },
);

test(
  '[AUTH]: support reads code and logs, cannot edit, test or publish, and re-runs a failure',
  async (t) => {
    const { page, baseUrl } = t;
    await ensureMember(baseUrl, support, 'support');
    const divide = await findAction(baseUrl, DEMO_APP, 'divide');
    const failure = await trpcMutation<{ ok: boolean; logId: number }>(baseUrl, 'runs.test', {
      appId: DEMO_APP,
      id: divide.id,
      payload: { a: 7, b: 0 },
    });
    assert.equal(failure.ok, false, 'dividing by zero fails');

    await page.goto(`${baseUrl}/apps/${DEMO_APP}/actions`);
    await page.waitForURL(/\/login/);
    await signInWithForm(page, support);
    await page.waitForURL(/\/apps\/1\/actions$/);
    await page.getByRole('link', { name: 'divide' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'New action' }).count(), 0);

    await openEditor(page, baseUrl, divide.id);
    assert.equal(await page.getByRole('button', { name: 'Save', exact: true }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /^Publish/ }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Run', exact: true }).count(), 0);
    assert.equal(await page.getByRole('link', { name: 'Settings' }).count(), 0);

    // The server is the guard: the same calls sent by hand are refused.
    const update = await forgedMutation(page, 'actions.update', {
      appId: DEMO_APP,
      id: divide.id,
      data: { code: 'async function execute() { return "hijacked"; }' },
    });
    assert.equal(update.status, 403);
    assert.match(update.body, /FORBIDDEN/);
    const publish = await forgedMutation(page, 'actions.publish', {
      appId: DEMO_APP,
      id: divide.id,
    });
    assert.equal(publish.status, 403);
    const test = await forgedMutation(page, 'runs.test', {
      appId: DEMO_APP,
      id: divide.id,
      payload: { a: 1, b: 1 },
    });
    assert.equal(test.status, 403);
    const stored = await findAction(baseUrl, DEMO_APP, 'divide');
    assert.equal(stored.code, divide.code, 'the code is unchanged');

    await page.goto(`${baseUrl}/apps/${DEMO_APP}/logs?run=${failure.logId}`);
    const drawer = page.getByRole('dialog', { name: `Run #${failure.logId}` });
    await expectText(drawer.getByLabel('Stack trace'), /Cannot divide by zero/);
    await drawer.getByRole('button', { name: 'Re-run this version' }).click();
    await expectText(drawer.getByRole('status'), /as run #\d+: failed/, 60_000);
    await t.screenshot('support-rerun');
  },
  { signedOut: true },
);

test(
  '[AUTH]: a builder publishes an action, and has no way into the settings',
  async (t) => {
    const { page, baseUrl } = t;
    await ensureMember(baseUrl, builder, 'builder');
    const seeded = await seedAction(baseUrl, {
      name: uniqueName('e2e-builder'),
      code: 'async function execute(context) {\n  return 1;\n}\n',
      active: true,
      triggers: [{ trigger: 'manual' }],
    });
    try {
      await page.goto(`${baseUrl}/login?next=%2Fapps%2F1%2Factions%2F${seeded.id}`);
      await signInWithForm(page, builder);
      await page.waitForURL(new RegExp(`/apps/1/actions/${seeded.id}$`));
      await page.locator('[data-editor-ready="true"]').waitFor({ timeout: 30_000 });
      assert.equal(await page.getByRole('link', { name: 'Settings' }).count(), 0);

      await page.getByRole('button', { name: /^Publish/ }).click();
      const dialog = page.getByRole('dialog', { name: /^Publish/ });
      await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      await expectText(page.getByText('Published', { exact: true }), /Published/);

      await page.goto(`${baseUrl}/settings/users`);
      await page.getByText(/Only organisation admins manage/).waitFor();
    } finally {
      await removeSeeded(baseUrl, seeded.id);
    }
  },
  { signedOut: true },
);

test(
  '[AUTH]: a viewer token made in Settings reads, cannot write, and is refused once revoked',
  async (t) => {
    const { page, baseUrl } = t;
    const name = uniqueName('e2e-token');
    await page.goto(`${baseUrl}/settings/tokens`);
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Reaches').selectOption({ label: 'Only Demo app' });
    await page.getByLabel('Role').selectOption('viewer');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await expectText(page.getByLabel('New token'), /^aa_/)).trim();

    const rest = (method: string, body?: unknown) =>
      fetch(`${baseUrl}/v3/apps/${DEMO_APP}/actions`, {
        method,
        headers: { 'auth-token': token, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    assert.equal((await rest('GET')).status, 200);
    const write = await rest('POST', { name: uniqueName('nope'), code: 'x' });
    assert.equal(write.status, 403);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: `Revoke ${name}` }).click();
    const table = page.getByRole('table', { name: 'API tokens' });
    await expectText(table, new RegExp(`${name}.*revoked`, 's'));
    assert.equal((await rest('GET')).status, 401);

    await page.getByRole('link', { name: 'Audit trail' }).click();
    const events = page.getByRole('table', { name: 'Audit events' });
    await expectText(events, /token\.revoke[\s\S]*token\.create/);
  },
);
