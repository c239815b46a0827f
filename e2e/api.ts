import { adminCredentials, cookieHeader, sessionFor, type Credentials } from './session';

/**
 * Direct calls to the admin tRPC endpoint (no batching, no transformer), so tests can find
 * seeded data and put it back without clicking through the UI. They are signed in as the
 * seeded admin unless `as` names someone else, and send the header tRPC mutations need.
 */
export async function trpcQuery<T>(
  baseUrl: string,
  path: string,
  input: unknown,
  as: Credentials = adminCredentials(),
): Promise<T> {
  const url = `${baseUrl}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`;
  return unwrap<T>(await fetch(url, { headers: await signedIn(baseUrl, as) }), path);
}

export async function trpcMutation<T>(
  baseUrl: string,
  path: string,
  input: unknown,
  as: Credentials = adminCredentials(),
): Promise<T> {
  const response = await fetch(`${baseUrl}/api/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await signedIn(baseUrl, as)) },
    body: JSON.stringify(input),
  });
  return unwrap<T>(response, path);
}

async function signedIn(baseUrl: string, as: Credentials): Promise<Record<string, string>> {
  const cookie = await sessionFor(baseUrl, as);
  return { cookie: cookieHeader(cookie), 'x-app-actions-csrf': '1' };
}

async function unwrap<T>(response: Response, path: string): Promise<T> {
  const body = (await response.json()) as { result?: { data: T }; error?: unknown };
  if (!response.ok || !body.result) {
    throw new Error(`tRPC ${path} failed (${response.status}): ${JSON.stringify(body.error)}`);
  }
  return body.result.data;
}

export interface ActionFields {
  id: number;
  name: string;
  code: string;
  active: boolean;
  environment: string;
  triggers: unknown[];
  dependencies: string[];
  frequency: string | null;
  timezone: string | null;
}

export async function findAction(baseUrl: string, appId: number, name: string) {
  const list = await trpcQuery<{ actions: ActionFields[] }>(baseUrl, 'actions.list', {
    appId,
    limit: 100,
  });
  const action = list.actions.find((candidate) => candidate.name === name);
  if (!action) throw new Error(`app ${appId} has no action named ${name}; is the demo seeded?`);
  return action;
}

/** Puts an action's editable fields back as they were before a test changed them. */
export async function restoreAction(baseUrl: string, appId: number, action: ActionFields) {
  const { id, ...fields } = action;
  await trpcMutation(baseUrl, 'actions.update', {
    appId,
    id,
    data: {
      name: fields.name,
      code: fields.code,
      active: fields.active,
      environment: fields.environment,
      triggers: fields.triggers,
      dependencies: fields.dependencies,
      frequency: fields.frequency,
      timezone: fields.timezone,
    },
  });
}
