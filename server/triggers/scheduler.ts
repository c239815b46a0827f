import { randomUUID } from 'node:crypto';

import { and, eq, isNotNull } from 'drizzle-orm';

import type { Database } from '../db/client';
import { actions, scheduleTicks } from '../db/schema';
import type { Logger } from '../log';
import { enqueueRun } from '../runs/job';
import { DEFAULT_TIMEZONE, nextFireTime } from './cron';

/** How late a slot may still be fired; older slots were missed (runner down) and are skipped. */
export const MISSED_SLOT_GRACE_MS = 60_000;
const TICK_MS = 1_000;

interface Entry {
  /** What the slot was computed from; a change (republish, new timezone) recomputes it. */
  signature: string;
  next: Date | null;
}

export interface SchedulerOptions {
  db: Database;
  logger: Logger;
  /** Injected clock for tests. */
  now?: () => Date;
  defaultTimezone?: string;
}

/**
 * Fires published, active, scheduled actions at their cron slots. Every runner runs one; the
 * `schedule_ticks` primary key lets exactly one of them queue each (action, slot). Slots are
 * computed from the previous slot, never from "now", so an early timer cannot fire one twice;
 * slots missed while no runner was up are skipped, not caught up.
 */
export class Scheduler {
  private readonly entries = new Map<number, Entry>();
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private readonly now: () => Date;
  private readonly defaultTimezone: string;

  constructor(private readonly options: SchedulerOptions) {
    this.now = options.now ?? (() => new Date());
    this.defaultTimezone = options.defaultTimezone ?? DEFAULT_TIMEZONE;
  }

  start(): void {
    this.timer = setInterval(() => void this.tickSafely(), TICK_MS);
    void this.tickSafely();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async tickSafely(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.tick();
    } catch (error) {
      this.options.logger.warn({ err: error }, 'scheduler tick failed');
    } finally {
      this.ticking = false;
    }
  }

  /** One pass: refresh the set of schedules, then queue every slot that is due. */
  async tick(): Promise<number> {
    const now = this.now();
    const scheduled = await this.loadSchedules();
    const seen = new Set<number>();
    let queued = 0;
    for (const row of scheduled) {
      seen.add(row.id);
      try {
        queued += await this.fireDue(row, now);
      } catch (error) {
        // A stored schedule that no longer parses must not stop every other schedule.
        this.options.logger.error({ err: error, actionId: row.id }, 'schedule failed');
      }
    }
    for (const id of this.entries.keys()) if (!seen.has(id)) this.entries.delete(id);
    return queued;
  }

  /** Queues every due slot of one scheduled action; returns how many this runner queued. */
  private async fireDue(row: typeof actions.$inferSelect, now: Date): Promise<number> {
    let queued = 0;
    const timezone = row.timezone ?? this.defaultTimezone;
    const frequency = row.frequency ?? '';
    const signature = `${frequency}|${timezone}|${row.updatedAt.toISOString()}`;
    let entry = this.entries.get(row.id);
    if (!entry || entry.signature !== signature) {
      entry = { signature, next: nextFireTime(frequency, timezone, now) };
      this.entries.set(row.id, entry);
    }
    const oldestDue = new Date(now.getTime() - MISSED_SLOT_GRACE_MS);
    if (entry.next && entry.next < oldestDue) {
      // Jump over every missed slot at once: no burst of late runs and no long walk.
      this.options.logger.warn({ actionId: row.id, since: entry.next }, 'skipped missed slots');
      entry.next = nextFireTime(frequency, timezone, new Date(oldestDue.getTime() - 1));
    }
    while (entry.next && entry.next.getTime() <= now.getTime()) {
      const slot = entry.next;
      if (await this.claim(row, slot)) queued += 1;
      entry.next = nextFireTime(frequency, timezone, slot);
    }
    return queued;
  }

  private loadSchedules() {
    return this.options.db
      .select()
      .from(actions)
      .where(and(isNotNull(actions.masterId), eq(actions.active, true), isNotNull(actions.frequency)))
      .then((rows) => rows.filter((row) => row.triggers.some((t) => t.trigger === 'schedule')));
  }

  /** Claims the slot and queues its run in one transaction; false if another runner did. */
  private claim(row: typeof actions.$inferSelect, slot: Date): Promise<boolean> {
    const masterId = row.masterId ?? row.id;
    const runId = randomUUID();
    return this.options.db.transaction(async (tx) => {
      const claimed = await tx
        .insert(scheduleTicks)
        .values({ masterId, slot, runId })
        .onConflictDoNothing()
        .returning({ runId: scheduleTicks.runId });
      if (claimed.length === 0) return false;
      await enqueueRun(tx, {
        runId,
        appId: row.appId,
        actionId: row.id,
        masterId,
        version: 'production',
        mode: 'scheduled',
        trigger: 'schedule',
        payload: {},
        chainDepth: 0,
        scheduledFor: slot.toISOString(),
      });
      return true;
    });
  }
}
