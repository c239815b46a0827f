import { expectText, test } from './harness';
import {
  goToLineEnd,
  insertLine,
  openEditor,
  removeSeeded,
  saveWithKeyboard,
  seedAction,
  setAppPublished,
  uniqueName,
} from './editor.e2e';

const CODE = 'async function execute(context) {\n  return { version: 1 };\n}\n';

test(
  '[PUBLISH]: blocked with the reason while the app is unpublished; diff before each publish',
  async (t) => {
    const { page, baseUrl } = t;
    const seeded = await seedAction(baseUrl, {
      name: uniqueName('e2e-publish'),
      code: CODE,
      active: true,
      triggers: [{ trigger: 'manual' }],
    });
    try {
      await setAppPublished(baseUrl, false);
      await openEditor(page, baseUrl, seeded.id);
      const publish = page.getByRole('button', { name: /^Publish/ });
      await expectText(page.locator('#publish-blocked'), /APP_NOT_PUBLISHED/);
      if (await publish.isEnabled()) throw new Error('publish must be disabled, with its reason');

      await setAppPublished(baseUrl, true);
      await page.reload();
      await page.locator('[data-editor-ready="true"]').waitFor({ timeout: 30_000 });
      await expectText(page.getByText('Draft only'), /Draft only/);
      await publish.click();
      const dialog = page.getByRole('dialog', { name: /^Publish/ });
      await expectText(dialog.getByRole('group', { name: 'Code diff' }), /changed region/);
      await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      await expectText(page.getByText('Published', { exact: true }), /Published/);

      // Right after publishing, production is the saved master: nothing to review.
      await publish.click();
      await expectText(dialog.getByRole('group', { name: 'Code diff' }), /No differences in code/);
      await expectText(dialog.getByRole('group', { name: 'Settings diff' }), /No differences/);
      await dialog.getByRole('button', { name: 'Cancel' }).click();

      await goToLineEnd(page, 1);
      await insertLine(page, "console.log('publish me');");
      await saveWithKeyboard(page);
      await expectText(page.getByText('Changed since publish'), /Changed/);
      await publish.click();
      const codeDiff = dialog.getByRole('group', { name: 'Code diff' });
      await expectText(codeDiff, /1 changed region/);
      await expectText(codeDiff.locator('.modified .view-lines'), /publish\sme/);
      await t.screenshot('publish-diff');
      await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      await expectText(page.getByText('Published', { exact: true }), /Published/);

      await page.getByRole('button', { name: 'Unpublish…' }).click();
      const confirm = page.getByRole('dialog', { name: 'Unpublish this action?' });
      await confirm.getByRole('button', { name: 'Unpublish' }).click();
      await expectText(page.getByText('Draft only'), /Draft only/);
    } finally {
      await setAppPublished(baseUrl, true);
      await removeSeeded(baseUrl, seeded.id);
    }
  },
);
