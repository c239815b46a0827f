'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import type { TriggerDraft } from './actionDraft';
import { FieldError, inputClass } from './Field';
import { parseJson } from './parseJson';
import { productErrorOf } from './productError';
import { RunSnippets } from './RunSnippets';
import { SamplePayloadPicker } from './SamplePayloadPicker';
import { TestResult } from './TestResult';
import { useTRPC } from './TrpcProvider';
import { primaryButton } from './styles';

/** Errors about the payload itself are shown under the payload box, not as a failed run. */
const payloadStatuses = new Set(['PAYLOAD_INVALID', 'PAYLOAD_TOO_LARGE']);

interface TestPanelProps {
  appId: number;
  actionId: number;
  /** The saved name, which the SDK and REST snippets call the action by. */
  name: string;
  /** The draft's triggers: which sample payloads fit, and their event types. */
  triggers: readonly TriggerDraft[];
  /** The editor has changes the server has not stored yet. */
  dirty: boolean;
  /** Saves the editor's changes; resolves false when the save was refused. */
  save: () => Promise<boolean>;
  /** Moves the code editor's cursor to a position from a stack trace. */
  onReveal: (line: number, column: number) => void;
}

/**
 * Runs the saved master version with a payload and shows what came back. The server runs
 * what is stored, so unsaved changes are saved first; otherwise the result would belong to
 * code the user no longer sees.
 */
export function TestPanel(props: TestPanelProps) {
  const { appId, actionId, dirty, save } = props;
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
          queryClient.invalidateQueries({ queryKey: trpc.actions.overview.queryKey() }),
        ]),
    }),
  );
  const outcome = testRun.data;
  const requestError = testRun.error ? productErrorOf(testRun.error) : null;
  const shownPayloadError =
    payloadError ??
    (requestError && payloadStatuses.has(requestError.status) ? requestError.message : null);
  const parsed = parseJson(payloadText.trim() === '' ? '{}' : payloadText);

  const run = async () => {
    setNotice(null);
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
      <SamplePayloadPicker
        appId={appId}
        triggers={props.triggers}
        onPick={(payload) => {
          setPayloadText(JSON.stringify(payload, null, 2));
          setPayloadError(null);
        }}
      />
      <div className="grid gap-1">
        <label htmlFor="test-payload" className="text-sm font-medium">
          Payload (JSON)
        </label>
        <textarea
          id="test-payload"
          rows={6}
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
      {outcome ? <TestResult appId={appId} outcome={outcome} onReveal={props.onReveal} /> : null}
      <RunSnippets appId={appId} name={props.name} payload={parsed.ok ? parsed.value : {}} />
    </section>
  );
}
