import { randomUUID } from 'node:crypto';

import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';

import { getApp } from '../apps/service';
import type { Database, Db } from '../db/client';
import {
  accounts,
  appMemberships,
  apps,
  memberships,
  organizations,
  users,
  type Role,
} from '../db/schema';
import { AppError } from '../errors';
import { generatePassword, hashPassword, MIN_PASSWORD_LENGTH } from './passwords';

/** better-auth's provider id for email + password accounts. */
const CREDENTIAL_PROVIDER = 'credential';

export interface NewUser {
  email: string;
  name: string;
  password: string;
}

/** Stores a user who signs in with email and password, the way better-auth's sign-up does. */
export async function insertUser(db: Db, user: NewUser): Promise<string> {
  if (user.password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError(
      'BAD_REQUEST',
      `The password must be at least ${MIN_PASSWORD_LENGTH} characters long`,
    );
  }
  const id = randomUUID();
  const password = await hashPassword(user.password);
  await db.insert(users).values({ id, email: normalEmail(user.email), name: user.name });
  await db.insert(accounts).values({
    id: randomUUID(),
    userId: id,
    accountId: id,
    providerId: CREDENTIAL_PROVIDER,
    password,
  });
  return id;
}

function normalEmail(email: string): string {
  return email.trim().toLowerCase();
}

export interface AddMemberInput {
  organizationId: number;
  email: string;
  name: string;
  role: Role;
  /** Omitted: a password is generated and answered once. Ignored for an existing user. */
  password?: string | undefined;
}

/**
 * Adds a person to an organisation with a role: a new user when nobody has that email yet
 * (with the given or a generated password), else the existing user. Refused when they are a
 * member already; change their role instead.
 */
export async function addMember(database: Database, input: AddMemberInput) {
  return database.transaction(async (tx) => {
    const email = normalEmail(input.email);
    const [existing] = await tx.select().from(users).where(eq(users.email, email));
    let password: string | null = null;
    let userId: string;
    if (existing) {
      userId = existing.id;
    } else {
      password = input.password ?? generatePassword();
      userId = await insertUser(tx, { email, name: input.name, password });
    }
    const added = await tx
      .insert(memberships)
      .values({ userId, organizationId: input.organizationId, role: input.role })
      .onConflictDoNothing()
      .returning();
    if (added.length === 0) {
      throw new AppError('ALREADY_MEMBER', `${email} is already a member of this organisation`);
    }
    return {
      id: userId,
      email,
      role: input.role,
      created: !existing,
      // Shown once to the admin who created the account, only when it was generated here.
      generatedPassword: input.password === undefined ? password : null,
    };
  });
}

export interface Member {
  id: string;
  email: string;
  name: string;
  /** The organisation role; null for someone with app roles only. */
  role: Role | null;
  appRoles: { appId: number; role: Role }[];
}

/** The organisation's members and everyone with a role on one of its apps. */
export async function listMembers(db: Db, organizationId: number): Promise<Member[]> {
  const [orgRows, appRows] = await Promise.all([
    db
      .select({ id: users.id, email: users.email, name: users.name, role: memberships.role })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.organizationId, organizationId)),
    db
      .select({
        id: users.id,
        email: users.email,
        name: users.name,
        appId: appMemberships.appId,
        role: appMemberships.role,
      })
      .from(appMemberships)
      .innerJoin(apps, eq(apps.id, appMemberships.appId))
      .innerJoin(users, eq(users.id, appMemberships.userId))
      .where(eq(apps.organizationId, organizationId))
      .orderBy(asc(appMemberships.appId)),
  ]);
  const byId = new Map<string, Member>();
  for (const row of orgRows) byId.set(row.id, { ...row, appRoles: [] });
  for (const row of appRows) {
    const member = byId.get(row.id) ?? { ...row, role: null, appRoles: [] };
    member.appRoles.push({ appId: row.appId, role: row.role });
    byId.set(row.id, member);
  }
  return [...byId.values()].sort((a, b) => a.email.localeCompare(b.email));
}

export interface SetRoleInput {
  organizationId: number;
  userId: string;
  /** Set: the role on this app only (null removes the app role). Unset: the organisation role. */
  appId?: number | undefined;
  role: Role | null;
}

/** Changes a member's organisation role, or sets or removes their role on one app. */
export async function setMemberRole(database: Database, input: SetRoleInput): Promise<void> {
  await database.transaction(async (tx) => {
    await lockOrganization(tx, input.organizationId);
    if (input.appId !== undefined) {
      const app = await getApp(tx, input.appId);
      if (app.organizationId !== input.organizationId) {
        throw new AppError('APP_NOT_FOUND', `App ${input.appId} was not found`);
      }
      await assertKnownUser(tx, input.userId);
      if (input.role === null) {
        await tx
          .delete(appMemberships)
          .where(and(eq(appMemberships.userId, input.userId), eq(appMemberships.appId, app.id)));
        return;
      }
      await tx
        .insert(appMemberships)
        .values({ userId: input.userId, appId: app.id, role: input.role })
        .onConflictDoUpdate({
          target: [appMemberships.userId, appMemberships.appId],
          set: { role: input.role },
        });
      return;
    }
    if (input.role === null) throw new AppError('BAD_REQUEST', 'Give the organisation role');
    await assertKeepsAnAdmin(tx, input.organizationId, input.userId, input.role);
    const updated = await tx
      .update(memberships)
      .set({ role: input.role })
      .where(memberOf(input.organizationId, input.userId))
      .returning();
    if (updated.length === 0) throw noSuchMember();
  });
}

/** Takes a person out of the organisation: their organisation role and their app roles. */
export async function removeMember(
  database: Database,
  organizationId: number,
  userId: string,
): Promise<void> {
  await database.transaction(async (tx) => {
    await lockOrganization(tx, organizationId);
    await assertKeepsAnAdmin(tx, organizationId, userId, null);
    const removed = await tx
      .delete(memberships)
      .where(memberOf(organizationId, userId))
      .returning();
    const orgApps = tx
      .select({ id: apps.id })
      .from(apps)
      .where(eq(apps.organizationId, organizationId));
    const removedApps = await tx
      .delete(appMemberships)
      .where(and(eq(appMemberships.userId, userId), inArray(appMemberships.appId, orgApps)))
      .returning();
    if (removed.length === 0 && removedApps.length === 0) throw noSuchMember();
  });
}

function memberOf(organizationId: number, userId: string) {
  return and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId));
}

function noSuchMember(): AppError {
  return new AppError('NOT_FOUND', 'That person is not a member of this organisation');
}

async function assertKnownUser(db: Db, userId: string): Promise<void> {
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
  if (!user) throw new AppError('NOT_FOUND', 'No such user');
}

/** Concurrent role changes in one organisation are serialised, so "last admin" holds. */
async function lockOrganization(db: Db, organizationId: number): Promise<void> {
  await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.id, organizationId))
    .for('update');
}

/** An organisation always keeps an admin, or nobody could manage it from the admin app. */
async function assertKeepsAnAdmin(
  db: Db,
  organizationId: number,
  userId: string,
  next: Role | null,
) {
  if (next === 'admin') return;
  const [current] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(memberOf(organizationId, userId));
  if (current?.role !== 'admin') return;
  const [admins] = await db
    .select({ value: count() })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.role, 'admin')));
  if ((admins?.value ?? 0) <= 1) {
    throw new AppError('LAST_ADMIN', 'An organisation keeps at least one admin');
  }
}

export const FIRST_ADMIN_EMAIL = 'admin@example.com';

/**
 * First start: when nobody has an account yet, the demo admin, admin of the organisation of the
 * demo app (or of the first organisation). The password is DEMO_ADMIN_PASSWORD when set, else
 * generated and answered here once, for the start script to show.
 */
export async function ensureFirstAdmin(
  database: Database,
  demoAppId: number,
): Promise<{ email: string; generatedPassword: string | null } | null> {
  return database.transaction(async (tx) => {
    // Two starting processes: the lock makes the check-then-insert atomic.
    await tx.execute(sql`select pg_advisory_xact_lock(727003)`);
    const [existing] = await tx.select({ value: count() }).from(users);
    if ((existing?.value ?? 0) > 0) return null;
    const [demoApp] = await tx.select().from(apps).where(eq(apps.id, demoAppId));
    const [firstOrg] = await tx
      .select()
      .from(organizations)
      .orderBy(asc(organizations.id))
      .limit(1);
    const organizationId = demoApp?.organizationId ?? firstOrg?.id;
    if (organizationId === undefined) return null;
    const configured = process.env.DEMO_ADMIN_PASSWORD;
    const password = configured || generatePassword();
    const userId = await insertUser(tx, {
      email: FIRST_ADMIN_EMAIL,
      name: 'Demo admin',
      password,
    });
    await tx.insert(memberships).values({ userId, organizationId, role: 'admin' });
    return { email: FIRST_ADMIN_EMAIL, generatedPassword: configured ? null : password };
  });
}
