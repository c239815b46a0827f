/**
 * Splits a stack trace into text and positions in the action's own file (`action.js:LINE:COL`,
 * as the runner names the script), so those can be links that move the editor's cursor.
 */
export type StackPart =
  | { kind: 'text'; text: string }
  | { kind: 'position'; text: string; line: number; column: number };

const actionPosition = /action\.js:(\d+):(\d+)/g;

export function stackParts(stack: string): StackPart[] {
  const parts: StackPart[] = [];
  let last = 0;
  for (const match of stack.matchAll(actionPosition)) {
    if (match.index > last) parts.push({ kind: 'text', text: stack.slice(last, match.index) });
    parts.push({
      kind: 'position',
      text: match[0],
      line: Number(match[1]),
      column: Number(match[2]),
    });
    last = match.index + match[0].length;
  }
  if (last < stack.length) parts.push({ kind: 'text', text: stack.slice(last) });
  return parts;
}
