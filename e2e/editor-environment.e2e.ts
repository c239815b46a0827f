import { trpcQuery } from './api';
import { assert, expectText, test } from './harness';
import { openEditor, removeSeeded, seedAction, uniqueName } from './editor.e2e';

const CODE = 'async function execute(context) {\n  return context.payload;\n}\n';

test(
  '[EDITOR]: switching environment asks before removing triggers it does not allow',
  async (t) => {
    const { page, baseUrl } = t;
    const seeded = await seedAction(baseUrl, {
      name: uniqueName('e2e-env'),
      code: CODE,
      active: true,
      environment: 'server',
      triggers: [
        { trigger: 'manual' },
        { trigger: 'schedule' },
        { trigger: 'log', where: { type: 'dataSource.entry.create' } },
      ],
      frequency: '0 6 * * *',
    });
    try {
      await openEditor(page, baseUrl, seeded.id);
      const environment = page.getByLabel('Environment', { exact: true });
      const picker = page.getByLabel('Add a trigger');
      const unavailable = page.locator('#new-trigger-unavailable');
      assert.equal(await picker.locator('option[value="analytics"]').isDisabled(), true);
      await expectText(unavailable, /analytics: analytics triggers run in the browser/);

      // To client: schedule and log would go; the dialog names them, and Cancel keeps them.
      await environment.selectOption('client');
      const dialog = page.getByRole('dialog', { name: 'Switch to client?' });
      const listed = dialog.getByRole('list', { name: 'Triggers to remove' });
      await expectText(listed, /schedule trigger.*log trigger \(dataSource\.entry\.create\)/s);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      assert.equal(await environment.inputValue(), 'server');
      const triggerRows = page.getByRole('list', { name: 'Triggers' }).getByRole('listitem');
      assert.equal(await triggerRows.count(), 3);

      await environment.selectOption('client');
      await dialog.getByRole('button', { name: /Remove them and switch/ }).click();
      assert.equal(await environment.inputValue(), 'client');
      assert.equal(await triggerRows.count(), 1);
      for (const type of ['schedule', 'log']) {
        assert.equal(await picker.locator(`option[value="${type}"]`).isDisabled(), true);
      }
      await expectText(unavailable, /schedule: schedule triggers run on the server/);
      await expectText(unavailable, /log: log triggers run on the server/);
      await expectText(page.getByText(/Not used in this environment/), /run on the server/);

      // To any: everything is allowed, so no question; add an analytics trigger.
      await environment.selectOption('any');
      assert.equal(await page.getByRole('dialog').count(), 0);
      await picker.selectOption('analytics');
      await page.getByRole('button', { name: 'Add trigger' }).click();
      await page.getByLabel('Screen ID (optional)').fill('77');
      await page.getByRole('button', { name: 'Add filter' }).click();
      await page.getByLabel('Filter 1 field').fill('_platform');
      await page.getByLabel('Filter 1 value').fill('web');

      // To server: analytics would go.
      await environment.selectOption('server');
      const toServer = page.getByRole('dialog', { name: 'Switch to server?' });
      await expectText(toServer, /analytics trigger \(analytics\.pageView\).*run in the browser/s);
      await toServer.getByRole('button', { name: /Remove it and switch/ }).click();
      assert.equal(await picker.locator('option[value="analytics"]').isDisabled(), true);
    } finally {
      await removeSeeded(baseUrl, seeded.id);
    }
  },
);

test(
  '[EDITOR]: log triggers pick the app data source; analytics filters save as typed values',
  async (t) => {
    const { page, baseUrl } = t;
    const seeded = await seedAction(baseUrl, {
      name: uniqueName('e2e-filters'),
      code: CODE,
      active: true,
      environment: 'any',
      triggers: [{ trigger: 'manual' }],
    });
    try {
      await openEditor(page, baseUrl, seeded.id);
      const picker = page.getByLabel('Add a trigger');
      await picker.selectOption('log');
      await page.getByRole('button', { name: 'Add trigger' }).click();
      const source = page.getByLabel('Data source', { exact: true });
      // The app's data sources, by name; the seeded demo app's first one is Bookings.
      await source.selectOption({ index: 1 });
      assert.match(await source.locator('option:checked').innerText(), /^Bookings \(#\d+\)$/);
      await picker.selectOption('analytics');
      await page.getByRole('button', { name: 'Add trigger' }).click();
      // The preview app's screens are offered by name; the id lands in the field.
      const screens = page.getByLabel('Use a screen of the preview app');
      await screens.selectOption({ label: 'Bookings (#102)' });
      assert.equal(await page.getByLabel('Screen ID (optional)').inputValue(), '102');
      await page.getByRole('button', { name: 'Add filter' }).click();
      await page.getByLabel('Filter 1 field').fill('_platform');
      await page.getByLabel('Filter 1 value').fill('web');
      await page.getByRole('button', { name: 'Add filter' }).click();
      await page.getByLabel('Filter 2 field').fill('count');
      await page.getByLabel('Filter 2 value').fill('3');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expectText(page.getByText(/Unsaved changes|All changes saved/), /All changes saved/);

      type Trigger = { trigger: string; where?: Record<string, unknown> };
      type Stored = { action: { triggers: Trigger[] } };
      const stored = await trpcQuery<Stored>(baseUrl, 'actions.get', { appId: 1, id: seeded.id });
      const log = stored.action.triggers.find((x) => x.trigger === 'log');
      const analytics = stored.action.triggers.find((x) => x.trigger === 'analytics');
      assert.equal(typeof log?.where?.dataSourceId, 'number');
      assert.deepEqual(analytics?.where, {
        type: 'analytics.pageView',
        data: { _platform: 'web', count: 3, _pageId: 102 },
      });
    } finally {
      await removeSeeded(baseUrl, seeded.id);
    }
  },
);
