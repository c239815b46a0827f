/** What the runtime tells the page about: events it matched and the runs they started. */
import type { SandboxOutcome } from '../../../runner/sandbox/types';
import type { AnalyticsEvent } from '../../../triggers/analytics';

export interface RunInfo {
  runId: string;
  /** The row that ran: master, or the production copy in live apps. */
  actionId: number;
  masterId: number;
  name: string;
  trigger: 'manual' | 'analytics';
  payload: Record<string, unknown>;
  /** Milliseconds since the epoch. */
  startedAt: number;
}

export type RuntimeEvent =
  | {
      type: 'actions-loaded';
      version: string;
      clientTimeoutMs: number;
      actions: { id: number; name: string; environment: string }[];
    }
  | { type: 'actions-failed'; message: string }
  | { type: 'analytics'; event: AnalyticsEvent; matched: string[] }
  | { type: 'run-started'; run: RunInfo }
  | { type: 'run-finished'; run: RunInfo; outcome: SandboxOutcome }
  | { type: 'run-dropped'; name: string; reason: string }
  | { type: 'run-logged'; runId: string; logId: number | null }
  | { type: 'run-log-failed'; runId: string; message: string };

export type Listener<T> = (event: T) => void;

export class Emitter<T> {
  private readonly listeners = new Set<Listener<T>>();

  subscribe(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(event: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        // A listener's bug must not stop the runtime; it still surfaces as an uncaught error.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
