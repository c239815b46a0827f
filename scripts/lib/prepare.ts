import { DEMO_APP_ID } from '../../server/api/auth';
import { ensureFirstAdmin } from '../../server/auth/users';
import { createDatabase } from '../../server/db/client';
import { migrateDatabase } from '../../server/db/migrate';
import { seedDemo } from '../../server/db/seed';

/** Migrates the database, seeds the demo app and the first admin on first start. */
export async function prepareDatabase(url: string): Promise<void> {
  await migrateDatabase(url);
  const database = createDatabase(url, { max: 1 });
  try {
    await seedDemo(database);
    const admin = await ensureFirstAdmin(database, DEMO_APP_ID);
    if (admin?.generatedPassword) showFirstPassword(admin.email, admin.generatedPassword);
  } finally {
    await database.$client.end();
  }
}

/**
 * The generated password of the first admin goes to this script's own output, once, and not
 * through the structured logger, whose lines may be shipped and kept elsewhere.
 */
function showFirstPassword(email: string, password: string): void {
  const lines = [
    'First start: an admin account was created for you.',
    `  email:    ${email}`,
    `  password: ${password}`,
    'It is shown only this once. Sign in and keep it safe, or set DEMO_ADMIN_PASSWORD',
    'before the first start next time (see docs/accounts.md).',
  ];
  const width = Math.max(...lines.map((line) => line.length));
  const rule = `+${'-'.repeat(width + 2)}+`;
  const body = lines.map((line) => `| ${line.padEnd(width)} |`);
  process.stdout.write(`\n${[rule, ...body, rule].join('\n')}\n\n`);
}
