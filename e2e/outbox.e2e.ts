import { trpcMutation } from './api';
import { assert, expectText, test } from './harness';

const DEMO_APP = 1;

/** Markup that would set `window.__pwned` if the admin page ever ran the email's HTML. */
const HOSTILE_HTML =
  '<p>Hello from the outbox test</p><script>window.__pwned = 1</script>' +
  '<img src="x" onerror="window.__pwned = 2">';

interface TestRun {
  ok: boolean;
  logId: number;
}

/** An action that sends one email; the marker makes its subject unique to this test. */
async function createSender(baseUrl: string, marker: number) {
  const code =
    'async function execute(context) {\n' +
    '  return Fliplet.Communicate.sendEmail({\n' +
    "    to: [{ email: 'outbox-e2e@company.test', name: 'Outbox Tester', type: 'to' }],\n" +
    '    subject: `Outbox check ${context.payload.marker}`,\n' +
    `    html: ${JSON.stringify(HOSTILE_HTML)},\n` +
    "    text: 'Hello from the outbox test',\n" +
    '  });\n' +
    '}\n';
  return trpcMutation<{ id: number; name: string }>(baseUrl, 'actions.create', {
    appId: DEMO_APP,
    data: {
      name: `outbox-e2e-${marker}`,
      code,
      active: true,
      triggers: [{ trigger: 'manual' }],
      dependencies: ['fliplet-communicate'],
    },
  });
}

test('[OUTBOX]: an email an action sent is listed, opens, and its HTML runs nothing', async (t) => {
  const { page, baseUrl } = t;
  const marker = Date.now() % 1_000_000_000;
  const action = await createSender(baseUrl, marker);
  const run = await trpcMutation<TestRun>(baseUrl, 'runs.test', {
    appId: DEMO_APP,
    id: action.id,
    payload: { marker },
  });
  assert.equal(run.ok, true, 'the sending run completed');

  await page.goto(`${baseUrl}/apps/${DEMO_APP}/actions`);
  await page.getByRole('navigation', { name: 'App sections' }).getByRole('link', {
    name: 'Outbox',
  }).click();
  await page.waitForURL(/\/apps\/1\/outbox$/);
  await page.getByRole('heading', { name: 'Outbox', level: 1 }).waitFor();
  assert.equal(
    await page.getByRole('tab', { name: /^Email/ }).getAttribute('aria-selected'),
    'true',
  );
  // The system test sets no SMTP_URL, so the page says mail is kept, not delivered.
  await expectText(page.getByRole('list', { name: 'Delivery on this server' }), /SMTP_URL/);

  const table = page.getByRole('table', { name: /Email sent by this app/ });
  const subject = `Outbox check ${marker}`;
  const row = table.getByRole('row').filter({ hasText: subject });
  await expectText(row, /Outbox Tester <outbox-e2e@company\.test>/);
  await expectText(row, /Hello from the outbox test/);
  await expectText(row, /stored/);
  await expectText(row, new RegExp(`${action.name}\\s*run #${run.logId}`));

  await row.getByRole('button', { name: subject }).click();
  const dialog = page.getByRole('dialog', { name: /^Email #\d+$/ });
  await dialog.waitFor();
  await page.waitForURL(/[?&]message=\d+/);
  await expectText(dialog, new RegExp(`Subject\\s*${subject}`));
  await expectText(dialog.getByLabel('Text body'), /^Hello from the outbox test$/);
  const runLink = dialog.getByRole('link', { name: `Run #${run.logId}` });
  assert.equal(await runLink.getAttribute('href'), `/apps/${DEMO_APP}/logs?run=${run.logId}`);

  await dialog.getByRole('tab', { name: 'HTML source' }).click();
  // The tab labels its panel too, so the source is found as the panel's text block.
  const source = dialog.getByRole('tabpanel').locator('pre[aria-label="HTML source"]');
  await expectText(source, /<script>window\.__pwned = 1<\/script>/);

  await dialog.getByRole('tab', { name: 'HTML (rendered safely)' }).click();
  const frame = dialog.locator('iframe');
  assert.equal(await frame.getAttribute('sandbox'), '', 'the frame is fully sandboxed');
  // Read from the page, not from inside the frame, which runs no script, not even Playwright's.
  const frameDocument = (await frame.getAttribute('srcdoc')) ?? '';
  const policy = /^<meta http-equiv="Content-Security-Policy" content="default-src 'none'/;
  assert.match(frameDocument, policy, 'the frame’s document allows no script and no fetch');
  assert.ok(frameDocument.endsWith(HOSTILE_HTML), 'the frame draws the email as it was sent');
  await t.screenshot('outbox-email');
  const pwned = await page.evaluate(() => Reflect.get(window, '__pwned'));
  assert.equal(pwned, undefined, 'no script of the email ran in the admin page');
  // Rendered into the admin page itself, the body would put its image there.
  assert.equal(await page.locator('img[src="x"]').count(), 0, 'the body is not in the page');

  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.ok(!/[?&]message=/.test(page.url()), 'closing the dialog takes it off the URL');
  await page.getByRole('tab', { name: /^SMS/ }).click();
  await page.waitForURL(/[?&]kind=sms/);
});
