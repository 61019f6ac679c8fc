import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { PERMISSION_SETS, ROLE_BUNDLES, ROUTE_ACTIONS, type RouteRights } from '../../src/core/iam/index.js';
import { startServer, type TestServer } from '../helpers/server.js';

const ALL_SETS = [...PERMISSION_SETS, ...ROLE_BUNDLES];

type Principal = { name: string; secretKey: string | null; actions: ReadonlySet<string> | 'unauthenticated' };

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** What a permitted call sends; refused calls send the same. */
const bodyFor = (route: RouteRights, organizationId: string, projectId: string): unknown => {
  const key = `${route.method} ${route.path.split('/').slice(-1)[0] ?? ''}`;
  switch (key) {
    case 'POST webhooks':
      // Nothing listens there: deliveries to it fail and are retried, which the matrix does not look at.
      return { url: 'http://127.0.0.1:9/matrix', event_types: ['secret.created'] };
    case 'POST secrets':
      return { name: `matrix-${randomUUID().slice(0, 8)}`, project_id: projectId };
    case 'PATCH {secret}':
      return { description: 'changed' };
    case 'POST versions':
      return { data: b64('{"a":"b"}') };
    case 'POST {key}':
      return route.path.includes('/delete/') ? { versions: [1] } : { data: { a: 1 } };
    case 'PUT {version}':
      return { state: 'deactivated' };
    case 'POST projects':
      return { name: 'matrix', organization_id: organizationId };
    case 'POST applications':
    case 'POST groups':
      return { name: 'matrix', organization_id: organizationId };
    case 'PATCH {project}':
      return { description: 'matrix' };
    case 'PUT deactivate-version-after':
      return { deactivate_version_after: '720h' };
    case 'PUT rotation-policy':
      return { interval: '24h', generator: { kind: 'password', key: 'password' } };
    case 'POST rotate':
      return { generator: { kind: 'password', key: 'password' } };
    default:
      return route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
  }
};

/** Every route of ROUTE_ACTIONS × every permission set, no key, an expired key and a deleted key. */
describe('authorization matrix: routes × permission sets', () => {
  let server: TestServer;
  const principals: Principal[] = [];
  let okms = '';

  const call = async (method: string, path: string, token: string | null, body?: unknown) => {
    const headers: Record<string, string> = token === null ? {} : { 'x-auth-token': token, 'x-vault-token': token };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(`${server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, requestId: response.headers.get('x-request-id') ?? '', json: (await response.json().catch(() => null)) as Record<string, unknown> | null };
  };
  const admin = (method: string, path: string, body?: unknown) => call(method, path, server.secretKey, body);

  const keyFor = async (name: string, permissionSetNames: string[], expiresAt?: string): Promise<string> => {
    const application = await admin('POST', '/iam/v1alpha1/applications', { name, organization_id: server.organizationId });
    const applicationId = String(application.json?.id);
    if (permissionSetNames.length > 0) {
      const policy = await admin('POST', '/iam/v1alpha1/policies', {
        name,
        organization_id: server.organizationId,
        application_id: applicationId,
        rules: [{ permission_set_names: permissionSetNames, organization_id: server.organizationId }],
      });
      assert.equal(policy.status, 200, JSON.stringify(policy.json));
    }
    const key = await admin('POST', '/iam/v1alpha1/api-keys', { application_id: applicationId, ...(expiresAt ? { expires_at: expiresAt } : {}) });
    assert.equal(key.status, 200, JSON.stringify(key.json));
    return String(key.json?.secret_key);
  };

  /** A user's key, holding what a policy on a group the user belongs to grants. */
  const userInGroup = async (permissionSetNames: string[]): Promise<Principal> => {
    const user = await admin('POST', '/iam/v1alpha1/users', { organization_id: server.organizationId, email: `matrix-${randomUUID().slice(0, 8)}@example.com` });
    const group = await admin('POST', '/iam/v1alpha1/groups', { organization_id: server.organizationId, name: 'matrix-group' });
    await admin('POST', `/iam/v1alpha1/groups/${String(group.json?.id)}/add-member`, { user_id: user.json?.id });
    await admin('POST', '/iam/v1alpha1/policies', {
      name: 'matrix-group',
      organization_id: server.organizationId,
      group_id: group.json?.id,
      rules: [{ permission_set_names: permissionSetNames, organization_id: server.organizationId }],
    });
    const key = await admin('POST', '/iam/v1alpha1/api-keys', { user_id: user.json?.id });
    assert.equal(key.status, 200, JSON.stringify(key.json));
    const actions = new Set(ALL_SETS.filter((set) => permissionSetNames.includes(set.name)).flatMap((set) => set.actions));
    return { name: `user in a group with ${permissionSetNames.join('+')}`, secretKey: String(key.json?.secret_key), actions };
  };

  before(async () => {
    // The test clock's route exists only on a server running on it.
    server = await startServer({ env: { COFFER_TEST_CLOCK: 'on' } });
    const domain = await admin('POST', '/coffer/v1/domains', { region: 'fr-par' });
    okms = String(domain.json?.id);
    for (const set of ALL_SETS) {
      principals.push({ name: set.name, secretKey: await keyFor(set.name, [set.name]), actions: new Set(set.actions) });
    }
    principals.push({ name: 'no policy', secretKey: await keyFor('none', []), actions: new Set() });
    principals.push(await userInGroup(['SecretManagerReadOnly', 'IAMReadOnly']));
    principals.push({ name: 'no key', secretKey: null, actions: 'unauthenticated' });
    const expiring = await keyFor('expiring', ['SecretManagerFullAccess'], new Date(Date.now() + 1500).toISOString());
    const deleted = await keyFor('deleted', ['SecretManagerFullAccess']);
    const keys = await admin('GET', '/iam/v1alpha1/api-keys');
    const deletedAccessKey = (keys.json?.api_keys as { access_key: string; application_id?: string }[]).at(-1)?.access_key ?? '';
    assert.equal((await admin('DELETE', `/iam/v1alpha1/api-keys/${deletedAccessKey}`)).status, 204);
    await sleep(1600);
    principals.push({ name: 'expired key', secretKey: expiring, actions: 'unauthenticated' });
    principals.push({ name: 'deleted key', secretKey: deleted, actions: 'unauthenticated' });
  });
  after(async () => server.stop());

  const prepare = async (route: RouteRights): Promise<Record<string, string>> => {
    const name = `m-${randomUUID().slice(0, 8)}`;
    const created = await admin('POST', '/secret-manager/v1beta1/regions/fr-par/secrets', { name, project_id: server.projectId, type: 'key_value' });
    const secret = String(created.json?.id);
    await admin('POST', `/secret-manager/v1beta1/regions/fr-par/secrets/${secret}/versions`, { data: b64('{"user":"u"}') });
    if (route.path.endsWith('/restore')) {
      await admin('POST', `/coffer/v1/regions/fr-par/secrets/${secret}/schedule-deletion`, {});
    }
    return { secret, key: name, version: '1', project: server.projectId, okms };
  };

  /** Every matrix call, to check afterwards that the audit trail holds exactly one event for each. */
  const calls: { requestId: string; route: RouteRights; status: number; authenticated: boolean }[] = [];

  it(`allows exactly what the table and the permission sets say (${ROUTE_ACTIONS.length} routes × ${ALL_SETS.length + 5} principals)`, async () => {
    const mismatches: string[] = [];
    for (const route of ROUTE_ACTIONS) {
      for (const principal of principals) {
        const values = await prepare(route);
        const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
        const answer = await call(route.method, path, principal.secretKey, bodyFor(route, server.organizationId, server.projectId));
        const expected =
          principal.actions === 'unauthenticated'
            ? route.api === 'vault'
              ? 403
              : 401
            : route.actions.every((action) => principal.actions !== 'unauthenticated' && principal.actions.has(action))
              ? 'allowed'
              : 403;
        calls.push({ requestId: answer.requestId, route, status: answer.status, authenticated: principal.actions !== 'unauthenticated' });
        const ok = expected === 'allowed' ? answer.status >= 200 && answer.status < 300 : answer.status === expected;
        if (!ok) {
          mismatches.push(`${route.method} ${route.path} as ${principal.name}: expected ${expected}, got ${answer.status} ${JSON.stringify(answer.json).slice(0, 160)}`);
        }
        if (answer.status === 403 && route.api !== 'vault' && route.api !== 'ovh') {
          assert.equal(answer.json?.type, 'permissions_denied', `${route.method} ${route.path}`);
        }
        if (answer.status === 403 && route.api === 'ovh') {
          assert.ok(Array.isArray(answer.json?.errors), `OVHcloud ErrorResponse for ${route.path}`);
        }
      }
    }
    assert.deepEqual(mismatches, []);
  });

  it('records every one of those calls in the audit trail exactly once, with its route, status and caller', async () => {
    const response = await fetch(`${server.url}/coffer/v1/audit/export`, { headers: { 'x-auth-token': server.secretKey } });
    const events = (await response.text())
      .split('\n')
      .filter((line) => line.startsWith('{"type":"event"'))
      .map((line) => JSON.parse(line) as { requestId: string; api: string; operation: string; status: number; actorAccessKey: string | null; action: string | null });
    const byRequest = new Map<string, typeof events>();
    for (const event of events) {
      byRequest.set(event.requestId, [...(byRequest.get(event.requestId) ?? []), event]);
    }
    assert.ok(calls.length >= ROUTE_ACTIONS.length * (ALL_SETS.length + 5));
    const wrong: string[] = [];
    for (const call of calls) {
      const found = byRequest.get(call.requestId) ?? [];
      const [event] = found;
      const apiMatches = event?.api === (call.route.api === 'account' ? 'account' : call.route.api);
      const actionMatches = call.status !== 200 || call.route.actions.includes(event?.action as never);
      if (found.length !== 1 || !event || event.status !== call.status || !apiMatches || !event.operation.startsWith(call.route.method) || (event.actorAccessKey !== null) !== call.authenticated || !actionMatches) {
        wrong.push(`${call.route.method} ${call.route.path} (${call.requestId}): ${found.length} events ${JSON.stringify(event ?? null).slice(0, 200)}`);
      }
    }
    assert.deepEqual(wrong.slice(0, 5), []);
  });
});
