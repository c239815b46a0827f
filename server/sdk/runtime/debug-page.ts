/**
 * The debug page of an action (`GET …/actions/:id/compile?html`) and the compiled script it
 * loads (the same route without `?html`). The script registers the action with the browser
 * runtime's debug registry under the file name `actions/<name>.js`, so DevTools lists it and
 * breakpoints hold; `Fliplet.App.V3.Actions.runWithResult('<name>', {})` then runs it in the
 * page itself.
 *
 * In the page, not in a worker: a debugger paused at a breakpoint would otherwise be killed by
 * the time limit, and a run's worker (with its copy of the code) only exists while the run
 * lasts, so there would be nothing to set a breakpoint in beforehand.
 */
import { findActionRow } from '../../actions/service';
import type { Db } from '../../db/client';
import { browserPreludesFor } from './browser-preludes';

export interface DebugActionMeta {
  id: number;
  masterId: number;
  name: string;
  version: 'master' | 'production';
  environment: string;
  appId: number;
}

export interface CompiledAction {
  meta: DebugActionMeta;
  script: string;
}

/** JSON that is also safe inside HTML: no `<` can close the element it sits in. */
function htmlSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The action's code keeps its line numbers: the registration call sits on line 1 before the
 * code, the rest follows it. The factory runs the code afresh at every run, after the
 * preludes (appended below, each under its own file name) have loaded.
 */
export function compiledScript(meta: DebugActionMeta, code: string, dependencies: string[]) {
  const guard =
    "if (!(globalThis.Fliplet && Fliplet.App && Fliplet.App.V3 && Fliplet.App.V3.Actions && " +
    "Fliplet.App.V3.Actions.debug)) { throw new Error('Load /runtime/actions.js first'); } ";
  const define = `Fliplet.App.V3.Actions.debug.define(${JSON.stringify(meta)}, function () { `;
  const head = `${guard}${define}`;
  const tail = '\n;return typeof execute === "undefined" ? undefined : execute;\n});\n';
  const preludes = browserPreludesFor(dependencies)
    .map(({ name, source }) => {
      const named = `${source}\n//# sourceURL=preludes/${name}`;
      return `(0, eval)(${JSON.stringify(named)});\n`;
    })
    .join('');
  return `${head}${code}${tail}${preludes}//# sourceURL=actions/${meta.name}.js\n`;
}

export async function compileAction(db: Db, appId: number, id: number): Promise<CompiledAction> {
  const row = await findActionRow(db, appId, id);
  const meta: DebugActionMeta = {
    id: row.id,
    masterId: row.masterId ?? row.id,
    name: row.name,
    version: row.masterId === null ? 'master' : 'production',
    environment: row.environment,
    appId,
  };
  return { meta, script: compiledScript(meta, row.code, row.dependencies) };
}

/** Runs the compiled script as an inline script made from JSON: no HTML parsing of the code. */
const BOOTSTRAP = `(function () {
  var source = JSON.parse(document.getElementById('compiled-action').textContent);
  var script = document.createElement('script');
  script.textContent = source;
  document.head.appendChild(script);
  var output = document.getElementById('output');
  document.getElementById('run').addEventListener('click', function () {
    var name = document.body.getAttribute('data-action');
    var payload;
    try { payload = JSON.parse(document.getElementById('payload').value || '{}'); }
    catch (e) { output.textContent = 'The payload is not JSON: ' + e.message; return; }
    output.textContent = 'Running…';
    Fliplet.App.V3.Actions.runWithResult(name, payload).then(function (value) {
      output.textContent = JSON.stringify(value, null, 2);
    }, function (error) {
      output.textContent = String(error && error.stack || error);
    });
  });
})();`;

export function debugPageHtml({ meta, script }: CompiledAction): string {
  const name = escapeHtml(meta.name);
  const call = `Fliplet.App.V3.Actions.runWithResult('${name}', {})`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Debug ${name} · App Actions</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 52rem; padding: 0 1rem; }
code, textarea, pre { font-family: ui-monospace, monospace; font-size: 13px; }
pre { background: #f1f5f9; padding: .75rem; overflow: auto; min-height: 2rem; }
textarea { width: 100%; height: 6rem; display: block; }
</style>
<script src="/runtime/actions.js" data-app-id="${meta.appId}" data-version="${meta.version}"
  data-autoload="false"></script>
</head>
<body data-action="${name}">
<h1>Debug <code>${name}</code></h1>
<p>Action #${meta.id} of app ${meta.appId}: the ${meta.version} version, environment
${escapeHtml(meta.environment)}.</p>
<ol>
<li>Open DevTools (F12) and find <code>actions/${name}.js</code> in the Sources panel.</li>
<li>Put a breakpoint in the code.</li>
<li>In the Console, type <code>${call}</code>, with the payload the action needs.</li>
</ol>
<p>On this page the action runs in the page itself so that breakpoints hold: there is no time
limit, the value comes back as it is (not serialised), its console output goes to DevTools and
the run is not logged. Platform packages such as <code>Fliplet.DataSources</code> are not
available in the browser.</p>
<label for="payload">Payload (JSON)</label>
<textarea id="payload">{}</textarea>
<p><button id="run" type="button">Run in this page</button></p>
<pre id="output" aria-live="polite"></pre>
<script type="application/json" id="compiled-action">${htmlSafeJson(script)}</script>
<script>${BOOTSTRAP}</script>
</body>
</html>
`;
}

const commonHeaders = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  // The address may carry ?token=: never send it on to another site.
  'referrer-policy': 'no-referrer',
};

export function debugResponse(compiled: CompiledAction, asHtml: boolean): Response {
  if (asHtml) {
    return new Response(debugPageHtml(compiled), {
      headers: { ...commonHeaders, 'content-type': 'text/html; charset=utf-8' },
    });
  }
  return new Response(compiled.script, {
    headers: { ...commonHeaders, 'content-type': 'text/javascript; charset=utf-8' },
  });
}
