import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, coffer, type CliResult } from '../cli/helpers.js';
import { scalewayHttp } from '../helpers/scaleway-http.js';
import type { TestServer } from '../helpers/server.js';

export const workDir = (): string => mkdtempSync(join(tmpdir(), 'coffer-backup-test-'));

/** A passphrase file, as an operator would keep one. */
export const passphraseFile = (dir: string, passphrase = `pass-${randomBytes(12).toString('hex')}`): string => {
  const file = join(dir, `passphrase-${randomBytes(4).toString('hex')}`);
  writeFileSync(file, `${passphrase}\n`, { mode: 0o600 });
  return file;
};

/** The CLI pointed at a server, with nothing from the developer's shell. */
export const cli = (server: Pick<TestServer, 'url' | 'secretKey' | 'projectId'> | null, args: string[], extra: Record<string, string> = {}): CliResult =>
  coffer(args, cleanEnv({ ...(server ? { COFFER_ADDR: server.url, COFFER_SECRET_KEY: server.secretKey, COFFER_PROJECT_ID: server.projectId } : {}), ...extra }));

export const ok = (result: CliResult, what: string): CliResult => {
  assert.equal(result.status, 0, `${what} failed:\n${result.stdout}\n${result.stderr}`);
  return result;
};

export interface Seeded {
  /** Plaintexts written, to scan files for and to compare reads against. */
  plaintexts: string[];
  /** An application key with SecretManagerReadOnly, to check IAM after a restore. */
  appSecretKey: string;
}

/**
 * Secrets of several types, paths and tags, versions enabled, disabled and scheduled
 * for deletion, and an application with a policy and an API key.
 */
export const seed = async (server: TestServer, label: string, count = 3): Promise<Seeded> => {
  const scw = scalewayHttp(server);
  const plaintexts: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const id = await scw.createSecret({ name: `${label}-${index}`, project_id: server.projectId, path: index % 2 === 0 ? '/app/prod' : '/other', tags: index % 2 === 0 ? ['keep', label] : [label], description: `seeded ${index}` });
    for (let revision = 1; revision <= 3; revision += 1) {
      const value = `plain-${label}-${index}-${revision}-${randomBytes(8).toString('hex')}`;
      plaintexts.push(value);
      await scw.addVersion(id, value);
    }
    assert.equal((await scw.call('POST', `/secrets/${id}/versions/1/disable`, {})).status, 200);
    assert.equal((await scw.call('DELETE', `/secrets/${id}/versions/2`)).status, 204);
  }
  const call = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${server.url}${path}`, { method, headers: { 'x-auth-token': server.secretKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(response.status, 200, `${path}: ${await response.clone().text()}`);
    return (await response.json()) as Record<string, unknown>;
  };
  const application = await call('POST', '/iam/v1alpha1/applications', { name: `${label}-reader`, organization_id: server.organizationId });
  await call('POST', '/iam/v1alpha1/policies', {
    name: `${label}-read`,
    organization_id: server.organizationId,
    application_id: application.id,
    rules: [{ permission_set_names: ['SecretManagerReadOnly'], project_ids: [server.projectId] }],
  });
  const key = await call('POST', '/iam/v1alpha1/api-keys', { application_id: application.id });
  const user = await call('POST', '/iam/v1alpha1/users', { organization_id: server.organizationId, email: `${label}-${randomBytes(3).toString('hex')}@example.com` });
  const group = await call('POST', '/iam/v1alpha1/groups', { organization_id: server.organizationId, name: `${label}-group` });
  await call('POST', `/iam/v1alpha1/groups/${String(group.id)}/add-member`, { user_id: user.id });
  // A secret under a customer-managed key, and a KV secret written through Vault's API.
  const kmsKey = await call('POST', '/key-manager/v1alpha1/regions/fr-par/keys', { project_id: server.projectId, name: `${label}-key`, usage: { symmetric_encryption: 'aes_256_gcm' } });
  const underKey = await scw.createSecret({ name: `${label}-under-key`, project_id: server.projectId, key_id: kmsKey.id });
  const keyed = `plain-${label}-under-key-${randomBytes(8).toString('hex')}`;
  plaintexts.push(keyed);
  await scw.addVersion(underKey, keyed);
  await call('POST', '/coffer/v1/domains', { region: 'fr-par' });
  const kv = `plain-${label}-kv-${randomBytes(8).toString('hex')}`;
  plaintexts.push(kv);
  const written = await fetch(`${server.url}/v1/secret/data/${label}/kv`, { method: 'POST', headers: { 'x-vault-token': server.secretKey, 'content-type': 'application/json' }, body: JSON.stringify({ data: { value: kv } }) });
  assert.equal(written.status, 200, await written.text());
  return { plaintexts, appSecretKey: String(key.secret_key) };
};

/** IAM and Key Manager as their APIs list them. */
const observeIamAndKeys = async (server: Pick<TestServer, 'url' | 'secretKey' | 'projectId'>): Promise<Record<string, unknown>> => {
  const view: Record<string, unknown> = {};
  for (const path of ['/iam/v1alpha1/users', '/iam/v1alpha1/groups', '/iam/v1alpha1/applications', '/iam/v1alpha1/policies', '/iam/v1alpha1/api-keys', `/key-manager/v1alpha1/regions/fr-par/keys?project_id=${server.projectId}`]) {
    const response = await fetch(`${server.url}${path}`, { headers: { 'x-auth-token': server.secretKey } });
    assert.equal(response.status, 200, path);
    view[path] = await response.json();
  }
  return view;
};

/** What a client sees: every secret, its versions with their statuses, and every readable payload. */
export const observe = async (server: Pick<TestServer, 'url' | 'secretKey' | 'projectId'>): Promise<unknown> => {
  const scw = scalewayHttp(server);
  const listed = await scw.call('GET', `/secrets?project_id=${server.projectId}&page_size=100&order_by=name_asc`);
  assert.equal(listed.status, 200, listed.text);
  const secrets = (listed.json?.secrets ?? []) as { id: string; name: string }[];
  const view = [];
  for (const secret of secrets) {
    const versions = await scw.call('GET', `/secrets/${secret.id}/versions?page_size=100`);
    const items = (versions.json?.versions ?? []) as { revision: number; status: string }[];
    const payloads: Record<number, string | null> = {};
    for (const version of items.filter((item) => item.status === 'enabled')) {
      payloads[version.revision] = (await scw.access(secret.id, version.revision)).data;
    }
    view.push({ secret, versions: versions.json, payloads });
  }
  const kv = await fetch(`${server.url}/v1/secret/data/rt/kv`, { headers: { 'x-vault-token': server.secretKey } });
  return { total: listed.json?.total_count, view, iamAndKeys: await observeIamAndKeys(server), vault: kv.status === 200 ? ((await kv.json()) as { data: unknown }).data : kv.status };
};

export const auditVerifies = async (server: Pick<TestServer, 'url' | 'secretKey'>): Promise<Record<string, unknown>> => {
  const response = await fetch(`${server.url}/coffer/v1/audit/verify`, { headers: { 'x-auth-token': server.secretKey } });
  const report = (await response.json()) as Record<string, unknown>;
  assert.equal(response.status, 200, JSON.stringify(report));
  assert.equal(report.ok, true, JSON.stringify(report));
  return report;
};
