import { describe, expect, it } from 'vitest';
import { formatLintError, lintActionCode, type LintIssue, type LintReport } from './lint';
import {
  findPackageByName,
  findPackageByNamespace,
  isPackageName,
  packages,
  serverRefusal,
} from './packages';

function lint(code: string, dependencies: readonly string[] = []): LintReport {
  return lintActionCode(code, dependencies);
}

function codes(issues: readonly LintIssue[]): string[] {
  return issues.map((issue) => issue.code);
}

describe('[LINT]: accepted forms of execute', () => {
  it.each([
    ['async function execute(context) {\n  return { success: true };\n}'],
    ['const execute = async (context) => {\n  return { success: true };\n};'],
    ['let execute = async (context) => {\n  return { success: true };\n};'],
    ['const execute = async function(context) {\n  return { success: true };\n};'],
    ['let execute = async function (context) { return 1; };'],
    ['var execute = async (context) => 1;'],
    ['var execute = async function named(context) { return 1; };'],
    ['const execute = async context => context.payload;'],
    ['async function execute(context = {}) { return context; }'],
    ['"use strict";\nconst twice = (x) => x * 2;\nasync function execute(context) { return 1; }'],
  ])('%s', (code) => {
    const report = lint(code);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(formatLintError(report)).toBeNull();
  });
});

describe('[LINT]: errors that block a save', () => {
  it.each([
    ['function execute(context) {}', 'not-async', 1, 10],
    ['const execute = (context) => {};', 'not-async', 1, 7],
    ['let execute = function (context) {};', 'not-async', 1, 5],
    ['\n\n  function execute(context) {\n  return 1;\n}', 'not-async', 3, 12],
    ['async function execute() {}', 'no-parameter', 1, 16],
    ['const execute = async () => {};', 'no-parameter', 1, 7],
    ['async function run(context) {}', 'wrong-name', 1, 16],
    ['const main = async (context) => {};', 'wrong-name', 1, 7],
    ['function Execute(context) {}', 'wrong-name', 1, 10],
    ['function helper() {}\nconst x = 1;', 'missing-execute', 1, 1],
    ['', 'missing-execute', 1, 1],
    ['// async function execute(context) {}', 'missing-execute', 1, 1],
    ['(function () { async function execute(context) {} })();', 'missing-execute', 1, 1],
    ['execute = async (context) => {};', 'missing-execute', 1, 1],
    ['const execute = 42;', 'not-a-function', 1, 7],
    ['class execute {}', 'not-a-function', 1, 7],
    ['const execute = wrap(async (context) => {});', 'not-a-function', 1, 7],
    ['async function* execute(context) {}', 'generator', 1, 1],
    [
      'async function execute(context) {}\nvar execute = async (context) => {};',
      'duplicate-execute',
      2,
      5,
    ],
    ['async function execute(context) {\n  const x = {;\n}', 'syntax', 2, 14],
    ['async function execute(context) {\n  return 1;\n', 'syntax', 3, 1],
    ['await fetch("x");\nasync function execute(context) {}', 'syntax', 1, 7],
    ['import x from "y";\nasync function execute(context) {}', 'syntax', 1, 1],
    ['export async function execute(context) {}', 'syntax', 1, 1],
  ])('%j fails with %s at %i:%i', (code, code_, line, column) => {
    const report = lint(code);
    const [first] = report.errors;
    expect(first?.code).toBe(code_);
    expect(first?.line).toBe(line);
    expect(first?.column).toBe(column);
    expect(formatLintError(report)).toMatch(new RegExp(`^Line ${line}, column ${column}: `));
  });

  it('names the misnamed function', () => {
    const [error] = lint('async function runAction(context) {}').errors;
    expect(error?.message).toContain('runAction');
    expect(error?.data).toEqual({ name: 'runAction' });
  });

  it('formats the first error and counts the rest', () => {
    const report = lint('function execute() {}');
    expect(codes(report.errors)).toEqual(['not-async', 'no-parameter']);
    expect(formatLintError(report)).toBe(
      'Line 1, column 10: execute must be declared async (and 1 more error)',
    );
    const more = lint('function execute(context) { Fliplet.Media; Fliplet.CSV; }');
    expect(formatLintError(more)).toMatch(/\(and 2 more errors\)$/);
  });

  it('reports a syntax error without the parser\'s 0-based position', () => {
    const report = lint('async function execute(context) {\n  return )\n}');
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ code: 'syntax', line: 2, column: 10 });
    expect(report.errors[0]?.message).toBe('Syntax error: Unexpected token');
    expect(formatLintError(report)).toBe('Line 2, column 10: Syntax error: Unexpected token');
  });
});

describe('[LINT]: dependencies', () => {
  const wrap = (body: string) => `async function execute(context) {\n${body}\n}`;

  it.each([
    ['direct', '  await Fliplet.DataSources.connect(1);', 2, 9],
    ['optional chain', '  await Fliplet?.DataSources.connect(1);', 2, 9],
    ['bracket', "  const ds = Fliplet['DataSources'];", 2, 14],
    ['template key', '  const ds = Fliplet[`DataSources`];', 2, 14],
    ['destructured', '  const { DataSources } = Fliplet;', 2, 11],
    ['destructured, renamed', '  const { DataSources: DS } = Fliplet;', 2, 11],
    ['destructured, string key', "  const { 'DataSources': DS } = Fliplet;", 2, 11],
    ['aliased', '  const F = Fliplet;\n  await F.DataSources.connect(1);', 3, 9],
    ['alias of alias', '  const F = Fliplet;\n  const G = F;\n  G.DataSources;', 4, 3],
    ['alias declared later', '  a.DataSources;\n  var a = Fliplet;', 2, 3],
    ['aliased, destructured', '  const F = Fliplet;\n  const { DataSources } = F;', 3, 11],
    ['nested destructuring', '  const { DataSources: { connect } } = Fliplet;', 2, 11],
    ['from window', '  const { Fliplet: { DataSources } } = window;', 2, 22],
    ['window member', '  window.Fliplet.DataSources.connect(1);', 2, 3],
    ['globalThis alias', '  const F = globalThis.Fliplet;\n  F.DataSources;', 3, 3],
    ['alias with fallback', '  const F = window.Fliplet || {};\n  F.DataSources;', 3, 3],
    ['rest alias', '  const { App, ...rest } = Fliplet;\n  rest.DataSources;', 3, 3],
    ['assignment', '  let F;\n  F = Fliplet;\n  F.DataSources;', 4, 3],
    ['parameter default', '  const f = ({ DataSources } = Fliplet) => DataSources;', 2, 16],
    ['with statement', '  with (Fliplet) { DataSources.connect(1); }', 2, 20],
    ['inside a template expression', '  return `${Fliplet.DataSources}`;', 2, 13],
    ['in a nested helper', '  const load = async () => Fliplet.DataSources.connect(1);', 2, 28],
  ])('%s use needs fliplet-datasources', (_name, body, line, column) => {
    const report = lint(wrap(body));
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({
      code: 'missing-dependency',
      line,
      column,
      data: { package: 'fliplet-datasources', namespace: 'DataSources' },
    });
    expect(report.requiredPackages).toEqual(['fliplet-datasources']);
    expect(lint(wrap(body), ['fliplet-datasources']).errors).toEqual([]);
  });

  it.each([
    ['a string', "  const s = 'Fliplet.DataSources.connect(1)';"],
    ['a template string\'s text', '  const s = `use Fliplet.DataSources ${1 + 1} here`;'],
    ['a line comment', '  // await Fliplet.DataSources.connect(1);'],
    ['a block comment', '  /* const { DataSources } = Fliplet; */'],
    ['a regular expression', '  const r = /Fliplet.DataSources/;'],
    ['an object key', '  const o = { DataSources: 1, Fliplet: 2 };'],
    ['another object', '  const x = {}; x.DataSources;'],
    ['an unknown namespace', '  Fliplet.App.Storage.get("x"); Fliplet.Foo.bar();'],
    ['a lower-case namespace', '  Fliplet.datasources;'],
    ['plain Fliplet', '  const f = Fliplet; return typeof f;'],
  ])('%s needs nothing', (_name, body) => {
    const report = lint(wrap(body));
    expect(report.errors).toEqual([]);
    expect(report.requiredPackages).toEqual([]);
  });

  it('reports one error per missing package, at its first use', () => {
    const report = lint(
      wrap('  Fliplet.Media.Folders.get();\n  Fliplet.Media.Files.upload();\n  Fliplet.CSV;'),
    );
    expect(codes(report.errors)).toEqual(['missing-dependency', 'missing-dependency']);
    expect(report.errors.map((e) => [e.data?.package, e.line])).toEqual([
      ['fliplet-media', 2],
      ['fliplet-csv', 4],
    ]);
    expect(report.errors[0]?.message).toBe(
      'Fliplet.Media is used but fliplet-media is not in dependencies',
    );
  });

  it('lists every required package, sorted and unique', () => {
    const code = wrap(
      [
        '  await Fliplet.Notifications.insert({});',
        '  await Fliplet.Communicate.sendEmail({});',
        '  const { Encryption, Barcode, Audio } = Fliplet;',
        '  Fliplet.DataSources; Fliplet.DataSources;',
      ].join('\n'),
    );
    const all = packages.map((p) => p.name);
    const report = lint(code, all);
    expect(report.errors).toEqual([]);
    expect(report.requiredPackages).toEqual([
      'fliplet-audio',
      'fliplet-barcode',
      'fliplet-communicate',
      'fliplet-datasources',
      'fliplet-encryption',
      'fliplet-notifications',
    ]);
    expect(report.unusedPackages).toEqual(['fliplet-csv', 'fliplet-media']);
  });

  it('warns about listed packages the code never uses, and ignores URLs', () => {
    const url = 'https://cdnjs.cloudflare.com/ajax/libs/moment.js/2.30.1/moment.min.js';
    const deps = ['fliplet-media', url, 'fliplet-datasources', 'fliplet-media'];
    const report = lint(wrap('  await Fliplet.DataSources.connect(1);'), deps);
    expect(report.errors).toEqual([]);
    expect(report.unusedPackages).toEqual(['fliplet-media']);
    expect(report.warnings).toEqual([
      {
        code: 'unused-dependency',
        message: 'fliplet-media is in dependencies but the code never uses Fliplet.Media',
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
        data: { package: 'fliplet-media', namespace: 'Media' },
      },
    ]);
  });

  it('warns that a computed namespace cannot be checked', () => {
    const report = lint(wrap('  const name = "Media";\n  Fliplet[name].Files;'));
    expect(report.errors).toEqual([]);
    expect(codes(report.warnings)).toEqual(['dynamic-namespace']);
    expect(report.warnings[0]).toMatchObject({ line: 3, column: 3 });
  });

  it('still checks dependencies when execute is wrong', () => {
    const report = lint('function execute(context) { return Fliplet.CSV.parse(""); }');
    expect(codes(report.errors)).toEqual(['not-async', 'missing-dependency']);
  });
});

describe('[LINT]: warnings', () => {
  it.each([
    ["  return 'Hello {{ name }}';", 2, 17, '{{ name }}'],
    ['  return `Dear {{user.firstName}},`;', 2, 16, '{{user.firstName}}'],
    ["  const t = '{{#if ok}}yes{{/if}}';", 2, 14, '{{#if ok}}'],
    ["  const t = '{{{html}}}';", 2, 14, '{{{html}}}'],
    ['  // {{ payload.id }}', 2, 6, '{{ payload.id }}'],
  ])('Handlebars in %j', (body, line, column, expression) => {
    const report = lint(`async function execute(context) {\n${body}\n}`);
    expect(report.errors).toEqual([]);
    const [warning] = report.warnings;
    expect(warning).toMatchObject({ code: 'handlebars', line, column, data: { expression } });
    expect(warning?.endColumn).toBe(column + expression.length);
    expect(warning?.message).toContain('template literal');
  });

  it('does not mistake nested JavaScript blocks for Handlebars', () => {
    const code = 'async function execute(context) {{ return 1; }}\nconst o = {a: {b: 1}};';
    expect(lint(code).warnings).toEqual([]);
  });

  it('reports Handlebars even when the code does not parse', () => {
    const report = lint("async function execute(context) { return '{{ x }}' ");
    expect(codes(report.errors)).toEqual(['syntax']);
    expect(codes(report.warnings)).toEqual(['handlebars']);
  });

  it.each([
    ['async function execute(ctx) {}', 'is named ctx', 1, 24],
    ['const execute = async ({ payload }) => payload;', 'is not a plain name', 1, 24],
    ['const execute = async (...args) => args;', 'is not a plain name', 1, 24],
  ])('first parameter in %j', (code, text, line, column) => {
    const report = lint(code);
    expect(report.errors).toEqual([]);
    expect(report.warnings[0]).toMatchObject({ code: 'parameter-name', line, column });
    expect(report.warnings[0]?.message).toContain(text);
  });

  it('warns about parameters after context', () => {
    const report = lint('async function execute(context, options) {}');
    expect(report.errors).toEqual([]);
    expect(report.warnings).toMatchObject([{ code: 'extra-parameter', line: 1, column: 33 }]);
  });
});

describe('[LINT]: positions', () => {
  it('are 1-based with an exclusive end, counting CRLF line breaks', () => {
    const code = 'async function execute(context) {\r\n  return Fliplet.CSV;\r\n}';
    const [error] = lint(code).errors;
    expect(error).toMatchObject({ line: 2, column: 10, endLine: 2, endColumn: 21 });
  });
});

describe('[PACKAGES]: catalogue', () => {
  it('holds the eight platform packages with their namespaces', () => {
    expect(packages.map((p) => [p.name, p.namespace])).toEqual([
      ['fliplet-datasources', 'DataSources'],
      ['fliplet-media', 'Media'],
      ['fliplet-communicate', 'Communicate'],
      ['fliplet-barcode', 'Barcode'],
      ['fliplet-audio', 'Audio'],
      ['fliplet-csv', 'CSV'],
      ['fliplet-encryption', 'Encryption'],
      ['fliplet-notifications', 'Notifications'],
    ]);
    expect(packages.every((p) => p.description.length > 0)).toBe(true);
  });

  it('finds packages by name and by namespace, exactly', () => {
    expect(findPackageByName('fliplet-csv')?.namespace).toBe('CSV');
    expect(findPackageByName('Fliplet-CSV')).toBeUndefined();
    expect(findPackageByNamespace('Notifications')?.name).toBe('fliplet-notifications');
    expect(findPackageByNamespace('notifications')).toBeUndefined();
    expect(isPackageName('fliplet-media')).toBe(true);
    expect(isPackageName('fliplet-app')).toBe(false);
  });

  it('marks barcode and audio as browser-only, with a reason', () => {
    const browserOnly = packages.filter((p) => !p.serverSupported).map((p) => p.name);
    expect(browserOnly).toEqual(['fliplet-barcode', 'fliplet-audio']);
    const barcode = findPackageByName('fliplet-barcode');
    expect(barcode && serverRefusal(barcode)).toMatch(/^fliplet-barcode is browser-only: .+/);
    const media = findPackageByName('fliplet-media');
    expect(media && serverRefusal(media)).toBeNull();
  });
});
