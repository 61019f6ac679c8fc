import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}
interface CallOptions {
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  token?: string | null;
}

/** A value every payload below carries: no error may echo it. */
const CANARY = `canary-${randomUUID()}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The category OVHcloud's Go SDK reads from bits 12–15 of `error_code`, per status. */
const CATEGORY_OF_STATUS: Record<number, number> = { 400: 8, 401: 3, 403: 4, 404: 5, 405: 8, 409: 10, 413: 8 };

/** Bad input to the regional REST API: each is a 4xx in OVHcloud's ErrorResponse shape, and nothing is written. */
describe('OVHcloud Secret Manager REST API: bad input', () => {
  let server: TestServer;
  let okmsId: string;

  const call = async (method: string, path: string, options: CallOptions = {}): Promise<Answer> => {
    const token = options.token === undefined ? server.secretKey : options.token;
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...(token === null ? {} : { 'x-auth-token': token }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: text === '' ? null : JSON.parse(text) };
  };
  const api = (path: string) => `/api/${okmsId}/v2${path}`;

  /** OVHcloud's ErrorResponse, with the request id of the response and no secret in it. */
  const assertError = (answer: Answer, status: number, label: string) => {
    assert.equal(answer.status, status, `${label}: ${answer.text}`);
    assert.equal(answer.headers.get('content-type'), 'application/json', label);
    const body = answer.json as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['error_code', 'error_id', 'errors', 'request_id'], label);
    assert.match(String(body.error_id), UUID, label);
    const code = Number(body.error_code);
    assert.ok(Number.isInteger(code) && code > 0 && code < 2 ** 31, `${label}: error_code ${String(body.error_code)}`);
    // System REST (3), component Secrets API (4), then the category of the status.
    assert.deepEqual([code >>> 24, (code >>> 16) & 0xff, (code >>> 12) & 0xf], [3, 4, CATEGORY_OF_STATUS[status]], label);
    assert.ok(Array.isArray(body.errors) && body.errors.length > 0 && body.errors.every((message) => typeof message === 'string'), label);
    assert.equal(body.request_id, answer.headers.get('x-request-id'), label);
    assert.ok(!answer.text.includes(CANARY) && !answer.text.includes(server.secretKey), `${label}: the error echoes a secret`);
  };
  const assertAbsent = async (path: string) => {
    const read = await call('GET', api(`/secret/${encodeURIComponent(path)}`));
    assert.ok(read.status === 404 || read.status === 400, `${path} exists after a refused call: ${read.status}`);
  };
  const stateOf = async (path: string) => {
    const read = await call('GET', api(`/secret/${path}?includeData=true`));
    assert.equal(read.status, 200, read.text);
    const secret = read.json as { metadata: Record<string, unknown>; version: { id: number; state: string; data?: unknown } };
    return { metadata: secret.metadata, version: secret.version };
  };

  before(async () => {
    server = await startServer();
    const domain = await call('POST', '/coffer/v1/domains', { body: { region: 'fr-par' } });
    assert.equal(domain.status, 200, domain.text);
    okmsId = String((domain.json as { id: string }).id);
    const created = await call('POST', api('/secret'), { body: { path: 'kept/one', version: { data: { token: CANARY } } } });
    assert.equal(created.status, 200, created.text);
  });
  after(async () => server.stop());

  it('refuses data that is not a JSON object, everywhere data is written', async () => {
    const before = await stateOf('kept/one');
    for (const data of [[CANARY], CANARY, 42, null, true]) {
      const label = JSON.stringify(data);
      assertError(await call('POST', api('/secret'), { body: { path: 'bad/data', version: { data } } }), 400, `create ${label}`);
      assertError(await call('POST', api('/secret/kept/one/version'), { body: { data } }), 400, `version ${label}`);
      assertError(await call('PUT', api('/secret/kept/one'), { body: { version: { data } } }), 400, `update ${label}`);
    }
    for (const body of [{ path: 'bad/data' }, { path: 'bad/data', version: {} }, { path: 'bad/data', version: CANARY }, [CANARY], CANARY]) {
      assertError(await call('POST', api('/secret'), { body }), 400, `create ${JSON.stringify(body)}`);
    }
    assertError(await call('POST', api('/secret'), { body: { path: 'bad/data', version: { data: { big: 'x'.repeat(70_000) } } } }), 400, 'data over 64 KiB');
    assertError(await call('POST', api('/secret'), { rawBody: JSON.stringify({ path: 'bad/data', version: { data: { big: 'x'.repeat(1_100_000) } } }) }), 413, 'body over 1 MiB');
    await assertAbsent('bad/data');
    assert.deepEqual(await stateOf('kept/one'), before);
  });

  it('refuses invalid JSON, an empty body and bodies that are not objects', async () => {
    for (const rawBody of ['{"path": "bad/json", "version": {"data": {"a": "', 'not json', '']) {
      assertError(await call('POST', api('/secret'), { rawBody }), 400, `create ${JSON.stringify(rawBody)}`);
    }
    assertError(await call('PUT', api('/secret/kept/one/version/1'), { rawBody: '{"state": ' }), 400, 'state body');
    assertError(await call('PUT', api('/secretConfig'), { rawBody: '[1, 2]' }), 400, 'config body');
    await assertAbsent('bad/json');
  });

  it('refuses paths outside OVHcloud alphabet, too long, or with empty or dot segments', async () => {
    const paths = ['a b', 'é', 'a?b', 'a%2Fb', 'a\\b', '/lead', 'trail/', 'a//b', 'a/../b', '..', '', 'x'.repeat(256), 7];
    for (const path of paths) {
      assertError(await call('POST', api('/secret'), { body: { path, version: { data: { token: CANARY } } } }), 400, `path ${JSON.stringify(path)}`);
    }
    const listed = await call('GET', api('/secret'));
    assert.deepEqual((listed.json as { path: string }[]).map((secret) => secret.path), ['kept/one']);
  });

  it('answers 404 for an unknown okmsId, whatever the route', async () => {
    for (const id of [randomUUID(), 'not-an-okms-id']) {
      const base = `/api/${id}/v2`;
      assertError(await call('GET', `${base}/secret`), 404, `${id} list`);
      assertError(await call('POST', `${base}/secret`, { body: { path: 'x/y', version: { data: { token: CANARY } } } }), 404, `${id} create`);
      assertError(await call('GET', `${base}/secret/kept/one?includeData=true`), 404, `${id} read`);
      assertError(await call('PUT', `${base}/secret/kept/one/version/1`, { body: { state: 'deleted' } }), 404, `${id} state`);
      assertError(await call('GET', `${base}/secretConfig`), 404, `${id} config`);
    }
    assert.equal((await stateOf('kept/one')).version.state, 'active');
  });

  it('answers 401 without a valid token, before anything else', async () => {
    for (const token of [null, 'not-a-token', randomUUID()]) {
      assertError(await call('GET', api('/secret/kept/one?includeData=true'), { token }), 401, `token ${String(token)}`);
      assertError(await call('POST', api('/secret'), { token, body: { path: 'anon/x', version: { data: { token: CANARY } } } }), 401, 'create');
    }
    await assertAbsent('anon/x');
  });

  it('refuses unknown version states and leaves the version as it was', async () => {
    for (const body of [{ state: 'destroyed' }, { state: 'enabled' }, { state: '' }, { state: 1 }, { state: null }, {}]) {
      assertError(await call('PUT', api('/secret/kept/one/version/1'), { body }), 400, JSON.stringify(body));
    }
    assertError(await call('PUT', api('/secret/kept/one/version/2'), { body: { state: 'deleted' } }), 404, 'missing version');
    const { version } = await stateOf('kept/one');
    assert.equal(version.state, 'active');
    assert.deepEqual(version.data, { token: CANARY });
  });

  it('refuses a stale cas with 409, a malformed one with 400, and writes nothing', async () => {
    const before = await stateOf('kept/one');
    assertError(await call('POST', api('/secret/kept/one/version?cas=0'), { body: { data: { token: CANARY } } }), 409, 'stale cas on version');
    assertError(await call('PUT', api('/secret/kept/one?cas=3'), { body: { version: { data: { token: CANARY } }, metadata: { maxVersions: 2 } } }), 409, 'stale cas on update');
    assertError(await call('PUT', api('/secret/kept/one?cas=3'), { body: { metadata: { maxVersions: 2 } } }), 409, 'stale cas on metadata');
    for (const cas of ['abc', '-1', '1.5', '24001', '1&cas=1']) {
      assertError(await call('POST', api(`/secret/kept/one/version?cas=${cas}`), { body: { data: { token: CANARY } } }), 400, `cas ${cas}`);
    }
    assert.deepEqual(await stateOf('kept/one'), before);
  });

  it('refuses malformed version numbers and includeData values', async () => {
    for (const query of ['version=0', 'version=abc', 'version=24001', 'version=-1', 'includeData=maybe', 'includeData=1']) {
      assertError(await call('GET', api(`/secret/kept/one?${query}`)), 400, query);
    }
    for (const version of ['0', 'abc', '24001', '1.0']) {
      assertError(await call('GET', api(`/secret/kept/one/version/${version}?includeData=true`)), 400, `version ${version}`);
      assertError(await call('PUT', api(`/secret/kept/one/version/${version}`), { body: { state: 'deleted' } }), 400, `state of ${version}`);
    }
    assertError(await call('GET', api('/secret/kept/one?version=7')), 404, 'missing version');
    assertError(await call('GET', api('/secret/kept/one/version/7')), 404, 'missing version route');
    assert.equal((await stateOf('kept/one')).version.state, 'active');
  });

  it('refuses invalid metadata in either spelling, on create and on update, and writes nothing', async () => {
    const invalid: Record<string, unknown>[] = [
      { maxVersions: -1 },
      { max_versions: 24001 },
      { maxVersions: 1.5 },
      { maxVersions: 'ten' },
      { casRequired: 'yes' },
      { deactivateVersionAfter: 'soon' },
      { deactivate_version_after: '-1h' },
      { deactivateVersionAfter: 3600 },
      { customMetadata: { owner: 1 } },
      { custom_metadata: { '': 'x' } },
      { customMetadata: { owner: 'x'.repeat(513) } },
      { customMetadata: Object.fromEntries(Array.from({ length: 65 }, (_, index) => [`k${index}`, 'v'])) },
      { maxVersions: 2, max_versions: 3 },
      { deactivateVersionAfter: '1h', delete_version_after: '1h' },
    ];
    const before = await stateOf('kept/one');
    for (const metadata of invalid) {
      const label = JSON.stringify(metadata).slice(0, 60);
      assertError(await call('POST', api('/secret'), { body: { path: 'bad/metadata', version: { data: { token: CANARY } }, metadata } }), 400, `create ${label}`);
      assertError(await call('PUT', api('/secret/kept/one?cas=1'), { body: { version: { data: { token: 'new' } }, metadata } }), 400, `update ${label}`);
    }
    await assertAbsent('bad/metadata');
    assert.deepEqual(await stateOf('kept/one'), before);
  });

  it('refuses an invalid secretConfig and keeps the stored one', async () => {
    const before = await call('GET', api('/secretConfig'));
    for (const body of [{ maxVersions: -1 }, { maxVersions: 24001 }, { deactivateVersionAfter: 'later' }, { casRequired: 'true' }, { cas_required: true, casRequired: false }]) {
      assertError(await call('PUT', api('/secretConfig'), { body }), 400, JSON.stringify(body));
    }
    assert.deepEqual((await call('GET', api('/secretConfig'))).json, before.json);
  });

  it('refuses bad pagination headers', async () => {
    const cases: Record<string, string>[] = [
      { 'x-pagination-size': '5' },
      { 'x-pagination-size': '101' },
      { 'x-pagination-size': 'ten' },
      { 'x-pagination-cursor': '!!' },
      { 'x-pagination-cursor': 'Zm9v=' },
    ];
    for (const headers of cases) {
      assertError(await call('GET', api('/secret'), { headers }), 400, JSON.stringify(headers));
      assertError(await call('GET', api('/secret/kept/one/version'), { headers }), 400, `versions ${JSON.stringify(headers)}`);
    }
  });

  it('answers 405 for a method a resource does not have and 404 for an unknown route', async () => {
    assertError(await call('PATCH', api('/secret/kept/one'), { body: { version: { data: { token: CANARY } } } }), 405, 'PATCH secret');
    assertError(await call('POST', api('/secret/kept/one'), { body: { version: { data: { token: CANARY } } } }), 405, 'POST secret');
    assertError(await call('DELETE', api('/secret/kept/one/version/1')), 405, 'DELETE version');
    assertError(await call('PUT', api('/secret/kept/one/version'), { body: { data: {} } }), 405, 'PUT versions');
    assertError(await call('GET', api('/nothing-here')), 404, 'unknown route');
    assert.equal((await stateOf('kept/one')).metadata.currentVersion, 1);
  });

  it('refuses bad region activations with a 4xx', async () => {
    for (const body of [{}, { region: 'xx-nowhere' }, { region: 7 }, { region: 'fr-par', project_id: 'not-a-uuid' }]) {
      const answer = await call('POST', '/coffer/v1/domains', { body });
      assert.ok(answer.status >= 400 && answer.status < 500, `${JSON.stringify(body)}: ${answer.status}`);
    }
    const another = await call('POST', '/coffer/v1/domains', { body: { region: 'fr-par', project_id: randomUUID() } });
    assert.ok(another.status === 403 || another.status === 404, `foreign project: ${another.status}`);
    const listed = (await call('GET', '/coffer/v1/domains')).json as { domains: { id: string }[] };
    assert.deepEqual(listed.domains.map((domain) => domain.id), [okmsId]);
  });
});
