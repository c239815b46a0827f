import type postgres from 'postgres';

import { logger } from '../log';
import { RUN_FINISHED_CHANNEL } from './job';

/**
 * Waits for runs to finish without polling: one LISTEN connection per process receives every
 * runner's notification and wakes the request waiting for that run id.
 */
export class RunWaiter {
  private readonly waiting = new Map<string, () => void>();
  private listening: Promise<unknown> | undefined;

  constructor(private readonly client: postgres.Sql) {}

  /**
   * Resolves true once `runId` is reported finished, false after `timeoutMs`. Call before the
   * job is enqueued so that a fast run cannot finish unseen.
   */
  async prepare(runId: string, timeoutMs: number): Promise<() => Promise<boolean>> {
    await this.listen();
    let wake: () => void = () => {};
    const finished = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      wake = () => {
        clearTimeout(timer);
        resolve(true);
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
      .listen(RUN_FINISHED_CHANNEL, (runId) => this.waiting.get(runId)?.())
      .catch((error: unknown) => {
        this.listening = undefined;
        logger.error({ err: error }, 'could not listen for finished runs');
        throw error;
      });
    return this.listening;
  }
}
