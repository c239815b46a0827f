/**
 * Ready-to-paste calls that run the action the way the test panel does (the master version),
 * from app code with the SDK and from a shell with curl.
 */
export interface RunSnippetInput {
  origin: string;
  appId: number;
  name: string;
  payload: unknown;
}

export function sdkSnippet({ name, payload }: RunSnippetInput): string {
  const body = JSON.stringify(payload ?? {}, null, 2);
  const call = 'Fliplet.App.V3.Actions.runWithResult';
  return `const result = await ${call}(${JSON.stringify(name)}, ${body});`;
}

export function curlSnippet({ origin, appId, name, payload }: RunSnippetInput): string {
  const url =
    `${origin}/v3/apps/${appId}/actions/${encodeURIComponent(name)}` +
    '/run-with-result?version=master';
  return [
    `curl -X POST ${shellQuote(url)}`,
    `  -H 'Auth-token: <your token>'`,
    `  -H 'Content-Type: application/json'`,
    `  --data ${shellQuote(JSON.stringify(payload ?? {}))}`,
  ].join(' \\\n');
}

/** Single quotes keep everything literal in POSIX shells; a quote inside is closed and escaped. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
