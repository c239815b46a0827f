/**
 * The worker half of a browser run. A run's worker script is the server sandbox's own runtime
 * (server/runner/sandbox/isolate-runtime.js, evaluated first: it defines `sandboxRuntime`)
 * followed by this file, so a browser run encodes its result, its errors and its console lines
 * with exactly the code a server run uses. This file plays the part isolate-run.ts plays on
 * the server: it loads the preludes and the action, starts the run through the runtime's entry,
 * keeps its timers, and forwards what the runtime posts to the page, which checks it all again.
 *
 * The page terminates the worker when the run ends or its time is up; nothing here needs to
 * clean up after itself.
 */
import { isConsoleLevel } from '../../../runner/sandbox/console-buffer';
import type { RuntimeLimits } from '../../../runner/sandbox/limits';
import { previewValue } from '../../../runner/sandbox/run-errors';
import { isStartMessage, type StartMessage, type WorkerMessage } from './protocol';

type Enter = (kind: string, a?: unknown, b?: unknown, c?: unknown) => void;
declare function sandboxRuntime(post: (...args: unknown[]) => void, limits: RuntimeLimits): Enter;

/**
 * As on the server: after the runtime reports the end of the run, tasks already queued in this
 * turn (a promise rejected without a handler, for one) still get to report, as warnings.
 */
const DONE_GRACE_MS = 50;

// Captured before the action's code can replace them: the runtime swaps `setTimeout` for its
// own, and the action can overwrite anything else on the global.
const scope = globalThis;
const postToPage = scope.postMessage.bind(scope);
const nativeSetTimeout = scope.setTimeout.bind(scope);
const nativeClearTimeout = scope.clearTimeout.bind(scope);
const evaluate = scope.eval;

function send(message: WorkerMessage): void {
  postToPage(message);
}

function note(text: string): void {
  send({ t: 'note', level: 'warn', text });
}

/** Runs a script in the worker's global scope under a file name DevTools and stacks show. */
function runScript(source: string, file: string): unknown {
  return evaluate(`${source}\n//# sourceURL=${file}`);
}

/** The four forms of `execute` all leave it visible to a last expression in the same script. */
const EXECUTE_LOOKUP = '\n;typeof execute === "undefined" ? undefined : execute';

function errorText(cause: unknown): { name: string; message: string } {
  if (cause instanceof Error) return { name: cause.name, message: cause.message };
  const message = `A prelude threw a non-Error value: ${previewValue(cause)}`;
  return { name: 'NonErrorThrown', message };
}

/** Preludes, then the action; whatever fails becomes the run's error through the runtime. */
function loadAction(message: StartMessage): unknown {
  for (const prelude of message.preludes) {
    try {
      runScript(prelude.source, `preludes/${prelude.name}`);
    } catch (cause) {
      const { name, message: text } = errorText(cause);
      const failure = new Error(`${text} (in ${prelude.name}, loaded before the action)`);
      failure.name = name;
      throw failure;
    }
  }
  // Preludes in the browser make no host calls; as on the server, the action never sees it.
  Reflect.deleteProperty(scope, '__hostCall');
  return runScript(`${message.code}${EXECUTE_LOOKUP}`, `actions/${message.name}.js`);
}

function start(message: StartMessage): void {
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  let enter: Enter = () => {};

  const onPost = (...args: unknown[]): void => {
    const [kind, a, b] = args;
    if (kind === 'log' && isConsoleLevel(a) && typeof b === 'string') {
      send({ t: 'log', level: a, text: b });
    } else if (kind === 'log-dropped') {
      send({ t: 'log-dropped' });
    } else if (kind === 'timer' && typeof a === 'number' && typeof b === 'number') {
      timers.set(a, nativeSetTimeout(() => {
        timers.delete(a);
        enter('timer', a);
      }, b));
    } else if (kind === 'clear-timer' && typeof a === 'number') {
      nativeClearTimeout(timers.get(a));
      timers.delete(a);
    } else if (kind === 'call' && typeof a === 'number') {
      const message = 'Platform calls are not available in browser runs';
      const refusal = { name: 'Error', message };
      nativeSetTimeout(() => enter('settle', a, false, JSON.stringify(refusal)), 0);
    } else if (kind === 'done' && typeof a === 'string' && typeof b === 'string') {
      nativeSetTimeout(() => send({ t: 'done', kind: a, text: b }), DONE_GRACE_MS);
    }
  };

  enter = sandboxRuntime(onPost, message.limits);
  let execute: unknown;
  try {
    execute = loadAction(message);
  } catch (failure) {
    // Handed to the runtime as an `execute` that throws, so the error is described by the same
    // code that describes the action's own errors.
    execute = () => {
      throw failure;
    };
  }
  enter('run', execute, message.payloadJson);
}

scope.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  note(`Unhandled promise rejection: ${previewValue(event.reason)}`);
});

scope.addEventListener('error', (event) => {
  event.preventDefault();
  note(`Uncaught error: ${event.message}`);
});

let started = false;
scope.addEventListener('message', (event) => {
  if (started || !isStartMessage(event.data)) return;
  started = true;
  start(event.data);
});
