import { sql } from 'drizzle-orm';

import { db } from '@/server/db/client';
import { logger } from '@/server/log';

export const dynamic = 'force-dynamic';

export async function GET() {
  try {
    await db().execute(sql`select 1`);
    return Response.json({ ok: true });
  } catch (error) {
    logger.warn({ err: error }, 'health check: database not answering');
    return Response.json({ ok: false, database: 'unreachable' }, { status: 503 });
  }
}
