import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { dataOf, uniqueKey, vaultHttp, type VaultBody, type VaultHttp } from '../helpers/vault-http.js';

const INVALID_TOKEN = '2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n';
const HEALTH_KEYS = [
  'initialized',
  'sealed',
  'standby',
  'performance_standby',
  'replication_performance_mode',
  'replication_dr_mode',
  'server_time_utc',
  'version',
  'cluster_name',
  'cluster_id',
];

interface RawAnswer {
  statusLine: string;
  headers: Record<string, string>;
  body: string;
  /** The server ended the connection on its own. */
  closedByServer: boolean;
}

/** One request written byte for byte on a fresh TCP connection; Node's HTTP client refuses to send LIST itself. */
const rawExchange = (server: TestServer, request: string): Promise<RawAnswer> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(server.url);
    const chunks: Buffer[] = [];
    let closedByServer = false;
    const socket = connect(Number(port), hostname, () => socket.write(request));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => {
      closedByServer = true;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const [statusLine = '', ...lines] = text.slice(0, split === -1 ? text.length : split).split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      resolve({ statusLine, headers, body: split === -1 ? '' : text.slice(split + 4), closedByServer });
    });
  });

const listRequest = (target: string, headers: Record<string, string>): string =>
  `LIST ${target} HTTP/1.1\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;

/** A random access key in Coffer's format, so that the test knows its project before the server starts. */
const accessKey = (): string => `SCW${randomUUID().replaceAll('-', '').slice(0, 17).toUpperCase()}`;

describe('Vault sys and token endpoints, the LIST verb and mounts', { timeout: 120_000 }, () => {
  let server: TestServer;
  let vault: VaultHttp;
  const projectId = randomUUID();

  before(async () => {
    server = await startServer({
      identity: { accessKey: accessKey(), secretKey: randomUUID(), projectId, organizationId: randomUUID() },
      // `team` is the default project in the default region, as `secret`; `team/ams` is another region.
      env: { COFFER_VAULT_MOUNTS: `team=${projectId}@fr-par, team/ams=@nl-ams` },
    });
    vault = vaultHttp(server);
  });
  after(async () => server.stop());

  it('answers sys/health without a token and without the envelope, and honours the status overrides', async () => {
    const health = await vault.call('GET', 'sys/health', { token: null });
    assert.equal(health.status, 200);
    assert.equal(health.contentType, 'application/json');
    assert.deepEqual(Object.keys(health.json ?? {}), HEALTH_KEYS);
    assert.equal(health.json?.initialized, true);
    assert.equal(health.json?.sealed, false);
    assert.equal(health.json?.standby, false);
    assert.equal(typeof health.json?.server_time_utc, 'number');
    assert.equal((await vault.call('GET', 'sys/health', { token: 'not-a-token' })).status, 200, 'a bad token does not matter');

    const head = await fetch(`${server.url}/v1/sys/health`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
    assert.equal((await vault.call('GET', 'sys/health?activecode=299', { token: null })).status, 299);
    // What the Go client's Sys().Health() sends.
    assert.equal((await vault.call('GET', 'sys/health?sealedcode=299&uninitcode=299', { token: null })).status, 200);
    assert.equal((await vault.call('GET', 'sys/health?standbyok=true&perfstandbyok=true', { token: null })).status, 200);
    const noContent = await vault.call('GET', 'sys/health?activecode=204', { token: null });
    assert.equal(noContent.status, 204);
    assert.equal(noContent.text, '');
    for (const query of ['activecode=abc', 'sealedcode=', 'standbyok=maybe', 'activecode=42']) {
      const refused = await vault.call('GET', `sys/health?${query}`, { token: null });
      assert.equal(refused.status, 400, query);
      assert.deepEqual(refused.json, { errors: [] }, query);
    }
  });

  it('lists every mount at the top level and under data, with options.version as a string', async () => {
    const refused = await vault.call('GET', 'sys/mounts', { token: null });
    assert.equal(refused.status, 403);
    assert.deepEqual(refused.json, { errors: [INVALID_TOKEN] });

    const mounts = await vault.get('sys/mounts');
    assert.equal(mounts.status, 200);
    assert.equal(mounts.contentType, 'application/json');
    assert.equal(mounts.json?.mount_type, 'system');
    assert.equal(typeof mounts.json?.request_id, 'string');
    const listed = dataOf(mounts);
    assert.deepEqual(Object.keys(listed).sort(), ['secret/', 'team/', 'team/ams/']);
    for (const name of ['secret/', 'team/', 'team/ams/']) {
      const atTop = mounts.json?.[name] as { type?: unknown; options?: unknown; accessor?: unknown } | undefined;
      assert.deepEqual(atTop, listed[name], name);
      assert.equal(atTop?.type, 'kv', name);
      assert.deepEqual(atTop?.options, { version: '2' }, name);
    }
    const accessors = new Set(Object.values(listed).map((mount) => (mount as { accessor: string }).accessor));
    assert.equal(accessors.size, 3, 'each mount has its own accessor');
    assert.deepEqual(dataOf(await vault.get('sys/mounts')), listed, 'accessors and uuids are stable');

    const team = await vault.get('sys/mounts/team/ams');
    assert.equal(team.status, 200);
    assert.deepEqual(dataOf(team), listed['team/ams/']);
    assert.equal(team.json?.type, 'kv');
    const unknown = await vault.get('sys/mounts/nope');
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.json, { errors: ['No secret engine mount at nope/'] });
  });

  it('answers the vault CLI preflight with the mount a path falls under, and 403 outside every mount', async () => {
    const cases: [string, string][] = [
      ['secret/foo/bar', 'secret/'],
      ['secret', 'secret/'],
      ['team/app', 'team/'],
      ['team/ams/app', 'team/ams/'],
      ['team/amsterdam/app', 'team/'],
    ];
    for (const [path, mount] of cases) {
      const preflight = await vault.get(`sys/internal/ui/mounts/${path}`);
      assert.equal(preflight.status, 200, path);
      assert.equal(preflight.json?.mount_type, 'system', path);
      assert.equal(dataOf(preflight).path, mount, path);
      assert.equal(dataOf(preflight).type, 'kv', path);
      assert.deepEqual(dataOf(preflight).options, { version: '2' }, path);
    }
    const outside = await vault.get('sys/internal/ui/mounts/teams/app');
    assert.equal(outside.status, 403);
    assert.match(outside.json?.errors?.[0] ?? '', /^preflight capability check returned 403/);
    assert.equal((await vault.call('GET', 'sys/internal/ui/mounts/secret/foo', { token: null })).status, 403);
  });

  it('looks up its own token without echoing it, with X-Vault-Token or Bearer, by GET or POST', async () => {
    const bearer = await fetch(`${server.url}/v1/auth/token/lookup-self`, { headers: { authorization: `Bearer ${server.secretKey}` } });
    const bearerText = await bearer.text();
    for (const answer of [
      await vault.get('auth/token/lookup-self'),
      await vault.post('auth/token/lookup-self', {}),
      { status: bearer.status, contentType: bearer.headers.get('content-type'), text: bearerText, json: JSON.parse(bearerText) as VaultBody },
    ]) {
      assert.equal(answer.status, 200);
      assert.equal(answer.contentType, 'application/json');
      assert.equal(answer.json?.mount_type, 'token');
      const data = (answer.json?.data ?? {}) as Record<string, unknown>;
      assert.equal(data.type, 'service');
      assert.equal(data.ttl, 0);
      assert.equal(data.expire_time, null);
      assert.equal(data.renewable, false);
      assert.deepEqual(data.policies, ['root']);
      assert.equal(data.accessor, server.accessKey);
      assert.equal(data.id, '');
      assert.ok(!answer.text.includes(server.secretKey), 'the token is never echoed');
    }
    for (const token of [null, 'not-a-token', randomUUID()]) {
      const refused = await vault.call('GET', 'auth/token/lookup-self', { token });
      assert.equal(refused.status, 403);
      assert.deepEqual(refused.json, { errors: [INVALID_TOKEN] });
    }
  });

  it('answers the LIST verb over a raw socket as a list, then closes the connection', async () => {
    const folder = uniqueKey('listed');
    assert.equal((await vault.post(`secret/data/${folder}/b`, { data: { a: 1 } })).status, 200);
    assert.equal((await vault.post(`secret/data/${folder}/a/c`, { data: { a: 1 } })).status, 200);
    const token = { host: 'coffer', 'x-vault-token': server.secretKey };

    for (const target of [`/v1/secret/metadata/${folder}`, `/v1/secret/metadata/${folder}/`, `/v1/secret/metadata/${folder}?list=false`]) {
      const listed = await rawExchange(server, listRequest(target, token));
      assert.equal(listed.statusLine, 'HTTP/1.1 200 OK', target);
      assert.equal(listed.headers['content-type'], 'application/json', target);
      assert.equal(listed.headers.connection, 'close', target);
      assert.equal(Number(listed.headers['content-length']), Buffer.byteLength(listed.body), target);
      assert.ok(listed.closedByServer, target);
      const body = JSON.parse(listed.body) as { data: { keys: string[] }; mount_type: string; request_id: string };
      assert.deepEqual(body.data.keys, ['a/', 'b'], target);
      assert.equal(body.mount_type, 'kv', target);
      assert.equal(body.request_id, listed.headers['x-request-id'], target);
    }

    const cases: [string, Record<string, string>, string, unknown][] = [
      [`/v1/secret/metadata/${folder}`, { host: 'coffer' }, 'HTTP/1.1 403 Forbidden', { errors: [INVALID_TOKEN] }],
      [`/v1/secret/metadata/${uniqueKey('empty')}`, token, 'HTTP/1.1 404 Not Found', { errors: [] }],
      ['/v1/nomount/metadata/x', token, 'HTTP/1.1 404 Not Found', { errors: ['no handler for route "nomount/metadata/x". route entry not found.'] }],
      [`/v1/secret/subkeys/${folder}/b`, token, 'HTTP/1.1 405 Method Not Allowed', { errors: ['1 error occurred:\n\t* unsupported operation\n\n'] }],
    ];
    for (const [target, headers, statusLine, body] of cases) {
      const answer = await rawExchange(server, listRequest(target, headers));
      assert.equal(answer.statusLine, statusLine, target);
      assert.deepEqual(JSON.parse(answer.body), body, target);
      assert.ok(answer.closedByServer, target);
    }
  });

  it('refuses a LIST with a body, and other unknown verbs, with 400 and a closed connection', async () => {
    const withBody = await rawExchange(server, `LIST /v1/secret/metadata HTTP/1.1\r\nhost: coffer\r\nx-vault-token: ${server.secretKey}\r\ncontent-length: 2\r\n\r\n{}`);
    assert.equal(withBody.statusLine, 'HTTP/1.1 400 Bad Request');
    assert.ok(withBody.closedByServer);
    const unknownVerb = await rawExchange(server, `BREW /v1/secret/metadata HTTP/1.1\r\nhost: coffer\r\nx-vault-token: ${server.secretKey}\r\n\r\n`);
    assert.equal(unknownVerb.statusLine, 'HTTP/1.1 405 Method Not Allowed', 'Vault answers unknown verbs 405');
    assert.ok(unknownVerb.closedByServer);
    assert.equal((await vault.get('sys/health')).status, 200, 'the server keeps serving');
  });

  it('resolves mounts: team is the default project and region like secret, team/ams is nl-ams', async () => {
    const key = uniqueKey('shared');
    assert.equal((await vault.post(`secret/data/app/${key}`, { data: { from: 'secret' } })).status, 200);
    const throughTeam = await vault.get(`team/data/app/${key}`);
    assert.equal(throughTeam.status, 200);
    assert.deepEqual(dataOf(throughTeam).data, { from: 'secret' });
    assert.equal((await vault.post(`team/data/app/${key}`, { data: { from: 'team' } })).status, 200);
    assert.equal((dataOf(await vault.get(`secret/data/app/${key}`)).metadata as { version?: unknown }).version, 2);

    // The longest mount wins: team/ams is its own scope, not the folder `ams` of team.
    assert.deepEqual((await vault.get(`team/ams/data/app/${key}`)).json, { errors: [] });
    assert.equal((await vault.post(`team/ams/data/app/${key}`, { data: { from: 'ams' } })).status, 200);
    assert.deepEqual(dataOf(await vault.get(`team/ams/data/app/${key}`)).data, { from: 'ams' });
    assert.deepEqual(dataOf(await vault.get(`secret/data/app/${key}`)).data, { from: 'team' });
    assert.equal((await vault.get(`secret/metadata/ams/data/app/${key}`)).status, 404);

    // The Scaleway API sees the team/ams secret in nl-ams, in the configured project, at path /app.
    const scaleway = await fetch(
      `${server.url}/secret-manager/v1beta1/regions/nl-ams/secrets?project_id=${projectId}&name=${key}`,
      { headers: { 'x-auth-token': server.secretKey } },
    );
    assert.equal(scaleway.status, 200);
    const { secrets } = (await scaleway.json()) as { secrets: { name: string; path: string; project_id: string }[] };
    assert.deepEqual(secrets.map(({ name, path, project_id }) => ({ name, path, project_id })), [{ name: key, path: '/app', project_id: projectId }]);

    // `team/amsterdam/…` is under team, where `amsterdam` is no KV endpoint.
    const underTeam = await vault.get(`team/amsterdam/data/${key}`);
    assert.equal(underTeam.status, 404);
    assert.match(underTeam.json?.warnings?.[0] ?? '', /^Invalid path for a versioned K\/V secrets engine/);
  });

  it('answers unknown mounts with Vault\'s no-handler 404 for every verb, after authentication', async () => {
    for (const [method, path] of [
      ['GET', 'nomount/data/x/y'],
      ['POST', 'teams/data/x'],
      ['DELETE', 'secretx/metadata/x'],
      ['PUT', 'sys/unknown'],
    ] as const) {
      const answer = await vault.call(method, path, method === 'POST' || method === 'PUT' ? { body: { data: { a: 1 } } } : {});
      assert.equal(answer.status, 404, `${method} ${path}`);
      assert.deepEqual(answer.json, { errors: [`no handler for route "${path}". route entry not found.`] }, `${method} ${path}`);
    }
    const bare = await fetch(`${server.url}/v1`, { headers: { 'x-vault-token': server.secretKey } });
    assert.equal(bare.status, 404);
    assert.deepEqual(await bare.json(), { errors: ['no handler for route "". route entry not found.'] });
    const anonymous = await vault.call('GET', 'nomount/data/x', { token: null });
    assert.equal(anonymous.status, 403);
    assert.deepEqual(anonymous.json, { errors: [INVALID_TOKEN] });
  });

  it('takes form bodies as Vault does, unless they start like JSON', async () => {
    const key = uniqueKey('form');
    const form = await vault.call('POST', `secret/metadata/${key}`, { rawBody: 'max_versions=3&cas_required=true', contentType: 'application/x-www-form-urlencoded' });
    assert.equal(form.status, 204, form.text);
    const metadata = dataOf(await vault.get(`secret/metadata/${key}`));
    assert.equal(metadata.max_versions, 3);
    assert.equal(metadata.cas_required, true);
    const json = await vault.call('POST', `secret/data/${key}`, { rawBody: '{"data":{"a":"b"},"options":{"cas":0}}', contentType: 'application/x-www-form-urlencoded' });
    assert.equal(json.status, 200, json.text);
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}`)).data, { a: 'b' });
  });

  it('serves sys/health and only the secret mount under the OVHcloud prefix', async () => {
    const okms = `${server.url}/api/${randomUUID()}/v1`;
    const health = await fetch(`${okms}/sys/health`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { initialized?: unknown }).initialized, true);
    const mounts = await fetch(`${okms}/sys/mounts`, { headers: { 'x-vault-token': server.secretKey } });
    assert.deepEqual(Object.keys(((await mounts.json()) as { data: Record<string, unknown> }).data), ['secret/']);
    const team = await fetch(`${okms}/team/data/x`, { headers: { 'x-vault-token': server.secretKey } });
    assert.equal(team.status, 404);
    assert.deepEqual(await team.json(), { errors: ['no handler for route "team/data/x". route entry not found.'] });
  });
});
