/**
 * Signing in for the browser specs: through better-auth's sign-in endpoint, once per account,
 * then the session cookie is handed to each test's browser context and to the API helpers.
 * The seeded admin's password comes from DEMO_ADMIN_PASSWORD, which e2e/system.ts sets for the
 * web process it starts (run the specs against another server with the same variable set).
 */
import type { BrowserContext } from 'playwright-core';

export interface Credentials {
  email: string;
  password: string;
}

export interface SessionCookie {
  name: string;
  value: string;
}

export function adminCredentials(): Credentials {
  const password = process.env.DEMO_ADMIN_PASSWORD;
  if (!password) {
    throw new Error('Set DEMO_ADMIN_PASSWORD to the password of admin@example.com');
  }
  return { email: 'admin@example.com', password };
}

const sessions = new Map<string, Promise<SessionCookie>>();

/** The session cookie of a sign-in as `who`; signed in once per account and run. */
export function sessionFor(baseUrl: string, who: Credentials): Promise<SessionCookie> {
  const key = `${baseUrl} ${who.email}`;
  let found = sessions.get(key);
  if (!found) {
    found = signIn(baseUrl, who);
    // A failed sign-in is not cached, so the next test may try again.
    found.catch(() => sessions.delete(key));
    sessions.set(key, found);
  }
  return found;
}

async function signIn(baseUrl: string, who: Credentials): Promise<SessionCookie> {
  const response = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify(who),
  });
  if (!response.ok) {
    const body = await response.text();
    throw new Error(`sign-in as ${who.email} failed (${response.status}): ${body}`);
  }
  const header = response.headers.getSetCookie().find((c) => c.includes('.session_token='));
  const pair = header?.split(';')[0] ?? '';
  const at = pair.indexOf('=');
  if (at < 0) throw new Error(`sign-in as ${who.email} set no session cookie`);
  return { name: pair.slice(0, at), value: pair.slice(at + 1) };
}

export function cookieHeader(cookie: SessionCookie): string {
  return `${cookie.name}=${cookie.value}`;
}

/** Puts `who`'s session into a browser context, as the sign-in form would. */
export async function signInContext(context: BrowserContext, baseUrl: string, who: Credentials) {
  const cookie = await sessionFor(baseUrl, who);
  await context.addCookies([
    { ...cookie, url: baseUrl, httpOnly: true, sameSite: 'Lax', secure: false },
  ]);
}
