import { randomUUID } from 'node:crypto';

/** The body of a valid new action: a unique name, runnable on demand on the server. */
export function createActionFields(): Record<string, unknown> {
  return {
    name: `a-${randomUUID().slice(0, 8)}`,
    code: 'async function execute(context) {\n  return { ok: true };\n}\n',
    active: true,
    triggers: [{ trigger: 'manual' }],
  };
}
