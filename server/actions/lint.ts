/**
 * The "execute lint": the checks an action's code must pass before it can be saved, plus
 * warnings that do not block a save. Pure and free of Node imports so the editor can run the
 * very same checks in the browser as the API does on save.
 *
 * Positions are 1-based lines and 1-based columns (UTF-16 units), end exclusive: the convention
 * of Monaco markers, so the editor can show issues without converting them.
 */
import {
  getLineInfo,
  parse,
  type AnyNode,
  type ArrowFunctionExpression,
  type Expression,
  type FunctionDeclaration,
  type FunctionExpression,
  type Identifier,
  type MemberExpression,
  type ObjectPattern,
  type Pattern,
  type Program,
  type Property,
  type AssignmentProperty,
  type SourceLocation,
} from 'acorn';
import { full } from 'acorn-walk';
import { findPackageByName, findPackageByNamespace } from './packages';

export type LintCode =
  | 'syntax'
  | 'missing-execute'
  | 'duplicate-execute'
  | 'not-a-function'
  | 'not-async'
  | 'generator'
  | 'no-parameter'
  | 'wrong-name'
  | 'missing-dependency'
  | 'handlebars'
  | 'parameter-name'
  | 'extra-parameter'
  | 'unused-dependency'
  | 'dynamic-namespace';

export interface LintIssue {
  code: LintCode;
  /** What is wrong and which construct it is about; the position is in the fields below. */
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  data?: Record<string, string>;
}

export interface LintReport {
  /** Block a save. Sorted by position, so the first one is the first in the code. */
  errors: LintIssue[];
  warnings: LintIssue[];
  /** Platform packages the code needs, sorted and unique. */
  requiredPackages: string[];
  /** Platform packages listed in dependencies that the code never uses. */
  unusedPackages: string[];
}

interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

type FunctionNode = FunctionDeclaration | FunctionExpression | ArrowFunctionExpression;

/** A top-level name and what it is bound to (a function, a variable initialiser, a class). */
interface TopLevelBinding {
  name: string;
  id: Identifier;
  value: AnyNode | null;
}

interface NamespaceUse {
  namespace: string;
  node: AnyNode;
}

export function lintActionCode(code: string, dependencies: readonly string[]): LintReport {
  const warnings = findHandlebars(code);
  const parsed = parseProgram(code);
  if (!parsed.program) {
    return { errors: [parsed.error], warnings, requiredPackages: [], unusedPackages: [] };
  }
  const errors = checkExecute(parsed.program, warnings);
  const deps = checkDependencies(parsed.program, dependencies);
  errors.push(...deps.errors);
  warnings.push(...deps.warnings);
  errors.sort(byPosition);
  return {
    errors,
    warnings,
    requiredPackages: deps.requiredPackages,
    unusedPackages: deps.unusedPackages,
  };
}

/** The one-line message the API answers CODE_VALIDATION_FAILED with, or null when clean. */
export function formatLintError(report: LintReport): string | null {
  const [first] = report.errors;
  if (!first) return null;
  const more = report.errors.length - 1;
  const suffix = more > 0 ? ` (and ${more} more error${more === 1 ? '' : 's'})` : '';
  return `Line ${first.line}, column ${first.column}: ${first.message}${suffix}`;
}

// ---------------------------------------------------------------------------------------------
// Parsing

type ParseResult = { program: Program; error?: never } | { program?: never; error: LintIssue };

function parseProgram(code: string): ParseResult {
  try {
    const program = parse(code, {
      ecmaVersion: 'latest',
      // Actions are evaluated as classic scripts: no import/export, no top-level await.
      sourceType: 'script',
      allowAwaitOutsideFunction: false,
      allowReturnOutsideFunction: false,
      locations: true,
    });
    return { program };
  } catch (error: unknown) {
    return { error: syntaxIssue(code, error) };
  }
}

function syntaxIssue(code: string, error: unknown): LintIssue {
  const offset = errorOffset(error);
  const raw = error instanceof Error ? error.message : String(error);
  // acorn appends "(line:column)" with a 0-based column; our position fields replace it.
  const reason = /'import' and 'export'/.test(raw)
    ? 'import and export are not available in actions; list libraries in dependencies'
    : raw.replace(/\s*\(\d+:\d+\)$/, '');
  return {
    code: 'syntax',
    message: `Syntax error: ${reason}`,
    ...offsetSpan(code, offset, offset + 1),
  };
}

function errorOffset(error: unknown): number {
  if (typeof error === 'object' && error !== null && 'pos' in error) {
    const { pos } = error;
    if (typeof pos === 'number') return pos;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// The execute function

/**
 * Accepted forms, at the top level of the script:
 *   async function execute(context) {}
 *   const|let|var execute = async (context) => {}
 *   const|let|var execute = async function (context) {}
 * `var` is accepted: a top-level `var` binds the name exactly as `let`/`const` do for the runner,
 * which only looks the function up by name, so refusing it would reject working code.
 * Anything else (an assignment without a declaration, a wrapped function, a class) is refused
 * because the runner cannot rely on finding an async function under that name.
 */
function checkExecute(program: Program, warnings: LintIssue[]): LintIssue[] {
  const bindings = topLevelBindings(program);
  const executes = bindings.filter((binding) => binding.name === 'execute');
  const [execute, duplicate] = executes;
  if (!execute) return [missingExecute(program, bindings)];
  if (duplicate) {
    return [issue('duplicate-execute', 'execute is defined more than once', duplicate.id)];
  }
  const fn = execute.value && isFunctionNode(execute.value) ? execute.value : null;
  if (!fn) {
    return [issue('not-a-function', 'execute must be an async function', execute.id)];
  }
  const errors: LintIssue[] = [];
  if (fn.generator) {
    errors.push(issue('generator', 'execute must be an async function, not a generator', fn));
  } else if (!fn.async) {
    errors.push(issue('not-async', 'execute must be declared async', execute.id));
  }
  errors.push(...checkParameters(fn, execute.id, warnings));
  return errors;
}

function checkParameters(fn: FunctionNode, id: Identifier, warnings: LintIssue[]): LintIssue[] {
  const [first, ...extra] = fn.params;
  if (!first) {
    const message = 'execute must take the context object as its first parameter: execute(context)';
    return [issue('no-parameter', message, id)];
  }
  const name = parameterName(first);
  if (name !== 'context') {
    const found = name ? `is named ${name}` : 'is not a plain name';
    const message =
      `execute's first parameter ${found}; call it context, the object the platform passes ` +
      '(input is in context.payload)';
    warnings.push(issue('parameter-name', message, first, name ? { name } : undefined));
  }
  const [firstExtra] = extra;
  if (firstExtra) {
    const message = 'execute receives only context; further parameters are always undefined';
    warnings.push(issue('extra-parameter', message, firstExtra));
  }
  return [];
}

function parameterName(param: Pattern): string | null {
  if (param.type === 'Identifier') return param.name;
  if (param.type === 'AssignmentPattern' && param.left.type === 'Identifier') {
    return param.left.name;
  }
  return null;
}

function missingExecute(program: Program, bindings: TopLevelBinding[]): LintIssue {
  const misnamed = bindings.find(
    (binding) =>
      binding.value !== null &&
      isFunctionNode(binding.value) &&
      (binding.value.async || binding.name.toLowerCase() === 'execute'),
  );
  if (misnamed) {
    const message =
      `function ${misnamed.name} must be named execute: ` +
      `the platform only runs a function called execute`;
    return issue('wrong-name', message, misnamed.id, { name: misnamed.name });
  }
  const message = assignsExecute(program)
    ? 'declare execute with async function, const or let: async function execute(context) {}'
    : 'no execute function found: define async function execute(context) { ... }';
  return { code: 'missing-execute', message, line: 1, column: 1, endLine: 1, endColumn: 1 };
}

function assignsExecute(program: Program): boolean {
  return program.body.some(
    (statement) =>
      statement.type === 'ExpressionStatement' &&
      statement.expression.type === 'AssignmentExpression' &&
      statement.expression.left.type === 'Identifier' &&
      statement.expression.left.name === 'execute',
  );
}

function topLevelBindings(program: Program): TopLevelBinding[] {
  const bindings: TopLevelBinding[] = [];
  for (const statement of program.body) {
    if (statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') {
      bindings.push({ name: statement.id.name, id: statement.id, value: statement });
    } else if (statement.type === 'VariableDeclaration') {
      for (const declarator of statement.declarations) {
        if (declarator.id.type !== 'Identifier') continue;
        const value = declarator.init ?? null;
        bindings.push({ name: declarator.id.name, id: declarator.id, value });
      }
    }
  }
  return bindings;
}

function isFunctionNode(node: AnyNode): node is FunctionNode {
  return (
    node.type === 'FunctionDeclaration' ||
    node.type === 'FunctionExpression' ||
    node.type === 'ArrowFunctionExpression'
  );
}

// ---------------------------------------------------------------------------------------------
// Dependencies: which Fliplet namespaces the code touches

function checkDependencies(
  program: Program,
  dependencies: readonly string[],
): Pick<LintReport, 'errors' | 'warnings' | 'requiredPackages' | 'unusedPackages'> {
  const { uses, dynamic } = findNamespaceUses(program);
  const listed = new Set(dependencies);
  const required = new Set<string>();
  const errors: LintIssue[] = [];
  for (const use of uses) {
    const entry = findPackageByNamespace(use.namespace);
    // Other namespaces (Fliplet.App, Fliplet.Env, typos) come with the runtime or are not ours
    // to judge; they need no package.
    if (!entry || required.has(entry.name)) continue;
    required.add(entry.name);
    if (listed.has(entry.name)) continue;
    const message = `Fliplet.${entry.namespace} is used but ${entry.name} is not in dependencies`;
    const data = { package: entry.name, namespace: entry.namespace };
    errors.push(issue('missing-dependency', message, use.node, data));
  }
  const unusedPackages = [...listed]
    .filter((name) => findPackageByName(name) !== undefined && !required.has(name))
    .sort();
  const warnings = [
    ...dynamic.map((node) => dynamicWarning(node)),
    ...unusedPackages.map((name) => unusedWarning(name)),
  ];
  return { errors, warnings, requiredPackages: [...required].sort(), unusedPackages };
}

function dynamicWarning(node: AnyNode): LintIssue {
  const message =
    'Fliplet[...] with a computed name cannot be checked; list the package it needs in ' +
    'dependencies yourself';
  return issue('dynamic-namespace', message, node);
}

function unusedWarning(name: string): LintIssue {
  const namespace = findPackageByName(name)?.namespace ?? '';
  return {
    code: 'unused-dependency',
    message: `${name} is in dependencies but the code never uses Fliplet.${namespace}`,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    data: { package: name, namespace },
  };
}

/** Names under which scripts reach the global object, and so `Fliplet` (`window.Fliplet`). */
const globalObjectNames = new Set(['globalThis', 'window', 'self', 'global']);

/** A place where a pattern receives a value: declarations, assignments, parameter defaults. */
interface BindingSite {
  target: Pattern;
  value: Expression;
}

/**
 * Finds every `Fliplet.<Namespace>` the code reaches: member access (dot, bracket, optional),
 * destructuring (also nested, from `window`), aliases (`const F = Fliplet`) and `with`.
 * Only code counts: strings, comments and template text are not in the syntax tree.
 * Aliases are tracked by name, not by scope: a name that holds Fliplet anywhere counts
 * everywhere, which can only over-report a package, never miss one.
 */
function findNamespaceUses(program: Program): { uses: NamespaceUse[]; dynamic: AnyNode[] } {
  const sites = collectBindingSites(program);
  const aliases = collectAliases(sites);
  const isFliplet = (node: AnyNode): boolean => refersToFliplet(node, aliases);
  const uses: NamespaceUse[] = [];
  const dynamic: AnyNode[] = [];
  full(program, (node) => {
    if (node.type === 'MemberExpression' && isFliplet(node.object)) {
      const name = memberName(node);
      if (name === undefined) dynamic.push(node);
      else if (name !== null) uses.push({ namespace: name, node });
    } else if (node.type === 'WithStatement' && isFliplet(node.object)) {
      uses.push(...namesInside(node.body));
    }
  });
  for (const site of sites) {
    if (site.target.type !== 'ObjectPattern') continue;
    if (isFliplet(site.value)) uses.push(...destructuredNamespaces(site.target));
    else if (isGlobalObject(site.value)) uses.push(...flipletFromGlobal(site.target));
  }
  uses.sort((a, b) => a.node.start - b.node.start);
  return { uses, dynamic };
}

function collectBindingSites(program: Program): BindingSite[] {
  const sites: BindingSite[] = [];
  full(program, (node) => {
    if (node.type === 'VariableDeclarator' && node.init) {
      sites.push({ target: node.id, value: node.init });
    } else if (node.type === 'AssignmentExpression' && node.operator === '=') {
      sites.push({ target: node.left, value: node.right });
    } else if (node.type === 'AssignmentPattern') {
      sites.push({ target: node.left, value: node.right });
    }
  });
  return sites;
}

/** Names that hold Fliplet; repeated until stable so aliases of aliases are found. */
function collectAliases(sites: readonly BindingSite[]): Set<string> {
  const aliases = new Set<string>();
  let size = -1;
  while (aliases.size !== size) {
    size = aliases.size;
    for (const site of sites) {
      for (const name of aliasNames(site, aliases)) aliases.add(name);
    }
  }
  return aliases;
}

function aliasNames(site: BindingSite, aliases: ReadonlySet<string>): string[] {
  const { target, value } = site;
  if (refersToFliplet(value, aliases)) {
    if (target.type === 'Identifier') return [target.name];
    if (target.type !== 'ObjectPattern') return [];
    // `const { DataSources, ...rest } = Fliplet`: rest still holds the other namespaces.
    return target.properties.flatMap((p) =>
      p.type === 'RestElement' && p.argument.type === 'Identifier' ? [p.argument.name] : [],
    );
  }
  if (target.type === 'ObjectPattern' && isGlobalObject(value)) {
    return target.properties.flatMap((p) => {
      if (p.type !== 'Property' || propertyKeyName(p) !== 'Fliplet') return [];
      const inner = withoutDefault(p.value);
      return inner.type === 'Identifier' ? [inner.name] : [];
    });
  }
  return [];
}

function refersToFliplet(node: AnyNode, aliases: ReadonlySet<string>): boolean {
  switch (node.type) {
    case 'Identifier':
      return node.name === 'Fliplet' || aliases.has(node.name);
    case 'MemberExpression':
      return isGlobalObject(node.object) && memberName(node) === 'Fliplet';
    case 'ChainExpression':
      return refersToFliplet(node.expression, aliases);
    case 'LogicalExpression':
      return refersToFliplet(node.left, aliases) || refersToFliplet(node.right, aliases);
    case 'ConditionalExpression':
      return refersToFliplet(node.consequent, aliases) || refersToFliplet(node.alternate, aliases);
    case 'SequenceExpression': {
      const last = node.expressions[node.expressions.length - 1];
      return last !== undefined && refersToFliplet(last, aliases);
    }
    case 'AssignmentExpression':
      return refersToFliplet(node.right, aliases);
    default:
      return false;
  }
}

function isGlobalObject(node: AnyNode): boolean {
  return node.type === 'Identifier' && globalObjectNames.has(node.name);
}

function destructuredNamespaces(pattern: ObjectPattern): NamespaceUse[] {
  return pattern.properties.flatMap((property) => {
    if (property.type !== 'Property') return [];
    const name = propertyKeyName(property);
    return typeof name === 'string' ? [{ namespace: name, node: property.key }] : [];
  });
}

/** `const { Fliplet: { DataSources } } = window`. */
function flipletFromGlobal(pattern: ObjectPattern): NamespaceUse[] {
  return pattern.properties.flatMap((property) => {
    if (property.type !== 'Property' || propertyKeyName(property) !== 'Fliplet') return [];
    const inner = withoutDefault(property.value);
    return inner.type === 'ObjectPattern' ? destructuredNamespaces(inner) : [];
  });
}

/** `{ Fliplet: F = {} }` binds F like `{ Fliplet: F }`. */
function withoutDefault(pattern: Pattern): Pattern {
  return pattern.type === 'AssignmentPattern' ? pattern.left : pattern;
}

/** Inside `with (Fliplet) { ... }` a bare `DataSources` is `Fliplet.DataSources`. */
function namesInside(body: AnyNode): NamespaceUse[] {
  const uses: NamespaceUse[] = [];
  full(body, (node) => {
    if (node.type === 'Identifier' && findPackageByNamespace(node.name)) {
      uses.push({ namespace: node.name, node });
    }
  });
  return uses;
}

/**
 * The property name of a member access: a string when it is written out (`.DataSources`,
 * `['DataSources']`, a template without substitutions), undefined when it is computed at run
 * time, null for private names, which cannot be a namespace.
 */
function memberName(node: MemberExpression): string | null | undefined {
  if (node.property.type === 'PrivateIdentifier') return null;
  if (!node.computed) return node.property.type === 'Identifier' ? node.property.name : null;
  return staticString(node.property);
}

function propertyKeyName(property: Property | AssignmentProperty): string | null | undefined {
  if (!property.computed) {
    if (property.key.type === 'Identifier') return property.key.name;
    return property.key.type === 'Literal' ? String(property.key.value) : null;
  }
  return staticString(property.key);
}

function staticString(node: AnyNode): string | undefined {
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) {
    return node.quasis[0]?.value.cooked ?? undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Handlebars

/**
 * `{{ name }}`, `{{#if x}}`, `{{/if}}`, `{{{html}}}`: a name-like start, no braces, semicolons
 * or line breaks inside, so nested JavaScript blocks (`{{ return 1; }}`) do not match. Searched
 * in the raw source on purpose: the mistake is nearly always inside a string.
 */
const handlebarsPattern = /\{\{\{?[~#/^!>&]?\s*[A-Za-z_$@.][^{};\n\r]*?\}\}\}?/g;

function findHandlebars(code: string): LintIssue[] {
  return [...code.matchAll(handlebarsPattern)].map((match) => {
    const expression = match[0];
    const start = match.index;
    const inner = expression.replace(/^\{+[~#/^!>&]?\s*|\s*~?\}+$/g, '');
    const message =
      `Handlebars ${expression} is not evaluated in actions; use a template literal with ` +
      `backticks instead, e.g. \`\${${inner}}\``;
    return {
      code: 'handlebars',
      message,
      ...offsetSpan(code, start, start + expression.length),
      data: { expression },
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Positions

function issue(
  code: LintCode,
  message: string,
  node: AnyNode,
  data?: Record<string, string>,
): LintIssue {
  return { code, message, ...nodeSpan(node), ...(data ? { data } : {}) };
}

function nodeSpan(node: AnyNode): Span {
  const loc: SourceLocation | null | undefined = node.loc;
  if (!loc) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
  return {
    line: loc.start.line,
    column: loc.start.column + 1,
    endLine: loc.end.line,
    endColumn: loc.end.column + 1,
  };
}

function offsetSpan(code: string, start: number, end: number): Span {
  const from = getLineInfo(code, Math.min(start, code.length));
  const to = getLineInfo(code, Math.min(end, code.length));
  return { line: from.line, column: from.column + 1, endLine: to.line, endColumn: to.column + 1 };
}

function byPosition(a: LintIssue, b: LintIssue): number {
  return a.line - b.line || a.column - b.column;
}
