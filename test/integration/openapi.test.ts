/**
 * The OpenAPI document against the server: every route in routes.ts is described, every
 * described operation is a live route, every product code is listed with its HTTP status, and
 * the document hangs together (references resolve, path parameters match their templates).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { apiOperations, openApiDocument } from '../../server/api/openapi';
import { handleRest } from '../../server/api/rest/handler';
import { db } from '../../server/db/client';
import { errorStatuses, type ErrorStatus } from '../../server/errors';
import { createTestDatabase, type TestDatabase } from '../harness';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
});

afterAll(async () => {
  await db().$client.end();
  await database?.drop();
});

/** The routes as routes.ts declares them, read from its source: `GET /v3/apps/{appId}/…`. */
async function declaredRoutes(): Promise<string[]> {
  const source = await readFile(path.resolve('server', 'api', 'rest', 'routes.ts'), 'utf8');
  // Path constants (`const base = '…'`, `const entries = \`${sources}/…\``), expanded in order.
  const constants = new Map<string, string>();
  const declarations = source.matchAll(/^const (\w+) = ['`]((?:\/v3|\$\{\w+\})[^'`]*)['`];/gm);
  for (const [, name = '', value = ''] of declarations) {
    constants.set(name, expandNames(value, constants));
  }
  if (!constants.has('base')) throw new Error('routes.ts no longer declares `const base`');
  const calls = source.match(/^route\(/gm) ?? [];
  const expand = (template: string) =>
    /^\w+$/.test(template)
      ? (constants.get(template) ?? template)
      : expandNames(template.replace(/['`]/g, ''), constants);
  const app = [...source.matchAll(/^route\('(\w+)', ('[^']*'|\w+|`[^`]*`),/gm)].map(
    ([, method, template = '']) => `${method} ${expand(template)}`,
  );
  // A route written in a shape this reader does not know must fail the test, not vanish.
  if (app.length !== calls.length) {
    throw new Error('routes.ts has a route() call this test cannot read');
  }
  const open = [
    ...source.matchAll(/method === '(\w+)' && ctx\.url\.pathname === '([^']+)'/g),
  ].map(([, method, route]) => `${method} ${route}`);
  return [...app, ...open].map((route) => route.replace(/:(\w+)/g, '{$1}'));
}

function expandNames(template: string, constants: Map<string, string>): string {
  return template.replace(/\$\{(\w+)\}/g, (whole, name: string) => constants.get(name) ?? whole);
}

function documentedRoutes(): string[] {
  return apiOperations.map((o) => `${o.method.toUpperCase()} ${o.path}`);
}

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function child(node: unknown, key: string): unknown {
  return isNode(node) ? node[key] : undefined;
}

describe('OpenAPI document', () => {
  const doc = openApiDocument();

  it('describes every route routes.ts declares, and nothing else', async () => {
    const declared = await declaredRoutes();
    expect(declared.length).toBeGreaterThanOrEqual(12);
    expect([...documentedRoutes()].sort()).toEqual([...declared].sort());
  });

  it('describes only routes the server answers', async () => {
    for (const op of apiOperations) {
      const url = `http://localhost${op.path.replace('{appId}', '1').replace(/\{\w+\}/g, '7')}`;
      const response = await handleRest(new Request(url, { method: op.method.toUpperCase() }));
      const { status } = (await response.json()) as { status?: string };
      // Without a token an app route that exists refuses the caller; a public one just answers.
      expect({ route: `${op.method} ${op.path}`, status: status ?? 'answered' }).toEqual({
        route: `${op.method} ${op.path}`,
        status: op.budget ? 'UNAUTHORIZED' : expect.not.stringMatching(/^NOT_FOUND$/),
      });
    }
  });

  it('lists every product code with its HTTP status', () => {
    const schemas = child(child(doc, 'components'), 'schemas');
    const errorCode = child(schemas, 'ErrorCode');
    expect(child(errorCode, 'enum')).toEqual(Object.keys(errorStatuses));
    expect(child(errorCode, 'x-http-status')).toEqual(errorStatuses);
    const text = JSON.stringify(doc);
    for (const code of Object.keys(errorStatuses)) expect(text).toContain(`"${code}"`);
  });

  it('answers each operation\'s codes under their own HTTP status', () => {
    const ids = apiOperations.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const op of apiOperations) {
      const responses = child(child(child(child(doc, 'paths'), op.path), op.method), 'responses');
      const expected = new Map<string, ErrorStatus[]>();
      for (const code of new Set(op.errors)) {
        const http = String(errorStatuses[code]);
        expected.set(http, [...(expected.get(http) ?? []), code]);
      }
      expect(Object.keys(isNode(responses) ? responses : {}).sort()).toEqual(
        [String(op.success.status), ...expected.keys()].sort(),
      );
      for (const [http, codes] of expected) {
        const schema = child(child(child(child(responses, http), 'content'), 'application/json'),
          'schema');
        const allOf = child(schema, 'allOf');
        const narrowed = Array.isArray(allOf) ? allOf[1] : undefined;
        expect(child(child(child(narrowed, 'properties'), 'status'), 'enum')).toEqual(codes);
      }
    }
  });

  it('puts Retry-After on every 429 and the rate-limit budget on every app route', () => {
    for (const op of apiOperations) {
      const operation = child(child(child(doc, 'paths'), op.path), op.method);
      const limited = child(child(operation, 'responses'), '429');
      if (op.budget) {
        expect(child(operation, 'x-rate-limit-budget')).toBe(op.budget);
        expect(child(child(limited, 'headers'), 'Retry-After')).toBeDefined();
      } else {
        expect(limited).toBeUndefined();
        expect(child(operation, 'security')).toEqual([]);
      }
    }
  });

  it('declares each path parameter its template uses, and only those', () => {
    for (const op of apiOperations) {
      const inPath = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name);
      const declared = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
      expect({ path: op.path, params: declared }).toEqual({ path: op.path, params: inPath });
    }
  });

  it('resolves every $ref', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/([^"]+)"/g)].map(([, ref]) => ref);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const target = (ref ?? '').split('/').reduce<unknown>((node, key) => child(node, key), doc);
      expect({ ref, found: target !== undefined }).toEqual({ ref, found: true });
    }
  });

  it('is served at GET /v3/openapi.json without a token', async () => {
    const response = await handleRest(new Request('http://localhost/v3/openapi.json'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(await response.json()).toEqual(doc);
  });
});

describe('docs/api.md', () => {
  it('lists every product code with its HTTP status, and every route', async () => {
    const text = await readFile(path.resolve('docs', 'api.md'), 'utf8');
    for (const [code, http] of Object.entries(errorStatuses)) {
      const row = text.includes(`| \`${code}\` | ${http} |`);
      expect({ code, row }).toEqual({ code, row: true });
    }
    for (const op of apiOperations) {
      const route = `${op.method.toUpperCase()} ${op.path.replace(/\{(\w+)\}/g, ':$1')}`;
      expect({ route, found: text.includes(route) }).toEqual({ route, found: true });
    }
  });
});
