/**
 * Exit code of a process that cannot start because of how it is configured (sysexits'
 * EX_CONFIG): a busy port, say. Starting it again would fail the same way, so supervisors do
 * not restart it (scripts/lib/processes.ts) and npm start stops everything instead.
 */
export const EXIT_CONFIG = 78;

/** A startup failure the person running the product fixes with a setting; its message says how. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The exit code for a failed start: EXIT_CONFIG for a configuration error, else 1. */
export function startupExitCode(error: unknown): number {
  return error instanceof ConfigError ? EXIT_CONFIG : 1;
}
