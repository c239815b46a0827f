/**
 * Runs that happened in a browser, reported by the browser runtime once they end. The server
 * did not watch them, so everything in a report is checked and capped before it becomes a run
 * log entry: its shape, its sizes, and that the action is one of this app's that may run in a
 * browser with the trigger the report names.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';

import { findActionRow } from '../actions/service';
import type { Db } from '../db/client';
import { actionLogs, codeVersions } from '../db/schema';
import { env } from '../env';
import { AppError } from '../errors';
import { findShapeFault } from '../json-shape';
import { isConsoleLevel } from '../runner/sandbox/console-buffer';
import {
  MAX_CONSOLE_BYTES,
  MAX_CONSOLE_LINE_CHARS,
  MAX_CONSOLE_LINES,
  MAX_RESULT_BYTES,
  MAX_RESULT_DEPTH,
} from '../runner/sandbox/limits';
import { runError } from '../runner/sandbox/run-errors';
import type { ConsoleLine, SandboxOutcome } from '../runner/sandbox/types';
import { clientTimeoutError } from '../sdk/runtime/client-limits';
import { codeHashOf } from '../sdk/runtime/catalogue';
import { runJobSchema, type RunJob } from './job';
import { RUN_COMPLETED, RUN_FAILED } from './logs';
import { checkPayload } from './payload';
import { runLogData } from './record';
import { storableRunLog } from './storable';

/** Console lines a report may hold: the action's 1000 and the platform's notes (20). */
export const MAX_REPORTED_CONSOLE_LINES = MAX_CONSOLE_LINES + 20;
/** Longest run a browser can report: the client limit plus time to notice and post it. */
const MAX_REPORTED_DURATION_MS = 24 * 60 * 60 * 1000;
/** Error names and messages are cut to this before storage (as the sandbox does). */
const MAX_ERROR_TEXT = 64 * 1024;

const consoleLineSchema = z.object({
  level: z.string().refine(isConsoleLevel, 'level must be log, info, warn or error'),
  message: z.string().max(MAX_CONSOLE_LINE_CHARS + 64),
  at: z.number().min(0).max(MAX_REPORTED_DURATION_MS),
});

const runErrorSchema = z.object({
  name: z.string().min(1).max(MAX_ERROR_TEXT),
  message: z.string().max(MAX_ERROR_TEXT),
  stack: z.string().max(MAX_ERROR_TEXT),
});

export const clientRunReportSchema = z.object({
  /** Made by the browser; a second report of the same run is not logged again. */
  runId: z.uuid(),
  trigger: z.enum(['manual', 'analytics']),
  payload: z.record(z.string(), z.unknown()),
  durationMs: z.number().int().min(0).max(MAX_REPORTED_DURATION_MS),
  /** The catalogue's `codeHash` of the code that ran, when the page had one. */
  codeHash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  outcome: z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), result: z.unknown() }),
    z.object({
      ok: z.literal(false),
      error: runErrorSchema,
      limit: z.enum(['timeout', 'memory', 'result-size', 'crash']).optional(),
      /** The limit the page enforced, for a timeout. */
      timeoutMs: z.number().int().positive().optional(),
    }),
  ]),
  console: z.array(consoleLineSchema).max(MAX_REPORTED_CONSOLE_LINES).default([]),
});

export type ClientRunReport = z.input<typeof clientRunReportSchema>;
type CheckedReport = z.output<typeof clientRunReportSchema>;

export type ClientRunAnswer =
  | { logged: true; runId: string; logId: number }
  | { logged: false; runId: string };

/** The most a report body may hold: a 6 MB result, the payload, the console and some JSON. */
export function clientRunBodyLimit(): number {
  return MAX_RESULT_BYTES + env().ACTIONS_MAX_PAYLOAD_BYTES + 4 * MAX_CONSOLE_BYTES + 64 * 1024;
}

export function parseClientRunReport(body: unknown): CheckedReport {
  const parsed = clientRunReportSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  throw new AppError(
    'BAD_REQUEST',
    `The client run report is not valid: ${where}${first?.message ?? 'unreadable'}`,
    {
      details: {
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      },
    },
  );
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');
}

/** The console as the sandbox would keep it: at most its line and byte caps, in order. */
function capConsole(lines: CheckedReport['console']): ConsoleLine[] {
  const kept: ConsoleLine[] = [];
  let bytes = 0;
  for (const line of lines) {
    if (!isConsoleLevel(line.level)) continue;
    bytes += Buffer.byteLength(line.message, 'utf8');
    if (bytes > MAX_CONSOLE_BYTES) break;
    kept.push({ level: line.level, message: line.message, at: line.at });
  }
  return kept;
}

function outcomeOf(report: CheckedReport, lines: ConsoleLine[]): SandboxOutcome {
  const base = { console: lines, durationMs: report.durationMs };
  const { outcome } = report;
  if (outcome.ok) {
    // Checked before anything recursive (JSON.stringify, jsonb) reads it.
    if (findShapeFault(outcome.result, { maxDepth: MAX_RESULT_DEPTH, text: false })) {
      throw new AppError(
        'BAD_REQUEST',
        `The reported result nests deeper than ${MAX_RESULT_DEPTH} levels; the runtime reports ` +
          'such results as an UnserializableResultError failure',
      );
    }
    if (jsonBytes(outcome.result) > MAX_RESULT_BYTES) {
      throw new AppError(
        'PAYLOAD_TOO_LARGE',
        `The reported result is over ${MAX_RESULT_BYTES} bytes; the runtime reports such ` +
          'results as a ResultTooLargeError failure',
      );
    }
    return { ok: true, result: outcome.result ?? null, ...base };
  }
  if (outcome.limit === 'timeout') {
    // Named by the server, not the page, so every browser timeout reads the same in the log.
    const limit = Math.min(outcome.timeoutMs ?? report.durationMs, env().ACTIONS_CLIENT_TIMEOUT_MS);
    return { ok: false, limit: 'timeout', error: clientTimeoutError(limit), ...base };
  }
  const { name, message, stack } = outcome.error;
  return { ok: false, limit: outcome.limit, error: runError(name, message, stack), ...base };
}

/** The code version to link: the one the page ran, when the server knows it. */
async function linkedCodeHash(db: Db, reported: string | undefined, code: string, deps: string[]) {
  if (reported === undefined) return '';
  if (reported === codeHashOf(code, deps)) {
    await db.insert(codeVersions).values({ hash: reported, code, dependencies: deps })
      .onConflictDoNothing();
    return reported;
  }
  const [known] = await db.select({ hash: codeVersions.hash }).from(codeVersions)
    .where(eq(codeVersions.hash, reported));
  return known ? reported : '';
}

/**
 * Writes the run log entry of a browser run: the runner's own `data` shape (runLogData) with
 * `runOn: "client"`. `recordRun` is not used because it also ends a runner's lease and always
 * writes `runOn: "server"`; a browser run has no lease.
 */
export async function recordClientRun(
  db: Db,
  appId: number,
  actionId: number,
  body: unknown,
): Promise<ClientRunAnswer> {
  const report = parseClientRunReport(body);
  const payload = checkPayload(report.payload, env().ACTIONS_MAX_PAYLOAD_BYTES);
  // Only this app's actions are found: another app's id answers ACTION_NOT_FOUND.
  const row = await findActionRow(db, appId, actionId);
  if (row.environment !== 'client' && row.environment !== 'any') {
    throw new AppError(
      'ACTION_NOT_RUNNABLE',
      `Action "${row.name}" runs only on the server, so a browser cannot report runs of it`,
    );
  }
  if (!row.triggers.some(({ trigger }) => trigger === report.trigger)) {
    throw new AppError(
      'ACTION_NOT_RUNNABLE',
      `Action "${row.name}" has no ${report.trigger} trigger, so it cannot have run by one`,
    );
  }
  const outcome = outcomeOf(report, capConsole(report.console));
  const job: RunJob = runJobSchema.parse({
    runId: report.runId,
    appId,
    actionId: row.id,
    masterId: row.masterId ?? row.id,
    version: row.masterId === null ? 'master' : 'production',
    mode: 'on-demand',
    trigger: report.trigger,
    payload,
    chainDepth: 0,
  });
  const codeHash = await linkedCodeHash(db, report.codeHash, row.code, row.dependencies);
  // Spread keeps runLogData's key order; only runOn changes.
  const data = { ...runLogData(job, row.id, outcome), runOn: 'client' };
  // A browser reports whatever its run produced, text jsonb refuses included (as recordRun).
  const stored = storableRunLog(data, outcome.console, outcome.durationMs);
  const [inserted] = await db
    .insert(actionLogs)
    .values({
      appId,
      masterId: job.masterId,
      runId: job.runId,
      type: outcome.ok ? RUN_COMPLETED : RUN_FAILED,
      data: stored.data,
      version: job.version,
      codeHash,
      console: stored.console,
    })
    .onConflictDoNothing({ target: actionLogs.runId })
    .returning({ id: actionLogs.id });
  return inserted
    ? { logged: true, runId: job.runId, logId: inserted.id }
    : { logged: false, runId: job.runId };
}
