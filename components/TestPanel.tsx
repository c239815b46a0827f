'use client';

import { skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import type { TestRunOutcome } from './apiTypes';
import { ConsoleOutput } from './ConsoleOutput';
import { FieldError, inputClass } from './Field';
import { formatDuration } from './formatters';
import { JsonBlock } from './JsonBlock';
import { parseJson } from './parseJson';
import { productErrorOf } from './productError';
import { RunErrorView } from './RunErrorView';
import { readConsole, readRunError, readRunLog } from './runLogView';
import { useTRPC } from './TrpcProvider';
import { primaryButton } from './styles';

/** Errors about the payload itself are shown under the payload box, not as a failed run. */
const payloadStatuses = new Set(['PAYLOAD_INVALID', 'PAYLOAD_TOO_LARGE']);

interface TestPanelProps {
  appId: number;
  actionId: number;
  /** The editor has changes the server has not stored yet. */
  dirty: boolean;
  /** Saves the editor's changes; resolves false when the save was refused. */
  save: () => Promise<boolean>;
}

/**
 * Runs the saved master version with a payload and shows what came back. The server runs
 * what is stored, so unsaved changes are saved first; otherwise the result would belong to
 * code the user no longer sees.
 */
export function TestPanel({ appId, actionId, dirty, save }: TestPanelProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [payloadText, setPayloadText] = useState('{\n  "name": "Ada"\n}');
  const [payloadError, setPayloadError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const testRun = useMutation(
    trpc.runs.test.mutationOptions({
      onSettled: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.runs.logs.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.actions.list.queryKey() }),
        ]),
    }),
  );
  const outcome = testRun.data;
  const requestError = testRun.error ? productErrorOf(testRun.error) : null;
  const shownPayloadError =
    payloadError ??
    (requestError && payloadStatuses.has(requestError.status) ? requestError.message : null);

  const run = async () => {
    setNotice(null);
    const parsed = parseJson(payloadText.trim() === '' ? '{}' : payloadText);
    if (!parsed.ok) {
      setPayloadError(`The payload is not valid JSON: ${parsed.message}`);
      return;
    }
    setPayloadError(null);
    testRun.reset();
    if (dirty && !(await save())) {
      setNotice('Not run: the changes could not be saved, and a test runs the saved version.');
      return;
    }
    testRun.mutate({ appId, id: actionId, payload: parsed.value });
  };

  return (
    <section
      aria-labelledby="test-panel-heading"
      className="grid gap-3 rounded-lg border border-slate-200 bg-white p-3"
    >
      <h2 id="test-panel-heading" className="font-semibold">
        Test
      </h2>
      <div className="grid gap-1">
        <label htmlFor="test-payload" className="text-sm font-medium">
          Payload (JSON)
        </label>
        <textarea
          id="test-payload"
          rows={5}
          value={payloadText}
          onChange={(event) => setPayloadText(event.target.value)}
          onKeyDown={(event) => {
            if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
              event.preventDefault();
              void run();
            }
          }}
          aria-invalid={Boolean(shownPayloadError)}
          aria-describedby={`test-payload-hint${shownPayloadError ? ' test-payload-error' : ''}`}
          spellCheck={false}
          className={`${inputClass(Boolean(shownPayloadError))} font-mono`}
        />
        <p id="test-payload-hint" className="text-xs text-slate-500">
          Available to the code as context.payload. Ctrl+Enter runs.
        </p>
        <FieldError id="test-payload-error" message={shownPayloadError} />
      </div>
      <div className="flex items-center gap-3">
        <button
          type="button"
          onClick={() => void run()}
          disabled={testRun.isPending}
          className={primaryButton}
        >
          {dirty ? 'Save and run' : 'Run'}
        </button>
        <p aria-live="polite" className="text-sm text-slate-600">
          {testRun.isPending ? 'Running…' : ''}
        </p>
      </div>
      {notice ? (
        <p role="alert" className="text-sm text-red-700">
          {notice}
        </p>
      ) : null}
      {requestError && !payloadStatuses.has(requestError.status) ? (
        <p role="alert" className="text-sm text-red-700">
          <span className="font-mono font-semibold">{requestError.status}</span>:{' '}
          {requestError.message}
        </p>
      ) : null}
      {outcome ? <TestResult appId={appId} outcome={outcome} /> : null}
    </section>
  );
}

/** The returned value or the error, with the run's own duration and its console output. */
function TestResult({ appId, outcome }: { appId: number; outcome: TestRunOutcome }) {
  const trpc = useTRPC();
  const detail = useQuery(
    trpc.runs.get.queryOptions(outcome.logId ? { appId, logId: outcome.logId } : skipToken),
  );
  const run = detail.data ? readRunLog(detail.data) : null;
  const fallback = outcome.ok
    ? null
    : { name: outcome.status, message: outcome.message, stack: '' };
  const error = outcome.ok ? null : (readRunError(outcome.error) ?? fallback);

  return (
    <section aria-label="Test result" className="grid gap-3 border-t border-slate-200 pt-3">
      <p className="flex flex-wrap items-baseline gap-x-3 text-sm">
        <span className={`font-semibold ${outcome.ok ? 'text-emerald-700' : 'text-red-700'}`}>
          {outcome.ok ? 'Completed' : 'Failed'}
        </span>
        <span>Run #{outcome.logId}</span>
        <span>
          Duration: <span className="font-mono">{run ? formatDuration(run.durationMs) : '…'}</span>
        </span>
        <span className="text-slate-500">
          Round trip: <span className="font-mono">{formatDuration(outcome.elapsedMs)}</span>
        </span>
      </p>
      {outcome.ok ? <JsonBlock label="Result" value={outcome.result} /> : null}
      {error ? <RunErrorView error={error} /> : null}
      {detail.data ? <ConsoleOutput lines={readConsole(detail.data.console)} /> : null}
      {detail.isError ? (
        <p className="text-sm text-red-700">
          Could not load the run details: {productErrorOf(detail.error).message}
        </p>
      ) : null}
    </section>
  );
}
