import { tokenizer, tokTypes, type Token } from 'acorn';

/**
 * Code edits behind the editor's quick fixes, on plain offsets so they are independent of
 * Monaco (the editor converts them to positions through its model).
 */
export interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

/** `{{ name }}`, `{{ payload.name }}`, `{{{ html }}}`: a plain path, the only form we rewrite. */
const simpleHandlebars = /\{\{\{?\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*\}\}\}?/g;

/**
 * The edit turning the Handlebars expression at `offset` into a template literal substitution.
 * In a quoted string the whole string becomes a template literal (with every plain expression
 * in it converted); inside a template literal only the expression changes. Block helpers
 * (`{{#if}}`), comments and code that cannot be tokenized get no fix: there is no faithful
 * rewrite for them.
 */
export function handlebarsFix(code: string, offset: number): OffsetEdit | null {
  const token = tokenAt(code, offset);
  if (!token) return null;
  if (token.type === tokTypes.string) return stringToTemplate(code, token);
  if (token.type === tokTypes.template) return substitutionAt(code, offset);
  return null;
}

function tokenAt(code: string, offset: number): Token | null {
  try {
    for (const token of tokenizer(code, { ecmaVersion: 'latest', allowHashBang: true })) {
      if (token.start > offset) return null;
      if (offset < token.end) return token;
    }
  } catch {
    // Code that stops tokenizing before the offset: no reliable context, so no fix.
  }
  return null;
}

function stringToTemplate(code: string, token: Token): OffsetEdit | null {
  const body = code.slice(token.start + 1, token.end - 1);
  let text = '';
  let last = 0;
  let converted = 0;
  for (const match of body.matchAll(simpleHandlebars)) {
    text += escapeForTemplate(body.slice(last, match.index)) + `\${${match[1] ?? ''}}`;
    last = match.index + match[0].length;
    converted += 1;
  }
  if (converted === 0) return null;
  text += escapeForTemplate(body.slice(last));
  return { start: token.start, end: token.end, text: `\`${text}\`` };
}

/** Backticks and `${` mean something in a template literal; in the old string they did not. */
function escapeForTemplate(raw: string): string {
  return raw.replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

function substitutionAt(code: string, offset: number): OffsetEdit | null {
  for (const match of code.matchAll(simpleHandlebars)) {
    const end = match.index + match[0].length;
    if (match.index <= offset && offset < end) {
      return { start: match.index, end, text: `\${${match[1] ?? ''}}` };
    }
    if (match.index > offset) break;
  }
  return null;
}

/** Finds the line that declares execute, for the "type context" fix. */
const executeDeclaration =
  /^[ \t]*(?:async[ \t]+function[ \t]*\*?[ \t]*execute\b|(?:const|let|var)[ \t]+execute\b)/m;

/** JSDoc naming the type the editor's definitions declare for execute's parameter. */
export const CONTEXT_TYPE_HINT = '/** @param {ActionContext} context */';

/**
 * The edit adding `@param {ActionContext} context` above execute, so completion knows what
 * `context.payload` holds; null when execute is not found or the code already names the type.
 */
export function contextTypeHintFix(code: string): OffsetEdit | null {
  if (code.includes('ActionContext')) return null;
  const match = executeDeclaration.exec(code);
  if (!match) return null;
  const indent = /^[ \t]*/.exec(match[0])?.[0] ?? '';
  return { start: match.index, end: match.index, text: `${indent}${CONTEXT_TYPE_HINT}\n` };
}

/** The offset range of the execute declaration's line, where the type hint is offered. */
export function executeLineRange(code: string): { start: number; end: number } | null {
  const match = executeDeclaration.exec(code);
  if (!match) return null;
  const lineEnd = code.indexOf('\n', match.index);
  return { start: match.index, end: lineEnd === -1 ? code.length : lineEnd };
}
