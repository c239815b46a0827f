import type postgres from 'postgres';

import { logger } from '../log';
import { RUN_FINISHED_CHANNEL } from './job';

/**
 * What the runner's notification says of a finished run: its log row's id and type, and the
 * row's `data` when it is small enough to travel in a notification (else read the row).
 */
export interface FinishedRun {
  id: number;
  type: string;
  data?: unknown;
}

/** A notification's text: `{ runId, id, type, data? }`, or just the run id. */
function parseNotification(text: string): { runId: string; run?: FinishedRun } {
  if (!text.startsWith('{')) return { runId: text };
  try {
    const { runId, id, type, data } = JSON.parse(text) as Record<string, unknown>;
    if (typeof runId !== 'string') return { runId: '' };
    if (typeof id !== 'number' || typeof type !== 'string') return { runId };
    return { runId, run: data === null ? { id, type } : { id, type, data } };
  } catch {
    return { runId: '' };
  }
}

/**
 * Waits for runs to finish without polling: one LISTEN connection per process receives every
 * runner's notification and wakes the request waiting for that run id.
 */
export class RunWaiter {
  private readonly waiting = new Map<string, (run: FinishedRun | undefined) => void>();
  private listening: Promise<unknown> | undefined;

  constructor(private readonly client: postgres.Sql) {}

  /**
   * Resolves once `runId` is reported finished (with what the notification said of it, if
   * anything), or false after `timeoutMs`. Call before the job is enqueued so that a fast run
   * cannot finish unseen.
   */
  async prepare(
    runId: string,
    timeoutMs: number,
  ): Promise<() => Promise<FinishedRun | true | false>> {
    await this.listen();
    let wake: (run: FinishedRun | undefined) => void = () => {};
    const finished = new Promise<FinishedRun | true | false>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      wake = (run) => {
        clearTimeout(timer);
        resolve(run ?? true);
      };
    });
    this.waiting.set(runId, wake);
    return async () => {
      try {
        return await finished;
      } finally {
        this.waiting.delete(runId);
      }
    };
  }

  private listen(): Promise<unknown> {
    this.listening ??= this.client
      .listen(RUN_FINISHED_CHANNEL, (text) => {
        const { runId, run } = parseNotification(text);
        this.waiting.get(runId)?.(run);
      })
      .catch((error: unknown) => {
        this.listening = undefined;
        logger.error({ err: error }, 'could not listen for finished runs');
        throw error;
      });
    return this.listening;
  }
}
