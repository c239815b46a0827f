import { logger } from '@/server/log';

import { MAX_HOST_CALL_ARGS_CHARS } from './limits';
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

/** Arguments as the isolate sent them, or undefined when they are not a JSON array. */
export function parseHostCallArgs(argsJson: string): unknown[] | undefined {
  if (argsJson.length > MAX_HOST_CALL_ARGS_CHARS) return undefined;
  try {
    const args: unknown = JSON.parse(argsJson);
    return Array.isArray(args) ? args : undefined;
  } catch {
    return undefined;
  }
}

export function badArgumentsReply(call: Pick<HostCall, 'namespace' | 'method'>): HostReply {
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
    if (error instanceof Error) return errorReply(error.name, error.message);
    return errorReply('Error', `${call.namespace}.${call.method} failed`);
  }
  try {
    return { ok: true, json: value === undefined ? undefined : JSON.stringify(value) };
  } catch (error) {
    // A platform method returned something that is not JSON: a bug on our side, not the user's.
    const fields = { err: error, namespace: call.namespace, method: call.method };
    log.error(fields, 'host result not JSON');
    return errorReply('Error', `${call.namespace}.${call.method} returned an unreadable result`);
  }
}
