import type { RunLogEntry } from './apiTypes';
import { isRecord } from './isRecord';

/**
 * Run log entries keep their details in a free-form `data` object (the public API's shape).
 * These readers turn it into typed fields once, so the list, the detail and the test panel do
 * not each guess at it.
 */

export type RunStatus = 'completed' | 'failed' | 'other';

export interface RunError {
  name: string;
  message: string;
  stack: string;
}

export interface ConsoleLine {
  level: string;
  message: string;
  /** Milliseconds since the run started, when the runner recorded it. */
  at: number | null;
}

export interface RunLogView {
  id: number;
  createdAt: string;
  status: RunStatus;
  type: string;
  mode: string;
  durationMs: number | null;
  /** The action row that ran (master or production). */
  taskId: number | null;
  payload: unknown;
  /** Present when the run returned; scheduled runs keep no result. */
  result: { value: unknown } | null;
  error: RunError | null;
}

const statusOfType: Record<string, RunStatus> = {
  'app.task.completed': 'completed',
  'app.task.failed': 'failed',
};

export function readRunLog(entry: RunLogEntry): RunLogView {
  const data = entry.data;
  const result = isRecord(data.result) ? data.result : null;
  return {
    id: entry.id,
    createdAt: entry.createdAt,
    status: statusOfType[entry.type] ?? 'other',
    type: entry.type,
    mode: typeof data.mode === 'string' ? data.mode : 'unknown',
    durationMs: typeof data.duration === 'number' ? data.duration : null,
    taskId: typeof data.taskId === 'number' ? data.taskId : null,
    payload: data.payload ?? null,
    result: result && result.success === true ? { value: result.data ?? null } : null,
    error: readRunError(data.error),
  };
}

export function readRunError(value: unknown): RunError | null {
  if (!isRecord(value)) return null;
  const text = (key: string) => (typeof value[key] === 'string' ? value[key] : '');
  return { name: text('name') || 'Error', message: text('message'), stack: text('stack') };
}

export function readConsole(lines: readonly unknown[]): ConsoleLine[] {
  return lines.filter(isRecord).map((line) => ({
    level: typeof line.level === 'string' ? line.level : 'log',
    message: typeof line.message === 'string' ? line.message : JSON.stringify(line.message),
    at: typeof line.at === 'number' ? line.at : null,
  }));
}
