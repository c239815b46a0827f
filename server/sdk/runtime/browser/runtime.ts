/**
 * The browser runtime: loads the app's client actions once, matches analytics events against
 * their triggers, and runs `client` actions in workers, whether an event fired them or
 * `run`/`runWithResult` was called. Everything else (other actions, CRUD, logs) goes to the
 * REST API through the SDK's client, so the server keeps deciding what it decides.
 *
 * `any` actions run on the server when called and in the browser when an analytics event
 * fires them: the server has every platform package and the browser has none yet.
 */
import { isAppError } from '../../../errors';
import type { SandboxOutcome } from '../../../runner/sandbox/types';
import { checkPayload } from '../../../runs/payload';
import { firesOn, type AnalyticsEvent } from '../../../triggers/analytics';
import { ActionsApiError, createActionsClient, type ActionsClient } from '../../actions-client';
import type { ClientAction, ClientCatalogue } from '../catalogue';
import type { DebugActionMeta } from '../debug-page';
import { fetchCatalogue } from './catalogue-client';
import { ClientRunner, TooManyClientRuns, type StartedRun } from './client-runner';
import { mergeInput, resolveConfig, type RuntimeConfig, type RuntimeConfigInput } from './config';
import { Emitter, type RunInfo, type RuntimeEvent } from './events';
import { isRecord } from './protocol';
import { RunReporter } from './reporter';
import type { WorkerFactory } from './worker-run';

/** Events that come before the action list are kept (up to this many) and matched after. */
const MAX_EARLY_EVENTS = 100;

type Payload = Record<string, unknown>;

interface DebugAction {
  meta: DebugActionMeta;
  factory: () => unknown;
}

export interface ClientActionSummary {
  id: number;
  masterId: number;
  name: string;
  environment: ClientAction['environment'];
  triggers: ClientAction['triggers'];
}

/** The same lookup as the server: an id (master or production) first, then the name. */
export function findAction(actions: readonly ClientAction[], nameOrId: string | number) {
  const id =
    typeof nameOrId === 'number' ? nameOrId : /^\d+$/.test(nameOrId) ? Number(nameOrId) : null;
  if (id !== null) {
    const byId = actions.find((action) => action.id === id || action.masterId === id);
    if (byId || typeof nameOrId === 'number') return byId;
  }
  return actions.find((action) => action.name === String(nameOrId));
}

/** The server's payload rules, answered as the SDK answers the server's refusals. */
function checkedPayload(payload: unknown, maxBytes: number): Payload {
  try {
    // A copy: the caller may change its object before the run is reported.
    const checked = checkPayload(payload, maxBytes);
    const copy: unknown = JSON.parse(JSON.stringify(checked));
    return isRecord(copy) ? copy : {};
  } catch (error) {
    if (!isAppError(error)) throw error;
    const { status, httpStatus, message } = error;
    throw new ActionsApiError({ status, httpStatus, error: message });
  }
}

/** A failed local run, with the code and HTTP status the server gives the same failure. */
function runFailure(outcome: Extract<SandboxOutcome, { ok: false }>, runId: string) {
  const { error, limit } = outcome;
  const [status, httpStatus] =
    limit === 'timeout'
      ? (['EXECUTION_TIMEOUT', 504] as const)
      : limit === 'result-size'
        ? (['RESULT_TOO_LARGE', 400] as const)
        : (['EXECUTION_FAILED', 400] as const);
  const details = { runId, runOn: 'client', errorDetails: error };
  return new ActionsApiError({ status, httpStatus, error: error.message, details });
}

/** Runs a debug page's action in the page itself, as it is: see debug-page.ts for why. */
async function runInPage(debug: DebugAction, payload: unknown): Promise<unknown> {
  const execute = debug.factory();
  if (typeof execute !== 'function') {
    throw new Error(`Action "${debug.meta.name}" does not define a function named execute`);
  }
  const copy: unknown = JSON.parse(JSON.stringify(payload ?? {}));
  const value: unknown = await Reflect.apply(execute, undefined, [{ payload: copy }]);
  return value;
}

function readDebugMeta(value: unknown): DebugActionMeta {
  if (
    !isRecord(value) ||
    typeof value.id !== 'number' ||
    typeof value.masterId !== 'number' ||
    typeof value.name !== 'string' ||
    typeof value.appId !== 'number' ||
    typeof value.environment !== 'string' ||
    (value.version !== 'master' && value.version !== 'production')
  ) {
    throw new TypeError('debug.define needs the compiled action\'s description');
  }
  const { id, masterId, name, appId, environment, version } = value;
  return { id, masterId, name, appId, environment, version };
}

export class ActionsRuntime {
  readonly events = new Emitter<RuntimeEvent>();
  private input: RuntimeConfigInput;
  private config: RuntimeConfig | null = null;
  private client: ActionsClient | null = null;
  private catalogue: ClientCatalogue | null = null;
  private loading: Promise<ClientCatalogue> | null = null;
  private loadFailed = false;
  private early: AnalyticsEvent[] = [];
  private readonly debugActions: DebugAction[] = [];
  private readonly runner: ClientRunner;
  /** Bumped by every configure(), so a list loaded for older settings is ignored. */
  private generation = 0;

  constructor(createWorker: WorkerFactory, initial: RuntimeConfigInput) {
    const emit = (event: RuntimeEvent) => this.events.emit(event);
    const reporter = new RunReporter(emit);
    this.runner = new ClientRunner({
      createWorker,
      emit,
      report: (target, actionId, report) => reporter.report(target, actionId, report),
    });
    this.input = initial;
    this.apply();
  }

  configure(update: RuntimeConfigInput): void {
    this.input = mergeInput(this.input, update);
    this.apply();
  }

  /** Resolves once the app's client actions are loaded; rejects when they cannot be. */
  async ready(): Promise<void> {
    await this.load();
  }

  async reload(): Promise<void> {
    this.apply();
    await this.load();
  }

  clientActions(): ClientActionSummary[] {
    return (this.catalogue?.actions ?? []).map(({ id, masterId, name, environment, triggers }) =>
      ({ id, masterId, name, environment, triggers }));
  }

  /** The time limit runs in this page get (null until known). */
  limits(): { clientTimeoutMs: number | null } {
    if (this.catalogue) return { clientTimeoutMs: this.timeoutMs(this.catalogue) };
    return { clientTimeoutMs: this.config?.clientTimeoutMs ?? null };
  }

  /** The SDK's REST client for this app; throws until an app id is configured. */
  rest(): ActionsClient {
    if (!this.client) {
      throw new Error(
        'Fliplet.App.V3.Actions is not configured: call configure({ appId, token }) or give ' +
          'the script tag data-app-id and data-token attributes',
      );
    }
    return this.client;
  }

  /** An analytics event happened: runs every action whose trigger matches it. */
  track(event: AnalyticsEvent): void {
    if (this.catalogue) {
      this.dispatch(event, this.catalogue);
    } else if (this.loading && !this.loadFailed) {
      if (this.early.length < MAX_EARLY_EVENTS) this.early.push(event);
    } else {
      this.events.emit({ type: 'analytics', event, matched: [] });
    }
  }

  async runWithResult(nameOrId: string | number, payload?: Payload): Promise<unknown> {
    const debug = this.findDebug(nameOrId);
    if (debug) return runInPage(debug, payload);
    const started = await this.startLocal(nameOrId, payload);
    if (!started) return this.rest().runWithResult(nameOrId, payload);
    const outcome = await started.outcome;
    if (outcome.ok) return outcome.result;
    throw runFailure(outcome, started.info.runId);
  }

  /** Resolves once the run has started (or been queued), like the server's `run`. */
  async run(nameOrId: string | number, payload?: Payload): Promise<void> {
    const debug = this.findDebug(nameOrId);
    if (debug) {
      // Not awaited, as `run` promises; a failure still shows in DevTools as unhandled.
      void runInPage(debug, payload);
      return;
    }
    const started = await this.startLocal(nameOrId, payload);
    if (!started) await this.rest().run(nameOrId, payload);
  }

  /** Called by the compiled script the debug page loads. */
  defineDebug(meta: unknown, factory: unknown): void {
    const read = readDebugMeta(meta);
    if (typeof factory !== 'function') throw new TypeError('debug.define needs a factory');
    const entry: DebugAction = { meta: read, factory: () => Reflect.apply(factory, undefined, []) };
    const index = this.debugActions.findIndex((known) => known.meta.id === read.id);
    if (index >= 0) this.debugActions.splice(index, 1, entry);
    else this.debugActions.push(entry);
  }

  // ------------------------------------------------------------------ internals

  private apply(): void {
    this.config = resolveConfig(this.input);
    const config = this.config;
    this.client = config
      ? createActionsClient({
          baseUrl: config.baseUrl,
          appId: config.appId,
          token: config.token,
          version: config.version,
        })
      : null;
    this.generation += 1;
    this.catalogue = null;
    this.loading = null;
    this.loadFailed = false;
    this.early = [];
    if (config?.autoLoad) this.load().catch(() => undefined);
  }

  private load(): Promise<ClientCatalogue> {
    if (this.loading) return this.loading;
    const config = this.config;
    if (!config) return Promise.reject(new Error('The runtime has no app id yet'));
    const generation = this.generation;
    this.loading = fetchCatalogue(config, config.version).then(
      (catalogue) => {
        if (generation === this.generation) this.loaded(catalogue);
        return catalogue;
      },
      (error: unknown) => {
        if (generation === this.generation) {
          this.loadFailed = true;
          this.early = [];
          const message = error instanceof Error ? error.message : String(error);
          this.events.emit({ type: 'actions-failed', message });
        }
        throw error;
      },
    );
    return this.loading;
  }

  private loaded(catalogue: ClientCatalogue): void {
    this.catalogue = catalogue;
    this.events.emit({
      type: 'actions-loaded',
      version: catalogue.version,
      clientTimeoutMs: this.timeoutMs(catalogue),
      actions: catalogue.actions.map(({ id, name, environment }) => ({ id, name, environment })),
    });
    const early = this.early;
    this.early = [];
    for (const event of early) this.dispatch(event, catalogue);
  }

  private timeoutMs(catalogue: ClientCatalogue): number {
    return Math.min(catalogue.clientTimeoutMs, this.config?.clientTimeoutMs ?? Infinity);
  }

  private dispatch(event: AnalyticsEvent, catalogue: ClientCatalogue): void {
    const matched = catalogue.actions.filter((action) => firesOn(action.triggers, event));
    this.events.emit({ type: 'analytics', event, matched: matched.map((action) => action.name) });
    for (const action of matched) {
      try {
        const payload = checkedPayload(event, catalogue.maxPayloadBytes);
        this.start(catalogue, action, 'analytics', payload);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.events.emit({ type: 'run-dropped', name: action.name, reason });
      }
    }
  }

  private start(
    catalogue: ClientCatalogue,
    action: ClientAction,
    trigger: RunInfo['trigger'],
    payload: Payload,
  ): StartedRun {
    const preludes = action.preludes.map((name) => ({
      name,
      source: catalogue.preludes[name] ?? '',
    }));
    const target = this.config;
    if (!target) throw new Error('The runtime has no app id yet');
    const timeoutMs = this.timeoutMs(catalogue);
    return this.runner.start({ target, action, preludes, trigger, payload, timeoutMs });
  }

  /** A manual run of a `client` action in this page, or null to let the server decide. */
  private async startLocal(
    nameOrId: string | number,
    payload: unknown,
  ): Promise<StartedRun | null> {
    let catalogue: ClientCatalogue;
    try {
      catalogue = await this.load();
    } catch {
      // Without the list the server answers, with its own reasons (401, 404, …).
      return null;
    }
    const action = findAction(catalogue.actions, nameOrId);
    if (!action || action.environment !== 'client') return null;
    if (!action.triggers.some(({ trigger }) => trigger === 'manual')) {
      throw new ActionsApiError({
        status: 'ACTION_NOT_RUNNABLE',
        httpStatus: 400,
        error: `Action "${action.name}" has no manual trigger, so it cannot be run on demand`,
      });
    }
    const checked = checkedPayload(payload, catalogue.maxPayloadBytes);
    try {
      return this.start(catalogue, action, 'manual', checked);
    } catch (error) {
      if (!(error instanceof TooManyClientRuns)) throw error;
      throw new ActionsApiError({ status: 'RATE_LIMITED', httpStatus: 429, error: error.message });
    }
  }

  private findDebug(nameOrId: string | number): DebugAction | undefined {
    const id = typeof nameOrId === 'number' ? nameOrId : null;
    return this.debugActions.find(({ meta }) =>
      id === null ? meta.name === nameOrId || String(meta.id) === nameOrId : meta.id === id);
  }
}
