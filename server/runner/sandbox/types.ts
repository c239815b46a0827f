/** What the runner asks a sandbox to execute: one run of one action's code. */
export interface SandboxRequest {
  /** The action's code, which defines `execute` in one of the supported forms. */
  code: string;
  /** `context.payload`; a JSON-compatible object. */
  payload: unknown;
  /** Wall-clock limit for the whole run, awaits included. */
  timeoutMs: number;
  /** Heap cap of the isolate. */
  memoryMb: number;
  /**
   * Scripts evaluated before the action's code, in order (package shims such as
   * `Fliplet.DataSources`, approved libraries such as moment). Each may call the host through
   * the `__hostCall(namespace, method, args)` function the sandbox hands to it.
   */
  preludes: { name: string; source: string }[];
}

/** A call from code inside the isolate to a platform service on the host. */
export interface HostCall {
  namespace: string;
  method: string;
  args: unknown[];
}

/**
 * Answers host calls for one run. It enforces what the run may reach (its app, its listed
 * packages); the sandbox only carries JSON copies across. The signal aborts when the run ends.
 */
export type HostBridge = (call: HostCall, signal: AbortSignal) => Promise<unknown>;

export interface ConsoleLine {
  level: 'log' | 'info' | 'warn' | 'error';
  message: string;
  /** Milliseconds since the run started. */
  at: number;
}

export interface RunError {
  name: string;
  message: string;
  stack: string;
}

export type SandboxOutcome =
  | { ok: true; result: unknown; console: ConsoleLine[]; durationMs: number }
  | {
      ok: false;
      error: RunError;
      /** Why the platform (not the action's own code) ended the run, when it did. */
      limit?: 'timeout' | 'memory' | 'result-size' | 'crash';
      console: ConsoleLine[];
      durationMs: number;
    };
