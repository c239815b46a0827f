import { trpcQuery } from './api';
import { assert, eventually, expectText, test } from './harness';
import {
  DEMO_APP,
  goToLineEnd,
  insertLine,
  openEditor,
  removeSeeded,
  saveWithKeyboard,
  seedAction,
  uniqueName,
} from './editor.e2e';

const CODE = 'async function execute(context) {\n  return { step: 0 };\n}\n';

async function storedCode(baseUrl: string, id: number): Promise<string> {
  const stored = await trpcQuery<{ action: { code: string } }>(baseUrl, 'actions.get', {
    appId: DEMO_APP,
    id,
  });
  return stored.action.code;
}

test('[HISTORY]: save twice, restore the first, and undo the restore', async (t) => {
  const { page, baseUrl } = t;
  const seeded = await seedAction(baseUrl, {
    name: uniqueName('e2e-history'),
    code: CODE,
    active: true,
    triggers: [{ trigger: 'manual' }],
  });
  try {
    await openEditor(page, baseUrl, seeded.id);
    for (const step of [1, 2]) {
      await goToLineEnd(page, 1);
      await insertLine(page, `// step ${step}`);
      await saveWithKeyboard(page);
    }
    const secondSave = await storedCode(baseUrl, seeded.id);
    const versions = page.getByRole('list', { name: 'Versions' });
    const items = versions.getByRole('listitem');
    await eventually('three versions', async () => (await items.count()) === 3);
    await expectText(versions.getByRole('listitem').first(), /Saved \(newest\)/);

    // The first version (the seeded code) against the editor: the two added lines differ.
    await versions.getByRole('listitem').last().getByRole('button').click();
    const codeDiff = page.getByRole('group', { name: 'Code diff' });
    await expectText(codeDiff, /changed region/);
    await t.screenshot('history');
    await page.getByRole('button', { name: /^Restore version/ }).click();
    const dialog = page.getByRole('dialog', { name: /^Restore version/ });
    await expectText(dialog, /restoring the version before it undoes it/);
    await dialog.getByRole('button', { name: 'Restore', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    await eventually('the server to hold the first version', async () =>
      (await storedCode(baseUrl, seeded.id)) === CODE,
    );
    await expectText(page.locator('.monaco-editor .view-lines').first(), /step:\s0/);
    const shown = await page.locator('.monaco-editor .view-lines').first().innerText();
    assert.doesNotMatch(shown, /step\s1/);
    await expectText(page.getByText(/Unsaved changes|All changes saved/), /All changes saved/);
    await expectText(versions.getByRole('listitem').first(), /Restored \(newest\)/);

    // Undo: restore the version before the restore (the second save).
    await versions.getByRole('listitem').nth(1).getByRole('button').click();
    await page.getByRole('button', { name: /^Restore version/ }).click();
    await dialog.getByRole('button', { name: 'Restore', exact: true }).click();
    await eventually('the second save back', async () =>
      (await storedCode(baseUrl, seeded.id)) === secondSave,
    );
    await expectText(page.locator('.monaco-editor .view-lines').first(), /step\s2/);
    await eventually('the undo recorded too', async () => (await items.count()) === 5);
  } finally {
    await removeSeeded(baseUrl, seeded.id);
  }
});
