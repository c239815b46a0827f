import { AppError } from '../errors';
import { findShapeFault, formatPath } from '../json-shape';
import { validateFrequency, validateTimezone } from '../triggers/cron';
import {
  analyticsEventTypes,
  environments,
  logEventTypes,
  triggerRefusal,
  triggerTypes,
  type Environment,
  type TriggerType,
} from '../triggers/types';
import { approvedLibraries, findApprovedLibrary } from './libraries';
import { formatLintError, lintActionCode } from './lint';
import { findPackageByName, packages } from './packages';

export const NAME_MAX_LENGTH = 255;
export const CODE_MAX_BYTES = 512 * 1024;

export interface Trigger {
  trigger: TriggerType;
  where?: Record<string, unknown>;
}

/** The editable fields of an action once checked; what create and update store. */
export interface ActionFields {
  name: string;
  code: string;
  active: boolean;
  environment: Environment;
  triggers: Trigger[];
  dependencies: string[];
  frequency: string | null;
  timezone: string | null;
}

export const actionFieldDefaults: Omit<ActionFields, 'name' | 'code'> = {
  active: false,
  environment: 'server',
  triggers: [],
  dependencies: [],
  frequency: null,
  timezone: null,
};


/**
 * Checks a create or update body against the current fields (the defaults on create) and returns
 * the merged result. Fields are checked in a fixed order so a body with several faults always
 * answers with the same, first, error code. Unknown keys and read-only fields are ignored.
 */
export function validateActionFields(
  body: unknown,
  current: ActionFields | null,
): ActionFields {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('BAD_REQUEST', 'The request body must be a JSON object');
  }
  const input = body as Record<string, unknown>;
  const given = (key: keyof ActionFields) => Object.hasOwn(input, key);
  const base = current ?? { ...actionFieldDefaults, name: '', code: '' };

  const name = current && !given('name') ? base.name : checkName(input.name);
  const code = current && !given('code') ? base.code : checkCode(input.code);
  const active = given('active') ? checkActive(input.active) : base.active;
  const environment = given('environment')
    ? checkEnvironment(input.environment)
    : base.environment;
  const triggers = given('triggers') ? checkTriggers(input.triggers) : base.triggers;
  const frequency = given('frequency') ? checkFrequency(input.frequency) : base.frequency;
  const timezone = given('timezone') ? checkTimezone(input.timezone) : base.timezone;
  const dependencies = given('dependencies')
    ? checkDependencies(input.dependencies)
    : base.dependencies;

  const fields = { name, code, active, environment, triggers, dependencies, frequency, timezone };
  checkTriggersAgainstFields(fields);
  checkCodeLint(code, dependencies);
  return fields;
}

function checkName(value: unknown): string {
  if (value === undefined || value === null) {
    throw new AppError('NAME_REQUIRED', 'name is required');
  }
  if (typeof value !== 'string') throw new AppError('NAME_REQUIRED', 'name must be a string');
  if (value.trim() === '') throw new AppError('NAME_EMPTY', 'name cannot be empty');
  if (value.length > NAME_MAX_LENGTH) {
    throw new AppError(
      'NAME_TOO_LONG',
      `name is ${value.length} characters long; the limit is ${NAME_MAX_LENGTH}`,
    );
  }
  if (!/^[A-Za-z0-9_-]+$/.test(value)) {
    throw new AppError(
      'NAME_INVALID_CHARS',
      'name may contain only letters, numbers, dashes (-) and underscores (_)',
    );
  }
  return value;
}

function checkCode(value: unknown): string {
  if (value === undefined || value === null) {
    throw new AppError('CODE_REQUIRED', 'code is required');
  }
  if (typeof value !== 'string') throw new AppError('CODE_REQUIRED', 'code must be a string');
  if (value.trim() === '') throw new AppError('CODE_EMPTY', 'code cannot be empty');
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > CODE_MAX_BYTES) {
    throw new AppError(
      'CODE_VALIDATION_FAILED',
      `code is ${bytes} bytes; the limit is ${CODE_MAX_BYTES} bytes`,
    );
  }
  if (value.includes('\u0000') || !value.isWellFormed()) {
    // Postgres text cannot hold either; write the character as an escape (\\u0000) instead.
    throw new AppError(
      'CODE_VALIDATION_FAILED',
      'code contains a NUL character or a broken UTF-16 surrogate; write it as an escape instead',
    );
  }
  return value;
}

function checkActive(value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new AppError('ACTIVE_INVALID', 'active must be true or false');
  }
  return value;
}

function checkEnvironment(value: unknown): Environment {
  if (value === undefined || value === null) return actionFieldDefaults.environment;
  const found = environments.find((environment) => environment === value);
  if (!found) {
    throw new AppError(
      'ENVIRONMENT_INVALID',
      `environment must be one of ${environments.map((e) => `"${e}"`).join(', ')}`,
    );
  }
  return found;
}

function checkTriggers(value: unknown): Trigger[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new AppError('TRIGGERS_INVALID', 'triggers must be an array');
  return value.map((item: unknown, index) => checkTrigger(item, index));
}

function checkTrigger(item: unknown, index: number): Trigger {
  const at = `triggers[${index}]`;
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new AppError('TRIGGERS_INVALID', `${at} must be an object like { "trigger": "manual" }`);
  }
  const { trigger, where } = item as Record<string, unknown>;
  const type = triggerTypes.find((t) => t === trigger);
  if (!type) {
    throw new AppError(
      'TRIGGER_TYPE_INVALID',
      `${at}.trigger must be one of ${triggerTypes.map((t) => `"${t}"`).join(', ')}`,
    );
  }
  if (type === 'manual' || type === 'schedule') {
    if (where !== undefined && where !== null && !isEmptyObject(where)) {
      throw new AppError('TRIGGERS_INVALID', `${at}: ${type} triggers take no "where" filter`);
    }
    return { trigger: type };
  }
  if (typeof where !== 'object' || where === null || Array.isArray(where)) {
    throw new AppError('TRIGGERS_INVALID', `${at}: ${type} triggers need a "where" object`);
  }
  return { trigger: type, where: checkWhere(type, where as Record<string, unknown>, at) };
}

function checkWhere(
  type: 'log' | 'analytics',
  where: Record<string, unknown>,
  at: string,
): Record<string, unknown> {
  const known: readonly string[] = type === 'log' ? logEventTypes : analyticsEventTypes;
  if (typeof where.type !== 'string' || !known.includes(where.type)) {
    throw new AppError(
      'TRIGGERS_INVALID',
      `${at}.where.type must be a known ${type} event type, such as "${known[0]}"`,
    );
  }
  if (type === 'log') {
    const { dataSourceId } = where;
    if (dataSourceId !== undefined && !(Number.isInteger(dataSourceId) && Number(dataSourceId) > 0)) {
      throw new AppError('TRIGGERS_INVALID', `${at}.where.dataSourceId must be a positive integer`);
    }
    return dataSourceId === undefined ? { type: where.type } : { type: where.type, dataSourceId };
  }
  const { data } = where;
  if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data))) {
    throw new AppError('TRIGGERS_INVALID', `${at}.where.data must be an object of field values`);
  }
  // Stored as jsonb and compared recursively with each event, so held to the JSON rules first.
  const fault = data === undefined ? null : findShapeFault(data, { jsonOnly: true });
  if (fault) {
    const path = formatPath(fault.path, `${at}.where.data`);
    throw new AppError('TRIGGERS_INVALID', `${path} ${fault.message}`);
  }
  return data === undefined ? { type: where.type } : { type: where.type, data };
}

function checkFrequency(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') {
    throw new AppError('FREQUENCY_INVALID', 'frequency must be a cron expression string');
  }
  const expression = value.trim().replace(/\s+/g, ' ');
  validateFrequency(expression);
  return expression;
}

function checkTimezone(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') {
    throw new AppError('TIMEZONE_INVALID', 'timezone must be an IANA timezone name string');
  }
  validateTimezone(value);
  return value;
}

function checkDependencies(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new AppError('DEPENDENCIES_INVALID', 'dependencies must be an array of strings');
  }
  const unknown = (value as string[]).find(
    (dependency) => !findPackageByName(dependency) && !findApprovedLibrary(dependency),
  );
  if (unknown !== undefined) {
    throw new AppError(
      'DEPENDENCIES_INVALID',
      `"${unknown}" is neither a platform package nor an approved library. Packages: ` +
        `${packages.map((p) => p.name).join(', ')}. Approved libraries: ` +
        `${approvedLibraries.map((l) => l.url).join(', ')}`,
    );
  }
  return [...new Set(value as string[])];
}

function checkTriggersAgainstFields(fields: ActionFields): void {
  fields.triggers.forEach(({ trigger }) => {
    const refusal = triggerRefusal(trigger, fields.environment);
    if (refusal) throw new AppError('TRIGGER_NOT_ALLOWED', refusal);
  });
  const scheduled = fields.triggers.some(({ trigger }) => trigger === 'schedule');
  if (scheduled && !fields.frequency) {
    throw new AppError(
      'FREQUENCY_INVALID',
      'a schedule trigger needs a frequency (a cron expression such as "0 8 * * 1")',
    );
  }
}

function checkCodeLint(code: string, dependencies: string[]): void {
  const report = lintActionCode(code, dependencies);
  const message = formatLintError(report);
  if (message) {
    throw new AppError('CODE_VALIDATION_FAILED', message, {
      details: { issues: report.errors },
    });
  }
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}
