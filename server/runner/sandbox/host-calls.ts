import { isAppError } from '@/server/errors';
import { logger } from '@/server/log';

import { jsonNestsDeeperThan } from './json-depth';
import { MAX_HOST_CALL_ARGS_CHARS, MAX_HOST_VALUE_DEPTH } from './limits';
import type { HostBridge, HostCall } from './types';

const log = logger.child({ component: 'sandbox' });

const MAX_ERROR_NAME_CHARS = 200;
const MAX_ERROR_MESSAGE_CHARS = 16 * 1024;

/**
 * The answer to one host call as it goes back into the isolate: JSON text only, so no host
 * object, prototype or function can ride along (case C23).
 */
export interface HostReply {
  ok: boolean;
  /** The result's JSON (undefined for no value), or the error's `{ name, message }` JSON. */
  json: string | undefined;
}

function errorReply(name: string, message: string): HostReply {
  const wire = {
    name: name.slice(0, MAX_ERROR_NAME_CHARS),
    message: message.slice(0, MAX_ERROR_MESSAGE_CHARS),
  };
  return { ok: false, json: JSON.stringify(wire) };
}

type CallName = Pick<HostCall, 'namespace' | 'method'>;

export type CheckedArgs = { ok: true; args: unknown[] } | { ok: false; reply: HostReply };

/**
 * Arguments as the isolate sent them, or the error reply when they are not a JSON array within
 * the size and nesting caps. The nesting is checked on the text, before anything parses or
 * copies the value: recursive readers (a structured clone, zod, JSON.stringify) overflow their
 * stacks on a deep enough value, and in the runner that would end the process.
 */
export function checkHostCallArgs(call: CallName, argsJson: string): CheckedArgs {
  if (argsJson.length > MAX_HOST_CALL_ARGS_CHARS) return { ok: false, reply: badArguments(call) };
  if (jsonNestsDeeperThan(argsJson, MAX_HOST_VALUE_DEPTH)) {
    const message =
      `The arguments of ${call.namespace}.${call.method} nest deeper than ` +
      `${MAX_HOST_VALUE_DEPTH} levels`;
    return { ok: false, reply: errorReply('RangeError', message) };
  }
  let args: unknown;
  try {
    args = JSON.parse(argsJson);
  } catch {
    return { ok: false, reply: badArguments(call) };
  }
  return Array.isArray(args) ? { ok: true, args } : { ok: false, reply: badArguments(call) };
}

function badArguments(call: CallName): HostReply {
  return errorReply('TypeError', `Invalid arguments for ${call.namespace}.${call.method}`);
}

/**
 * Runs one host call through the bridge. Never rejects: a failure becomes an error reply with
 * the error's name and message (the bridge decides what its messages reveal).
 */
export async function answerHostCall(
  bridge: HostBridge,
  call: HostCall,
  signal: AbortSignal,
): Promise<HostReply> {
  let value: unknown;
  try {
    value = await bridge(call, signal);
  } catch (error) {
    // A platform refusal reaches the action named by its code (DATA_SOURCE_NOT_FOUND, …).
    if (isAppError(error)) return errorReply(error.status, error.message);
    if (error instanceof Error) return errorReply(error.name, error.message);
    return errorReply('Error', `${call.namespace}.${call.method} failed`);
  }
  let json: string | undefined;
  try {
    json = value === undefined ? undefined : JSON.stringify(value);
  } catch (error) {
    // A platform method returned something that is not JSON: a bug on our side, not the user's.
    const fields = { err: error, namespace: call.namespace, method: call.method };
    log.error(fields, 'host result not JSON');
    return errorReply('Error', `${call.namespace}.${call.method} returned an unreadable result`);
  }
  if (json !== undefined && jsonNestsDeeperThan(json, MAX_HOST_VALUE_DEPTH)) {
    // Stored data can be deeper than what may cross into an isolate (data written before the
    // caps): refused with a message, so that nothing downstream recurses through it.
    const message =
      `${call.namespace}.${call.method} returned a value nested deeper than ` +
      `${MAX_HOST_VALUE_DEPTH} levels, which cannot be passed to the action`;
    return errorReply('RangeError', message);
  }
  return { ok: true, json };
}
