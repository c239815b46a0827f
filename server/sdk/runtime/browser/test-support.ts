/**
 * For the tests: the real worker script run in a Node `vm` context that plays the worker's
 * global scope (postMessage, message events, timers), behind the page's `WorkerFactory`.
 * It cannot stop code that spins (the browser's `terminate()` can): tests of time limits and
 * stray rejections run in Chromium (e2e/preview.e2e.ts).
 */
import vm from 'node:vm';

import type { WorkerFactory } from './worker-run';

type Callback = (event: { data: unknown; preventDefault(): void }) => void;

export function vmWorkerFactory(workerSource: string): WorkerFactory {
  return (_name, handlers) => {
    const listeners = new Map<string, Callback[]>();
    const timers = new Set<NodeJS.Timeout>();
    let terminated = false;
    const later = (fn: () => void) =>
      setImmediate(() => {
        if (!terminated) fn();
      });
    const scope = {
      postMessage: (data: unknown) => {
        const copy = structuredClone(data);
        later(() => handlers.message(copy));
      },
      addEventListener: (type: string, listener: Callback) => {
        listeners.set(type, [...(listeners.get(type) ?? []), listener]);
      },
      setTimeout: (fn: () => void, ms: number) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!terminated) fn();
        }, ms);
        timers.add(timer);
        return timer;
      },
      clearTimeout: (timer: NodeJS.Timeout) => {
        clearTimeout(timer);
        timers.delete(timer);
      },
    };
    vm.runInContext(workerSource, vm.createContext(scope));
    return {
      post: (message) => {
        const data = structuredClone(message);
        const event = { data, preventDefault: () => undefined };
        later(() => listeners.get('message')?.forEach((listener) => listener(event)));
      },
      terminate: () => {
        terminated = true;
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
      },
    };
  };
}
