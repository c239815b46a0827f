/**
 * Sign-in, sessions and their cookies, CSRF guards, sign-in limits, API token revocation, the
 * audit trail and the first admin: through better-auth's real HTTP handler and our own routes.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createRequestContext } from '../../server/api/context';
import { refuseCrossSiteMutation } from '../../server/api/csrf';
import { handleRest } from '../../server/api/rest/handler';
import { createCaller } from '../../server/api/root';
import { createApiToken } from '../../server/api/tokens';
import { createAuth, type Auth } from '../../server/auth/auth';
import { safeNextPath } from '../../server/auth/pages';
import { authSecret } from '../../server/auth/secret';
import { ensureFirstAdmin, FIRST_ADMIN_EMAIL } from '../../server/auth/users';
import { createDatabase, db } from '../../server/db/client';
import { apps, auditEvents, memberships, organizations, sessions } from '../../server/db/schema';
import { contextFor, createTestUser, TEST_PASSWORD, type TestUser } from '../accounts';
import { createActionFields } from '../fixtures';
import { createTestDatabase, type TestDatabase } from '../harness';

const BASE = 'http://localhost:3000';
const SECRET = randomBytes(32).toString('base64url');

let database: TestDatabase;
let auth: Auth;
let orgId: number;
let appId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.BETTER_AUTH_SECRET = SECRET;
  process.env.PUBLIC_URL = BASE;
  process.env.ACTIONS_RATE_LIMIT_CRUD = '100000';
  auth = createAuth(db(), { baseUrl: BASE, secret: SECRET });
  const [org] = await db().insert(organizations).values({ name: 'Auth org' }).returning();
  if (!org) throw new Error('no organisation');
  const [app] = await db()
    .insert(apps)
    .values({ organizationId: org.id, name: 'Auth app', publishedAt: new Date() })
    .returning();
  if (!app) throw new Error('no app');
  orgId = org.id;
  appId = app.id;
});

afterAll(async () => {
  await db().$client.end();
  await database?.drop();
});

/** A client address of its own per call, so better-auth's per-address limit stays out of it. */
function someAddress(): string {
  return `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 250) + 1).join('.')}`;
}

interface SignIn {
  email: string;
  password: string;
  cookie?: string;
  origin?: string | null;
  address?: string;
}

function signIn(auth: Auth, input: SignIn): Promise<Response> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-forwarded-for': input.address ?? someAddress(),
  };
  if (input.origin !== null) headers.origin = input.origin ?? BASE;
  if (input.cookie) headers.cookie = input.cookie;
  return auth.handler(
    new Request(`${BASE}/api/auth/sign-in/email`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email: input.email, password: input.password }),
    }),
  );
}

function signInAs(user: TestUser): Promise<Response> {
  return signIn(auth, { email: user.email, password: TEST_PASSWORD });
}

/** The session cookie a response sets, as `name=value` for a Cookie header. */
function sessionCookie(response: Response): { pair: string; attributes: string[] } {
  const header = response.headers.getSetCookie().find((c) => c.includes('session_token='));
  if (!header) throw new Error(`no session cookie (status ${response.status})`);
  const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
  return { pair, attributes };
}

async function userOf(cookie: string): Promise<string | null> {
  const ctx = await createRequestContext(db(), new Headers({ cookie }));
  return ctx.user?.email ?? null;
}

describe('[AUTH]: sign-in and session cookies', () => {
  it('sets an httpOnly, SameSite=Lax cookie on the whole site, not Secure on http', async () => {
    const user = await createTestUser(db());
    const response = await signIn(auth, { email: user.email, password: TEST_PASSWORD });
    expect(response.status).toBe(200);
    const { pair, attributes } = sessionCookie(response);
    expect(pair.startsWith('app-actions.session_token=')).toBe(true);
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Lax', 'Path=/']));
    expect(attributes).not.toContain('Secure');
    expect(await userOf(pair)).toBe(user.email);
  });

  it('makes the cookie Secure (__Secure- prefixed) when the public address is https', async () => {
    const secure = createAuth(db(), { baseUrl: 'https://actions.example.com', secret: SECRET });
    const user = await createTestUser(db());
    const response = await signIn(secure, {
      email: user.email,
      password: TEST_PASSWORD,
      origin: 'https://actions.example.com',
    });
    expect(response.status).toBe(200);
    const { pair, attributes } = sessionCookie(response);
    expect(pair.startsWith('__Secure-app-actions.session_token=')).toBe(true);
    expect(attributes).toEqual(
      expect.arrayContaining(['HttpOnly', 'SameSite=Lax', 'Path=/', 'Secure']),
    );
  });

  it('refuses a wrong password, an unknown email, and sign-up', async () => {
    const user = await createTestUser(db());
    expect((await signIn(auth, { email: user.email, password: 'not the password' })).status).toBe(
      401,
    );
    expect(
      (await signIn(auth, { email: 'nobody@example.com', password: TEST_PASSWORD })).status,
    ).toBe(401);
    const signUp = await auth.handler(
      new Request(`${BASE}/api/auth/sign-up/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: BASE },
        body: JSON.stringify({ email: 'new@example.com', password: TEST_PASSWORD, name: 'New' }),
      }),
    );
    expect(signUp.status).toBe(400);
  });

  it('refuses sign-in posted from another origin (login CSRF)', async () => {
    const user = await createTestUser(db());
    const response = await signIn(auth, {
      email: user.email,
      password: TEST_PASSWORD,
      origin: 'https://evil.example',
    });
    expect(response.status).toBe(403);
  });

  it('a tampered or made-up cookie is no session', async () => {
    const user = await createTestUser(db());
    const { pair } = sessionCookie(await signInAs(user));
    const [name, value = ''] = pair.split('=');
    const [token] = decodeURIComponent(value).split('.');
    expect(await userOf(`${name}=${token}.${encodeURIComponent('AAAA')}`)).toBeNull();
    expect(await userOf(`${name}=${randomUUID()}`)).toBeNull();
  });

  it('signing out ends the session on the server, not only in the browser', async () => {
    const user = await createTestUser(db());
    const { pair } = sessionCookie(await signInAs(user));
    const out = await auth.handler(
      new Request(`${BASE}/api/auth/sign-out`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: BASE, cookie: pair },
        body: '{}',
      }),
    );
    expect(out.status).toBe(200);
    expect(await userOf(pair)).toBeNull();
  });
});

describe('[AUTH]: session fixation', () => {
  it('a session id planted before sign-in is not the one after', async () => {
    const user = await createTestUser(db());
    const planted = `app-actions.session_token=${randomBytes(24).toString('base64url')}`;
    const response = await signIn(auth, {
      email: user.email,
      password: TEST_PASSWORD,
      cookie: planted,
    });
    expect(response.status).toBe(200);
    const { pair } = sessionCookie(response);
    expect(pair).not.toBe(planted);
    expect(await userOf(planted)).toBeNull();
    expect(await userOf(pair)).toBe(user.email);
  });

  it("signing in with someone else's live session cookie makes a new session", async () => {
    const alice = await createTestUser(db());
    const bob = await createTestUser(db());
    const first = sessionCookie(await signInAs(alice));
    const second = sessionCookie(
      await signIn(auth, { email: bob.email, password: TEST_PASSWORD, cookie: first.pair }),
    );
    expect(second.pair).not.toBe(first.pair);
    // The earlier cookie was not turned into Bob's session.
    expect(await userOf(first.pair)).toBe(alice.email);
    expect(await userOf(second.pair)).toBe(bob.email);
    const rows = await db().select().from(sessions);
    expect(new Set(rows.map((row) => row.token)).size).toBe(rows.length);
  });
});

describe('[AUTH]: sign-in limits', () => {
  it('limits sign-in attempts per client address: the 11th within a minute is 429', async () => {
    const user = await createTestUser(db());
    const address = someAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) {
      const response = await signIn(auth, { email: user.email, password: 'wrong!', address });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
  });

  it('locks an account after 10 attempts from any addresses, right password included', async () => {
    const user = await createTestUser(db());
    for (let i = 0; i < 10; i += 1) {
      expect((await signIn(auth, { email: user.email, password: 'wrong password' })).status).toBe(
        401,
      );
    }
    const locked = await signIn(auth, { email: user.email, password: TEST_PASSWORD });
    expect(locked.status).toBe(429);
    expect(await locked.json()).toMatchObject({ code: 'ACCOUNT_LOCKED' });
  });

  it('a successful sign-in clears the count of failed ones', async () => {
    const user = await createTestUser(db());
    for (let round = 0; round < 2; round += 1) {
      for (let i = 0; i < 9; i += 1) {
        await signIn(auth, { email: user.email, password: 'wrong password' });
      }
      expect((await signIn(auth, { email: user.email, password: TEST_PASSWORD })).status).toBe(
        200,
      );
    }
  });
});

describe('[AUTH]: CSRF on tRPC mutations', () => {
  const post = (headers: Record<string, string>) =>
    new Request(`${BASE}/api/trpc/actions.create`, { method: 'POST', headers });

  it('needs the custom header, and a trusted origin when the browser names one', async () => {
    expect(refuseCrossSiteMutation(post({}))?.status).toBe(403);
    const ok = { 'x-app-actions-csrf': '1' };
    expect(refuseCrossSiteMutation(post(ok))).toBeNull();
    expect(refuseCrossSiteMutation(post({ ...ok, origin: BASE }))).toBeNull();
    expect(refuseCrossSiteMutation(post({ ...ok, origin: 'http://127.0.0.1:3000' }))).toBeNull();
    expect(refuseCrossSiteMutation(post({ ...ok, origin: 'https://evil.example' }))?.status).toBe(
      403,
    );
    expect(refuseCrossSiteMutation(post({ ...ok, 'sec-fetch-site': 'cross-site' }))?.status).toBe(
      403,
    );
    expect(refuseCrossSiteMutation(post({ ...ok, 'sec-fetch-site': 'same-origin' }))).toBeNull();
  });
});

describe('[AUTH]: API tokens', () => {
  const list = (token: string) =>
    handleRest(
      new Request(`http://localhost/v3/apps/${appId}/actions`, {
        headers: { 'auth-token': token },
      }),
    );

  it('a revoked token answers 401 from then on', async () => {
    const admin = await createTestUser(db(), { organizations: [[orgId, 'admin']] });
    const caller = createCaller(contextFor(db(), admin));
    const created = await caller.tokens.create({
      organizationId: orgId,
      name: 'ci',
      role: 'viewer',
    });
    expect(created.token).toMatch(/^aa_/);
    expect((await list(created.token)).status).toBe(200);
    await caller.tokens.revoke({ organizationId: orgId, id: created.id });
    const refused = await list(created.token);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ status: 'UNAUTHORIZED' });
    const listed = await caller.tokens.list({ organizationId: orgId });
    expect(listed.find((t) => t.id === created.id)?.revokedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(created.token);
  });

  it('a token of another organisation cannot be revoked by naming one you administer', async () => {
    const [other] = await db().insert(organizations).values({ name: 'Other' }).returning();
    if (!other) throw new Error('no organisation');
    const foreign = await createApiToken(db(), { organizationId: other.id }, 'foreign');
    const admin = await createTestUser(db(), { organizations: [[orgId, 'admin']] });
    const caller = createCaller(contextFor(db(), admin));
    await expect(caller.tokens.revoke({ organizationId: orgId, id: foreign.id })).rejects.toThrow(
      /No token/,
    );
    expect((await list(foreign.token)).status).toBe(404);
  });
});

describe('[AUTH]: audit trail', () => {
  /** The audit events about one action (token and user ids may be the same numbers). */
  async function eventsOf(actionId: string) {
    const rows = await db().select().from(auditEvents).where(eq(auditEvents.targetId, actionId));
    return rows.filter((row) => row.action.startsWith('action.'));
  }

  it('records tRPC changes with the user, and not failed ones', async () => {
    const builder = await createTestUser(db(), { organizations: [[orgId, 'builder']] });
    const caller = createCaller(contextFor(db(), builder));
    const action = await caller.actions.create({ appId, data: createActionFields() });
    await caller.actions.update({ appId, id: action.id, data: { active: false } });
    await expect(caller.actions.update({ appId, id: action.id, data: { name: '' } })).rejects
      .toThrow();
    const events = await eventsOf(String(action.id));
    expect(events.map((e) => e.action)).toEqual(['action.create', 'action.update']);
    expect(events[0]).toMatchObject({
      organizationId: orgId,
      appId,
      actorType: 'user',
      actorId: builder.id,
      actorLabel: builder.email,
    });
  });

  it('records REST changes with the token as actor', async () => {
    const { id, token } = await createApiToken(db(), { appId }, 'deploy bot');
    const response = await handleRest(
      new Request(`http://localhost/v3/apps/${appId}/actions`, {
        method: 'POST',
        headers: { 'auth-token': token, 'content-type': 'application/json' },
        body: JSON.stringify(createActionFields()),
      }),
    );
    expect(response.status).toBe(201);
    const { action } = (await response.json()) as { action: { id: number } };
    const [event] = await eventsOf(String(action.id));
    expect(event).toMatchObject({
      action: 'action.create',
      actorType: 'token',
      actorId: String(id),
      actorLabel: 'deploy bot',
    });
  });

  it('keeps secrets out: token and user creation record names and roles only', async () => {
    const admin = await createTestUser(db(), { organizations: [[orgId, 'admin']] });
    const caller = createCaller(contextFor(db(), admin));
    const token = await caller.tokens.create({ organizationId: orgId, name: 'n', role: 'viewer' });
    const added = await caller.users.create({
      organizationId: orgId,
      email: `x-${randomUUID().slice(0, 6)}@example.com`,
      name: 'X',
      role: 'support',
    });
    expect(added.generatedPassword).toMatch(/.{20,}/);
    const page = await caller.audit.list({ organizationId: orgId, limit: 200 });
    const text = JSON.stringify(page);
    expect(text).not.toContain(token.token);
    expect(text).not.toContain(String(added.generatedPassword));
    expect(page.events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['token.create', 'user.create']),
    );
  });
});

describe('[AUTH]: text the database cannot store', () => {
  it('refuses NUL, control characters and broken surrogates, creating nothing', async () => {
    const admin = await createTestUser(db(), { organizations: [[orgId, 'admin']] });
    const caller = createCaller(contextFor(db(), admin));
    const before = await caller.audit.list({ organizationId: orgId, limit: 200 });
    const email = () => `t-${randomUUID().slice(0, 6)}@example.com`;
    const organizationId = orgId;
    const token = (name: string) => () =>
      caller.tokens.create({ organizationId, name, role: 'viewer' });
    const user = (name: string) => () =>
      caller.users.create({ organizationId, email: email(), name, role: 'viewer' });
    const attempts: [string, () => Promise<unknown>][] = [
      ['token nul', token('a\u0000')],
      ['token tab', token('a\tb')],
      ['user lone', user('\ud800')],
      ['user nul', user('n\u0000')],
      ['set role nul', () =>
        caller.users.setRole({ organizationId, userId: 'x\u0000', role: 'viewer' })],
      ['remove lone', () => caller.users.remove({ organizationId, userId: '\udc00' })],
    ];
    for (const [label, attempt] of attempts) {
      const error: unknown = await attempt().catch((caught: unknown) => caught);
      expect({ label, error }).toMatchObject({ label, error: { code: 'BAD_REQUEST' } });
    }
    expect(await caller.audit.list({ organizationId: orgId, limit: 200 })).toEqual(before);
  });
});

describe('[AUTH]: members', () => {
  it('a generated password signs the new user in', async () => {
    const admin = await createTestUser(db(), { organizations: [[orgId, 'admin']] });
    const caller = createCaller(contextFor(db(), admin));
    const email = `new-${randomUUID().slice(0, 6)}@example.com`;
    const added = await caller.users.create({
      organizationId: orgId,
      email,
      name: 'N',
      role: 'viewer',
    });
    const response = await signIn(auth, { email, password: added.generatedPassword ?? '' });
    expect(response.status).toBe(200);
  });

  it('adding someone who has an account keeps their password and adds the role', async () => {
    const person: TestUser = await createTestUser(db());
    const admin = await createTestUser(db(), { organizations: [[orgId, 'admin']] });
    const caller = createCaller(contextFor(db(), admin));
    const added = await caller.users.create({
      organizationId: orgId,
      email: person.email.toUpperCase(),
      name: 'Ignored',
      role: 'support',
    });
    expect(added).toMatchObject({ id: person.id, created: false, generatedPassword: null });
    await expect(
      caller.users.create({
        organizationId: orgId,
        email: person.email,
        name: 'A',
        role: 'viewer',
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('an organisation keeps at least one admin', async () => {
    const [org] = await db().insert(organizations).values({ name: 'One admin' }).returning();
    if (!org) throw new Error('no organisation');
    const admin = await createTestUser(db(), { organizations: [[org.id, 'admin']] });
    const caller = createCaller(contextFor(db(), admin));
    await expect(
      caller.users.setRole({ organizationId: org.id, userId: admin.id, role: 'viewer' }),
    ).rejects.toThrow(/at least one admin/);
    await expect(caller.users.remove({ organizationId: org.id, userId: admin.id })).rejects.toThrow(
      /at least one admin/,
    );
  });
});

describe('[AUTH]: first start', () => {
  it('creates the demo admin once, with DEMO_ADMIN_PASSWORD, admin of the demo org', async () => {
    const fresh = await createTestDatabase();
    const other = createDatabase(fresh.url, { max: 2 });
    try {
      const [org] = await other.insert(organizations).values({ name: 'Demo' }).returning();
      if (!org) throw new Error('no organisation');
      await other.insert(apps).values({ organizationId: org.id, name: 'Demo app' });
      process.env.DEMO_ADMIN_PASSWORD = 'a demo password';
      const first = await ensureFirstAdmin(other, 1);
      expect(first).toEqual({ email: FIRST_ADMIN_EMAIL, generatedPassword: null });
      expect(await ensureFirstAdmin(other, 1)).toBeNull();
      const [membership] = await other.select().from(memberships);
      expect(membership).toMatchObject({ organizationId: org.id, role: 'admin' });
      const demoAuth = createAuth(other, { baseUrl: BASE, secret: SECRET });
      const response = await signIn(demoAuth, {
        email: FIRST_ADMIN_EMAIL,
        password: 'a demo password',
      });
      expect(response.status).toBe(200);
    } finally {
      delete process.env.DEMO_ADMIN_PASSWORD;
      await other.$client.end();
      await fresh.drop();
    }
  });

  it('generates a password when DEMO_ADMIN_PASSWORD is unset', async () => {
    const fresh = await createTestDatabase();
    const other = createDatabase(fresh.url, { max: 2 });
    try {
      const [org] = await other.insert(organizations).values({ name: 'Demo' }).returning();
      if (!org) throw new Error('no organisation');
      const first = await ensureFirstAdmin(other, 1);
      expect(first?.generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    } finally {
      await other.$client.end();
      await fresh.drop();
    }
  });

  it('keeps a generated session secret in DATA_DIR, and prefers BETTER_AUTH_SECRET', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'aa-secret-'));
    const saved = process.env.BETTER_AUTH_SECRET;
    try {
      delete process.env.BETTER_AUTH_SECRET;
      const generated = authSecret(dir);
      expect(generated.length).toBeGreaterThanOrEqual(32);
      expect(authSecret(dir)).toBe(generated);
      expect((await readFile(path.join(dir, 'auth-secret'), 'utf8')).trim()).toBe(generated);
      process.env.BETTER_AUTH_SECRET = SECRET;
      expect(authSecret(dir)).toBe(SECRET);
      process.env.BETTER_AUTH_SECRET = 'short';
      expect(() => authSecret(dir)).toThrow(/at least 32/);
    } finally {
      process.env.BETTER_AUTH_SECRET = saved;
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('[AUTH]: the sign-in redirect stays on this site', () => {
  it.each([
    ['/apps/1/actions', '/apps/1/actions'],
    ['https://evil.example/', '/'],
    ['//evil.example/', '/'],
    ['/\\evil.example', '/'],
    ['', '/'],
  ])('%s → %s', (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });
});
