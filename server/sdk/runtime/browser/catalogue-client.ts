/** Loads and checks the app's client actions (`GET /v3/apps/:appId/client-actions`). */
import type { Trigger } from '../../../actions/validate';
import type { RunVersion } from '../../../runs/job';
import { triggerTypes } from '../../../triggers/types';
import { ActionsApiError } from '../../actions-client';
import type { ClientAction, ClientCatalogue } from '../catalogue';
import { callApi, type ApiTarget } from './api';
import { isRecord } from './protocol';

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function readTrigger(value: unknown): Trigger | undefined {
  if (!isRecord(value)) return undefined;
  const trigger = triggerTypes.find((type) => type === value.trigger);
  if (!trigger) return undefined;
  return isRecord(value.where) ? { trigger, where: value.where } : { trigger };
}

function readAction(value: unknown, preludes: Record<string, string>): ClientAction | undefined {
  if (!isRecord(value)) return undefined;
  const { id, masterId, name, environment, triggers, dependencies, code, codeHash } = value;
  if (
    typeof id !== 'number' ||
    typeof masterId !== 'number' ||
    typeof name !== 'string' ||
    (environment !== 'client' && environment !== 'any') ||
    !Array.isArray(triggers) ||
    !isStringArray(dependencies) ||
    typeof code !== 'string' ||
    typeof codeHash !== 'string' ||
    !isStringArray(value.preludes) ||
    !value.preludes.every((prelude) => Object.hasOwn(preludes, prelude))
  ) {
    return undefined;
  }
  const read = triggers.map(readTrigger);
  const checked = read.filter((trigger): trigger is Trigger => trigger !== undefined);
  if (checked.length !== read.length) return undefined;
  const runsOn: ClientAction['environment'] = environment === 'client' ? 'client' : 'any';
  const base = { id, masterId, name, environment: runsOn, dependencies, code, codeHash };
  return { ...base, triggers: checked, preludes: value.preludes };
}

function readPreludes(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  const preludes: Record<string, string> = {};
  for (const [name, source] of Object.entries(value)) {
    if (typeof source !== 'string') return undefined;
    preludes[name] = source;
  }
  return preludes;
}

function unexpected(what: string): ActionsApiError {
  return new ActionsApiError({
    status: 'UNEXPECTED_RESPONSE',
    httpStatus: 200,
    error: `The client-action list is not in the expected shape: ${what}`,
  });
}

/** The answer, checked field by field: a page must not run half-understood code. */
export function readCatalogue(body: unknown): ClientCatalogue {
  if (!isRecord(body)) throw unexpected('not an object');
  const preludes = readPreludes(body.preludes);
  if (!preludes) throw unexpected('preludes');
  const { appId, version, clientTimeoutMs, maxPayloadBytes, actions } = body;
  if (typeof appId !== 'number' || (version !== 'master' && version !== 'production')) {
    throw unexpected('appId or version');
  }
  if (typeof clientTimeoutMs !== 'number' || typeof maxPayloadBytes !== 'number') {
    throw unexpected('limits');
  }
  if (!Array.isArray(actions)) throw unexpected('actions');
  const read = actions.map((action) => readAction(action, preludes));
  const checked = read.filter((action): action is ClientAction => action !== undefined);
  if (checked.length !== read.length) throw unexpected('an action');
  return { appId, version, clientTimeoutMs, maxPayloadBytes, actions: checked, preludes };
}

export async function fetchCatalogue(target: ApiTarget, version: RunVersion) {
  const body = await callApi(target, { method: 'GET', path: `/client-actions?version=${version}` });
  return readCatalogue(body);
}
