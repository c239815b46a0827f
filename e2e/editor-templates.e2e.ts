import { trpcQuery } from './api';
import { assert, eventually, expectText, test } from './harness';
import {
  DEMO_APP,
  applyQuickFix,
  codeEditor,
  goToLineEnd,
  insertLine,
  removeSeeded,
  saveWithKeyboard,
  seedAction,
  uniqueName,
} from './editor.e2e';

test('[EDITOR]: template, lint marker, quick fix adds the package, save, test run', async (t) => {
  const { page, baseUrl } = t;
  const name = uniqueName('e2e-template');
  let id: number | undefined;
  try {
    await page.goto(`${baseUrl}/apps/${DEMO_APP}/actions`);
    await page.getByRole('link', { name: 'hello-world' }).waitFor();
    await page.getByRole('button', { name: 'New action' }).click();
    const dialog = page.getByRole('dialog', { name: 'New action' });
    // Each template says when to pick it; the name follows the template until edited.
    await dialog.getByRole('radio', { name: /Scheduled/ }).check();
    assert.match(await dialog.getByLabel('Name').inputValue(), /^weekly-job/);
    await dialog.getByRole('radio', { name: /On demand/ }).check();
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByRole('button', { name: 'Create and open' }).click();
    await page.waitForURL(/\/actions\/\d+$/);
    id = Number(/\/actions\/(\d+)$/.exec(page.url())?.[1]);
    await page.locator('[data-editor-ready="true"]').waitFor({ timeout: 30_000 });
    await expectText(page.getByText('No problems found in the code.'), /No problems/);

    // Line 5 is the template's function header; the new line uses a package not yet listed.
    await goToLineEnd(page, 5);
    await insertLine(
      page,
      "context.payload.name = (await Fliplet.DataSources.get()).map((s) => s.name).join('+');",
    );
    const problems = page.getByRole('list', { name: 'Code problems' });
    await expectText(problems, /fliplet-datasources is not in dependencies/);
    await page.locator('.monaco-editor .squiggly-error').first().waitFor();
    const picker = page.getByRole('checkbox', { name: 'fliplet-datasources' });
    assert.equal(await picker.isChecked(), false);

    // Ctrl+. on the marker offers the fix; choosing it ticks the package, not the code.
    await page.keyboard.press('Home');
    for (let step = 0; step < 40; step += 1) await page.keyboard.press('ArrowRight');
    await applyQuickFix(page, 'Add fliplet-datasources to dependencies');
    await eventually('the package to be ticked', () => picker.isChecked());
    await expectText(page.getByText('No problems found in the code.'), /No problems/);

    await codeEditor(page).focus();
    await saveWithKeyboard(page);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const result = page.getByRole('region', { name: 'Test result' });
    await expectText(result, /Completed.*Hello, .*Bookings/s, 60_000);

    await page.goto(`${baseUrl}/apps/${DEMO_APP}/actions`);
    const row = page.getByRole('row', { name: new RegExp(name) });
    await expectText(row, /Draft only.*completed/s);
    await t.screenshot('actions-list');
  } finally {
    await removeSeeded(baseUrl, id);
  }
});

test('[ACTIONS]: search and filters narrow the list; the switch saves active', async (t) => {
  const { page, baseUrl } = t;
  const name = uniqueName('e2e-filters');
  const seeded = await seedAction(baseUrl, {
    name,
    code: 'async function execute(context) {\n  return 1;\n}\n',
    active: true,
    environment: 'client',
    triggers: [{ trigger: 'analytics', where: { type: 'analytics.pageView' } }],
  });
  try {
    await page.goto(`${baseUrl}/apps/${DEMO_APP}/actions`);
    const table = page.getByRole('table');
    await table.getByRole('link', { name }).waitFor();
    await page.getByLabel('Search').fill(name);
    await eventually('one matching row', async () => (await table.getByRole('link').count()) === 1);
    await page.getByLabel('Search').fill('');
    await page.getByLabel('Trigger', { exact: true }).selectOption('manual');
    await eventually('the analytics action filtered out', async () =>
      (await table.getByRole('link', { name }).count()) === 0,
    );
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByLabel('Environment', { exact: true }).selectOption('client');
    await page.getByLabel('State', { exact: true }).selectOption('draft');
    await table.getByRole('link', { name }).waitFor();
    assert.equal(await table.getByRole('link', { name: 'hello-world' }).count(), 0);
    await expectText(page.getByRole('row', { name: new RegExp(name) }), /analytics\.pageView/);

    // The switch is a checkbox underneath: Space toggles it, as for any checkbox.
    const toggle = page.getByRole('switch', { name: `Active: ${name}` });
    assert.ok(await toggle.isChecked());
    await toggle.focus();
    await page.keyboard.press('Space');
    await eventually('the switch to be saved off', async () => {
      const stored = await trpcQuery<{ action: { active: boolean } }>(baseUrl, 'actions.get', {
        appId: DEMO_APP,
        id: seeded.id,
      });
      return !stored.action.active;
    });
    assert.equal(await toggle.isChecked(), false);
  } finally {
    await removeSeeded(baseUrl, seeded.id);
  }
});
