import { assert, expectText, test } from './harness';
import {
  codeEditor,
  openEditor,
  removeSeeded,
  restGet,
  saveWithKeyboard,
  seedAction,
  uniqueName,
} from './editor.e2e';

const CODE = 'async function execute(context) {\n  return { ok: true };\n}\n';

test(
  '[CRON]: preset, description, next runs in a chosen zone, saved as the API shows',
  async (t) => {
    const { page, baseUrl } = t;
    const seeded = await seedAction(baseUrl, {
      name: uniqueName('e2e-cron'),
      code: CODE,
      active: true,
      triggers: [{ trigger: 'schedule' }, { trigger: 'manual' }],
      frequency: '0 8 * * 1',
      timezone: 'UTC',
    });
    try {
      await openEditor(page, baseUrl, seeded.id);
      const preset = page.getByLabel('Repeat');
      assert.equal(await preset.inputValue(), 'weekly', 'the stored expression reads as a preset');
      const status = page.locator('#cron-status');
      await expectText(status, /At 08:00 AM, only on Monday/);

      // Every day at 09:30: the fields and the raw text follow the preset at once.
      await preset.selectOption('daily');
      await page.getByLabel('Time', { exact: true }).fill('09:30');
      assert.equal(await page.getByLabel('Cron expression').inputValue(), '30 9 * * *');
      assert.equal(await page.getByLabel('Minute', { exact: true }).inputValue(), '30');
      assert.equal(await page.getByLabel('Hour', { exact: true }).inputValue(), '9');
      await expectText(status, /At 09:30 AM/);

      // The zone picker is a combobox: type to filter, arrows to move, Enter to pick.
      const zone = page.getByRole('combobox', { name: 'Timezone' });
      await zone.fill('');
      await zone.pressSequentially('rome');
      await page.getByRole('listbox', { name: 'Time zones' }).getByRole('option').first().waitFor();
      await zone.press('ArrowDown');
      await zone.press('Enter');
      assert.equal(await zone.inputValue(), 'Europe/Rome');

      const runs = page.getByRole('table', { name: /Next 5 runs/ });
      await expectText(runs, /In Europe\/Rome/);
      const times = await runs.locator('tbody time').evaluateAll((nodes) =>
        nodes.map((node) => node.getAttribute('datetime') ?? ''),
      );
      assert.equal(times.length, 5);
      for (const iso of times) {
        const local = new Intl.DateTimeFormat('en-GB', {
          timeZone: 'Europe/Rome',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
        }).format(new Date(iso));
        assert.equal(local, '09:30', `${iso} is 09:30 in Rome`);
      }
      const firstRow = await runs.locator('tbody tr').first().innerText();
      assert.match(firstRow, /09:30/);

      // Every minute is refused with the validator's own reason, before any save.
      const raw = page.getByLabel('Cron expression');
      await raw.fill('* * * * *');
      await expectText(status, /FREQUENCY_TOO_FREQUENT.*every minute/);
      assert.equal(await runs.count(), 0, 'no runs are listed for a refused expression');
      await raw.fill('30 9 * * *');
      await expectText(status, /At 09:30 AM/);
      await t.screenshot('cron-builder');

      await codeEditor(page).focus();
      await saveWithKeyboard(page);
      const stored = await restGet<{ action: { frequency: string; timezone: string } }>(
        baseUrl,
        `/v3/apps/1/actions/${seeded.id}`,
      );
      assert.equal(stored.action.frequency, '30 9 * * *');
      assert.equal(stored.action.timezone, 'Europe/Rome');
    } finally {
      await removeSeeded(baseUrl, seeded.id);
    }
  },
);
