/**
 * Runs the e2e specs against a running product (E2E_BASE_URL, default http://127.0.0.1:3000)
 * with Debian's Chromium. Every request the browser makes is checked: anything addressed to a
 * host other than loopback is blocked and fails the test, so the UI provably works offline.
 *
 *   npx tsx e2e/run.ts            # all tests
 *   npx tsx e2e/run.ts LOGS       # tests whose name contains "LOGS"
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium, type Browser, type BrowserContext } from 'playwright-core';

import { registeredTests, type RegisteredTest } from './harness';
import { adminCredentials, signInContext } from './session';
import './editor.e2e';
import './logs.e2e';
import './preview.e2e';
import './editor-templates.e2e';
import './editor-cron.e2e';
import './editor-environment.e2e';
import './editor-publish.e2e';
import './editor-history.e2e';
import './editor-performance.e2e';
import './auth.e2e';
import './outbox.e2e';
import './data-browser.e2e';

const baseUrl = (process.env.E2E_BASE_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
const screenshotDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');
const TEST_TIMEOUT_MS = 120_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Requests seen in one test, by where they went. */
interface Traffic {
  local: number;
  monaco: number;
  offsite: string[];
}

function isLocal(address: string): boolean {
  const url = new URL(address);
  // data:, blob: and about: URLs never reach the network.
  if (!url.protocol.startsWith('http') && !url.protocol.startsWith('ws')) return true;
  return LOOPBACK.has(url.hostname);
}

async function watchTraffic(context: BrowserContext): Promise<Traffic> {
  const traffic: Traffic = { local: 0, monaco: 0, offsite: [] };
  await context.route('**/*', async (route) => {
    const address = route.request().url();
    if (isLocal(address)) return route.continue();
    traffic.offsite.push(address);
    return route.abort('blockedbyclient');
  });
  // Also counts requests the route does not see (worker scripts), for the report.
  context.on('request', (request) => {
    const address = request.url();
    if (!isLocal(address)) {
      if (!traffic.offsite.includes(address)) traffic.offsite.push(address);
      return;
    }
    traffic.local += 1;
    if (address.startsWith('http') && new URL(address).pathname.startsWith('/monaco/')) {
      traffic.monaco += 1;
    }
  });
  return traffic;
}

async function runOne(browser: Browser, entry: RegisteredTest): Promise<string | null> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const traffic = await watchTraffic(context);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('websocket', (socket) => {
    if (!isLocal(socket.url())) traffic.offsite.push(socket.url());
  });
  page.setDefaultTimeout(20_000);
  const screenshot = async (name: string) => {
    await mkdir(screenshotDir, { recursive: true });
    const file = path.join(screenshotDir, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  };
  let failure: string | null = null;
  try {
    // Every spec starts signed in as the seeded admin unless it signs in by itself.
    if (!entry.signedOut) await signInContext(context, baseUrl, adminCredentials());
    await withTimeout(entry.fn({ page, context, baseUrl, screenshot }), TEST_TIMEOUT_MS);
    if (traffic.offsite.length > 0) {
      failure = `requests left loopback: ${traffic.offsite.join(', ')}`;
    } else if (pageErrors.length > 0) {
      failure = `uncaught errors in the page: ${pageErrors.join(' | ')}`;
    }
  } catch (error) {
    failure = error instanceof Error ? (error.stack ?? error.message) : String(error);
    await screenshot(`failure-${slug(entry.name)}`).catch(() => undefined);
  } finally {
    await context.close();
  }
  console.log(
    `    requests: ${traffic.local} to loopback (${traffic.monaco} under /monaco/), ` +
      `${traffic.offsite.length} elsewhere`,
  );
  // Reported, not failed: an expected 4xx answer also logs a console error in Chromium.
  for (const text of consoleErrors.slice(0, 5)) {
    console.log(`    console error: ${text.slice(0, 300)}`);
  }
  return failure;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`test timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

async function main(): Promise<number> {
  const filter = process.argv[2];
  const tests = registeredTests().filter((entry) => !filter || entry.name.includes(filter));
  console.log(`e2e against ${baseUrl}: ${tests.length} test(s)`);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  let passed = 0;
  let failed = 0;
  try {
    for (const entry of tests) {
      const started = Date.now();
      console.log(`  ${entry.name}`);
      const failure = await runOne(browser, entry);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (failure) {
        failed += 1;
        console.log(`  ✘ failed in ${seconds}s\n${indent(failure)}`);
      } else {
        passed += 1;
        console.log(`  ✔ passed in ${seconds}s`);
      }
    }
  } finally {
    await browser.close();
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
