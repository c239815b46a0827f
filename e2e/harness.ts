import assert from 'node:assert/strict';

import type { BrowserContext, Locator, Page } from 'playwright-core';

/** What each test gets: a fresh page in its own browser context, and the product's address. */
export interface TestContext {
  page: Page;
  /** The page's browser context: its cookies are the session (see e2e/session.ts). */
  context: BrowserContext;
  baseUrl: string;
  /** Writes a screenshot into e2e/screenshots/ and returns its path. */
  screenshot: (name: string) => Promise<string>;
}

export interface TestOptions {
  /** Start signed out; by default each test starts signed in as the seeded admin. */
  signedOut?: boolean;
}

export interface RegisteredTest {
  name: string;
  fn: (t: TestContext) => Promise<void>;
  signedOut: boolean;
}

const registry: RegisteredTest[] = [];

/** Registers a test; e2e/run.ts runs them in order, each in a new browser context. */
export function test(
  name: string,
  fn: (t: TestContext) => Promise<void>,
  options: TestOptions = {},
): void {
  registry.push({ name, fn, signedOut: options.signedOut ?? false });
}

export function registeredTests(): readonly RegisteredTest[] {
  return registry;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** Polls until the locator's text matches, so assertions tolerate rendering and fetch delays. */
export async function expectText(
  locator: Locator,
  pattern: RegExp,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    last = (await locator.textContent({ timeout: timeoutMs }).catch(() => null)) ?? '';
    if (pattern.test(last)) return last;
    if (Date.now() > deadline) {
      const seen = JSON.stringify(last.slice(0, 500));
      assert.fail(`expected text matching ${pattern}, last saw: ${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls an async condition until it holds. */
export async function eventually(
  what: string,
  condition: () => Promise<boolean>,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export { assert };
