/**
 * Messages between the page and a run's Web Worker. The page sends one `start`; the worker
 * answers with console lines and one `done`. The page reads every message through
 * `readWorkerMessage`, because the action's code shares the worker and can post anything.
 */
import { isConsoleLevel } from '../../../runner/sandbox/console-buffer';
import type { RuntimeLimits } from '../../../runner/sandbox/limits';
import type { ConsoleLine } from '../../../runner/sandbox/types';

/** A script evaluated before the action: a library or a package's `Fliplet.*` namespace. */
export interface Prelude {
  name: string;
  source: string;
}

export interface StartMessage {
  t: 'start';
  /** The action's name; its code shows in DevTools as `actions/<name>.js`. */
  name: string;
  code: string;
  preludes: Prelude[];
  payloadJson: string;
  limits: RuntimeLimits;
}

export type ConsoleLevel = ConsoleLine['level'];

export type WorkerMessage =
  | { t: 'log'; level: ConsoleLevel; text: string }
  | { t: 'log-dropped' }
  /** A line the platform writes about the run (stray rejections), not the action. */
  | { t: 'note'; level: ConsoleLevel; text: string }
  | { t: 'done'; kind: string; text: string };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readWorkerMessage(value: unknown): WorkerMessage | undefined {
  if (!isRecord(value)) return undefined;
  const { t, level, text, kind } = value;
  if ((t === 'log' || t === 'note') && isConsoleLevel(level) && typeof text === 'string') {
    return { t, level, text };
  }
  if (t === 'log-dropped') return { t };
  if (t === 'done' && typeof kind === 'string' && typeof text === 'string') {
    return { t, kind, text };
  }
  return undefined;
}

const limitKeys: readonly (keyof RuntimeLimits)[] = [
  'maxResultBytes',
  'maxResultDepth',
  'maxConsoleLines',
  'maxConsoleChars',
  'maxConsoleLineChars',
  'maxPendingHostCalls',
  'maxHostCallArgsChars',
  'maxPendingTimers',
  'maxTimerDelayMs',
];

function isPrelude(value: unknown): value is Prelude {
  return isRecord(value) && typeof value.name === 'string' && typeof value.source === 'string';
}

export function isStartMessage(value: unknown): value is StartMessage {
  if (!isRecord(value) || value.t !== 'start') return false;
  const { name, code, preludes, payloadJson, limits } = value;
  return (
    typeof name === 'string' &&
    typeof code === 'string' &&
    typeof payloadJson === 'string' &&
    Array.isArray(preludes) &&
    preludes.every(isPrelude) &&
    isRecord(limits) &&
    limitKeys.every((key) => typeof limits[key] === 'number')
  );
}
