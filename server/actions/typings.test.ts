import ts from 'typescript';
import { describe, expect, it } from 'vitest';

import { packages } from './packages';
import { actionTemplates } from './templates';
import { actionTypings, type TypingsInput } from './typings';

/**
 * Type-checks an action's code against its typings with the TypeScript compiler, as Monaco's
 * JavaScript service would with checkJs: the answers are the compiler's, not string matching.
 */
function diagnostics(input: TypingsInput, code: string): string[] {
  const files = new Map([
    ['/action-context.d.ts', actionTypings(input)],
    ['/action.js', code],
  ]);
  const options: ts.CompilerOptions = {
    allowJs: true,
    checkJs: true,
    noEmit: true,
    strict: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    // Only our two files and the standard library: no @types package may add globals.
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  host.fileExists = (name) => files.has(name) || ts.sys.fileExists(name);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version) => {
    const text = files.get(name);
    if (text === undefined) return getSourceFile(name, version);
    return ts.createSourceFile(name, text, version);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

const typed = (body: string) => `/** @param {ActionContext} context */
async function execute(context) {
${body}
}
`;

describe('[TYPINGS]: the definitions themselves', () => {
  it('compile with every package listed and every trigger', () => {
    const input: TypingsInput = {
      triggers: [{ trigger: 'manual' }, { trigger: 'schedule' }, { trigger: 'log' }],
      dependencies: packages.map((p) => p.name),
    };
    expect(diagnostics(input, typed('  return 1;'))).toEqual([]);
  });

  it('declare a namespace only for listed packages, with its doc comment', () => {
    const text = actionTypings({ triggers: [], dependencies: ['fliplet-csv'] });
    expect(text).toContain('namespace CSV');
    expect(text).toContain('package fliplet-csv');
    expect(text).not.toContain('namespace DataSources');
  });

  it('ignore approved library URLs and unknown names', () => {
    const url = 'https://cdn.jsdelivr.net/npm/lodash@4/lodash.min.js';
    const text = actionTypings({ triggers: [], dependencies: [url, 'nope'] });
    expect(diagnostics({ triggers: [], dependencies: [url, 'nope'] }, typed('return 1;')))
      .toEqual([]);
    expect(text).toContain('declare const Fliplet: {};');
  });
});

describe('[TYPINGS]: context.payload follows the triggers', () => {
  it('log: trigger and the full log entry', () => {
    const input: TypingsInput = { triggers: [{ trigger: 'log' }], dependencies: [] };
    const code = typed(`  const id = context.payload.log.dataSourceEntryId;
  const type = context.payload.log.type.toUpperCase();
  /** @type {'log'} */ const kind = context.payload.trigger;
  return { id, type, kind };`);
    expect(diagnostics(input, code)).toEqual([]);
    expect(diagnostics(input, typed('  return context.payload.log.nope;')).join()).toMatch(
      /Property 'nope' does not exist on type 'LogEntry'/,
    );
  });

  it('analytics: the event itself, with screen fields', () => {
    const input: TypingsInput = { triggers: [{ trigger: 'analytics' }], dependencies: [] };
    const code = typed(`  /** @type {number} */ const at = context.payload.createdAt;
  return [at, context.payload.data._pageTitle, context.payload.type];`);
    expect(diagnostics(input, code)).toEqual([]);
  });

  it('schedule: an empty object', () => {
    const input: TypingsInput = { triggers: [{ trigger: 'schedule' }], dependencies: [] };
    expect(diagnostics(input, typed('  return context.payload.entryId;')).join()).toMatch(
      /Property 'entryId' does not exist/,
    );
  });

  it('manual next to an event trigger: typed as the event (a test with a sample)', () => {
    const input: TypingsInput = {
      triggers: [{ trigger: 'manual' }, { trigger: 'log' }],
      dependencies: [],
    };
    expect(diagnostics(input, typed('  return context.payload.log.id;'))).toEqual([]);
  });

  it('manual and no triggers: any keys, values unknown', () => {
    for (const triggers of [[{ trigger: 'manual' as const }], []]) {
      const input: TypingsInput = { triggers, dependencies: [] };
      expect(diagnostics(input, typed('  return context.payload.anything;'))).toEqual([]);
    }
  });
});

describe('[TYPINGS]: Fliplet namespaces', () => {
  it('type a data source round trip', () => {
    const input: TypingsInput = { triggers: [], dependencies: ['fliplet-datasources'] };
    const code = typed(`  const connection = await Fliplet.DataSources.connect(158);
  const entries = await connection.find({ where: { Status: 'Open' } });
  /** @type {number} */ const first = entries[0].id;
  return first;`);
    expect(diagnostics(input, code)).toEqual([]);
  });

  it('report a namespace whose package is not listed', () => {
    const code = typed('  await Fliplet.Communicate.sendSMS({ data: { to: "1", body: "x" } });');
    for (const dependencies of [[], ['fliplet-datasources']]) {
      const input: TypingsInput = { triggers: [], dependencies };
      expect(diagnostics(input, code).join()).toMatch(/Property 'Communicate' does not exist/);
    }
  });
});

describe('[TYPINGS]: templates', () => {
  it.each(actionTemplates.map((t) => [t.id, t] as const))('%s type-checks', (_, template) => {
    const { triggers, dependencies, code } = template.fields;
    expect(diagnostics({ triggers, dependencies }, code)).toEqual([]);
  });
});
