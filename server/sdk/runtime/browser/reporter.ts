/**
 * Sends each finished client run to the server's run log, one report at a time. A refusal
 * for the app's rate limit waits as long as the server asks; a lost connection or a server
 * fault is tried again a few times; anything else is given up and announced.
 */
import { ActionsApiError } from '../../actions-client';
import type { ClientRunReport } from '../../../runs/client-runs';
import { callApi, type ApiTarget } from './api';
import type { RuntimeEvent } from './events';
import { isRecord } from './protocol';

const MAX_WAITING_REPORTS = 100;
const MAX_ATTEMPTS = 4;
const MAX_WAIT_MS = 60_000;

interface Pending {
  target: ApiTarget;
  actionId: number;
  report: ClientRunReport;
  attempts: number;
}

function retryDelay(error: unknown, attempts: number): number | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  if (error instanceof ActionsApiError) {
    if (error.status === 'RATE_LIMITED') {
      const seconds = error.details.retryAfterSeconds;
      return Math.min(typeof seconds === 'number' ? seconds * 1000 : 5_000, MAX_WAIT_MS);
    }
    if (error.httpStatus < 500) return null;
  }
  return Math.min(1000 * 2 ** (attempts - 1), MAX_WAIT_MS);
}

export class RunReporter {
  private readonly queue: Pending[] = [];
  private draining = false;

  constructor(
    private readonly emit: (event: RuntimeEvent) => void,
    private readonly wait: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  report(target: ApiTarget, actionId: number, report: ClientRunReport): void {
    if (this.queue.length >= MAX_WAITING_REPORTS) {
      const dropped = this.queue.shift();
      if (dropped) this.failed(dropped, 'too many reports were waiting; this one was dropped');
    }
    this.queue.push({ target, actionId, report, attempts: 0 });
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) await this.send(next);
    } finally {
      this.draining = false;
    }
  }

  private async send(pending: Pending): Promise<void> {
    for (;;) {
      pending.attempts += 1;
      try {
        const answer = await callApi(pending.target, {
          method: 'POST',
          path: `/actions/${pending.actionId}/client-runs`,
          body: pending.report,
        });
        const logId = isRecord(answer) && typeof answer.logId === 'number' ? answer.logId : null;
        this.emit({ type: 'run-logged', runId: pending.report.runId, logId });
        return;
      } catch (error) {
        const delay = retryDelay(error, pending.attempts);
        if (delay === null) {
          this.failed(pending, error instanceof Error ? error.message : String(error));
          return;
        }
        await this.wait(delay);
      }
    }
  }

  private failed(pending: Pending, message: string): void {
    this.emit({ type: 'run-log-failed', runId: pending.report.runId, message });
  }
}
