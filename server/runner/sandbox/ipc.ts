import { z } from 'zod';

import { MAX_HOST_CALL_ARGS_CHARS } from './limits';
import type { RawSandboxOutcome } from './outcomes';
import type { SandboxRequest } from './types';

/**
 * Messages between the pool (parent) and a sandbox child. The parent checks everything a
 * child sends: a child runs untrusted code, so it is treated as possibly compromised. Values an
 * action made (host-call arguments, results) cross as JSON text, never as nested structures:
 * the channel is JSON (parsed without recursion), and the parent checks the text's nesting
 * before it parses it (host-calls.ts).
 */

const runId = z.string().min(1).max(100);
const callId = z.number().int().positive();

const consoleLine = z.object({
  level: z.enum(['log', 'info', 'warn', 'error']),
  message: z.string(),
  at: z.number(),
});

const runError = z.object({ name: z.string(), message: z.string(), stack: z.string() });

const rawOutcome = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    resultJson: z.string(),
    console: z.array(consoleLine),
    durationMs: z.number(),
  }),
  z.object({
    ok: z.literal(false),
    error: runError,
    limit: z.enum(['timeout', 'memory', 'result-size', 'crash']).optional(),
    console: z.array(consoleLine),
    durationMs: z.number(),
  }),
]);

export const childMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({
    type: z.literal('host-call'),
    runId,
    callId,
    namespace: z.string(),
    method: z.string(),
    argsJson: z.string().max(MAX_HOST_CALL_ARGS_CHARS),
  }),
  z.object({ type: z.literal('outcome'), runId, outcome: rawOutcome }),
]);

export type ChildMessage = z.infer<typeof childMessageSchema>;

// Compile-time check that the schema and the executor's type agree.
const outcomeMatches: (o: z.infer<typeof rawOutcome>) => RawSandboxOutcome = (o) => o;
void outcomeMatches;

export type ParentMessage =
  | { type: 'run'; runId: string; request: SandboxRequest }
  | { type: 'host-reply'; runId: string; callId: number; ok: boolean; json?: string }
  | { type: 'shutdown' };

const request = z.object({
  code: z.string(),
  payload: z.unknown(),
  timeoutMs: z.number(),
  memoryMb: z.number(),
  preludes: z.array(z.object({ name: z.string(), source: z.string() })),
});

export const parentMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run'), runId, request }),
  z.object({
    type: z.literal('host-reply'),
    runId,
    callId,
    ok: z.boolean(),
    json: z.string().optional(),
  }),
  z.object({ type: z.literal('shutdown') }),
]);
