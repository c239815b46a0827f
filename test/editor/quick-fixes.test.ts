import { describe, expect, it } from 'vitest';

import {
  CONTEXT_TYPE_HINT,
  contextTypeHintFix,
  executeLineRange,
  handlebarsFix,
  type OffsetEdit,
} from '@/components/quickFixes';
import { lintActionCode } from '@/server/actions/lint';

function apply(code: string, edit: OffsetEdit | null): string {
  if (!edit) throw new Error('expected a fix');
  return code.slice(0, edit.start) + edit.text + code.slice(edit.end);
}

function fixFirstHandlebars(code: string): string {
  const offset = code.indexOf('{{');
  return apply(code, handlebarsFix(code, offset + 1));
}

describe('[QUICK FIX]: Handlebars to a template literal', () => {
  it('turns the whole string into a template literal', () => {
    const code =
      "async function execute(context) {\n  return 'Hi {{ name }}, see {{ place.city }}';\n}";
    const fixed = fixFirstHandlebars(code);
    expect(fixed).toContain('return `Hi ${name}, see ${place.city}`;');
    expect(lintActionCode(fixed, []).warnings).toEqual([]);
  });

  it('escapes what means something in a template literal', () => {
    const code = 'const s = "a `b` ${c} {{ d }}";';
    expect(fixFirstHandlebars(code)).toBe('const s = `a \\`b\\` \\${c} ${d}`;');
  });

  it('keeps escaped quotes working', () => {
    const code = "const s = 'it\\'s {{ x }}';";
    const fixed = fixFirstHandlebars(code);
    expect(fixed).toBe("const s = `it\\'s ${x}`;");
    expect(new Function('x', `${fixed} return s;`)('ok')).toBe("it's ok");
  });

  it('inside a template literal only the expression changes', () => {
    const code = 'const s = `${a} and {{ b }}`;';
    expect(fixFirstHandlebars(code)).toBe('const s = `${a} and ${b}`;');
  });

  it('offers nothing for block helpers, comments or code that does not tokenize', () => {
    const cases = [
      "const s = '{{#if x}}yes{{/if}}';",
      '// {{ name }}\nconst a = 1;',
      "const s = '{{ name }}'; const t = 'unterminated",
    ];
    const [block, comment, broken] = cases;
    expect(handlebarsFix(block ?? '', 12)).toBeNull();
    expect(handlebarsFix(comment ?? '', 4)).toBeNull();
    expect(handlebarsFix(broken ?? '', (broken ?? '').lastIndexOf('unterminated'))).toBeNull();
  });
});

describe('[QUICK FIX]: typing context', () => {
  it('adds the JSDoc line above execute, indented like it', () => {
    const code = '// helper\n  async function execute(context) {\n  return 1;\n}\n';
    const fixed = apply(code, contextTypeHintFix(code));
    const header = '  async function execute(context) {\n  return 1;\n}\n';
    expect(fixed).toBe(`// helper\n  ${CONTEXT_TYPE_HINT}\n${header}`);
  });

  it('works for arrow functions and finds the declaration line', () => {
    const code = 'const execute = async (context) => 1;\n';
    expect(apply(code, contextTypeHintFix(code))).toBe(`${CONTEXT_TYPE_HINT}\n${code}`);
    expect(executeLineRange(code)).toEqual({ start: 0, end: code.indexOf('\n') });
  });

  it('is not offered twice or without execute', () => {
    const typed = `${CONTEXT_TYPE_HINT}\nasync function execute(context) {}`;
    expect(contextTypeHintFix(typed)).toBeNull();
    expect(contextTypeHintFix('async function run(context) {}')).toBeNull();
  });
});
