import type { Page } from 'playwright-core';

import { test } from './harness';
import { removeSeeded, seedAction, uniqueName } from './editor.e2e';

/**
 * Milliseconds from navigation start until the editor is usable: Monaco mounted and showing
 * the code, and the Save button enabled. Checked on every animation frame in the page itself,
 * so the figure does not include the test's own polling.
 */
async function timeToInteractive(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction(
    () => {
      const ready = document.querySelector('[data-editor-ready="true"] .view-lines');
      const save = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Save');
      if (!ready || !/execute/.test(ready.textContent ?? '') || !save || save.disabled) {
        return false;
      }
      return performance.now();
    },
    undefined,
    { polling: 'raf', timeout: 30_000 },
  );
  return Number(await handle.jsonValue());
}

test(
  '[PERF]: editor time to interactive (navigation start → Monaco ready, Save enabled)',
  async (t) => {
    const { page, baseUrl } = t;
    const seeded = await seedAction(baseUrl, {
      name: uniqueName('e2e-tti'),
      code: 'async function execute(context) {\n  return 1;\n}\n',
      active: true,
      triggers: [{ trigger: 'manual' }],
    });
    try {
      const url = `${baseUrl}/apps/1/actions/${seeded.id}`;
      const cold = await timeToInteractive(page, url);
      const warm: number[] = [];
      for (let run = 0; run < 5; run += 1) warm.push(await timeToInteractive(page, url));
      warm.sort((a, b) => a - b);
      const median = warm[Math.floor(warm.length / 2)] ?? NaN;
      console.log(
        `    editor time to interactive: cold ${Math.round(cold)} ms, warm median ` +
          `${Math.round(median)} ms (warm runs: ${warm.map(Math.round).join(', ')} ms)`,
      );
    } finally {
      await removeSeeded(baseUrl, seeded.id);
    }
  },
);
