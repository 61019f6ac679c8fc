import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { createClient, Errors } from '@scaleway/sdk-client';
import { Accountv3 } from '@scaleway/sdk-account';
import { Iamv1alpha1 } from '@scaleway/sdk-iam';
import { Secretv1beta1 } from '@scaleway/sdk-secret';
import { startServer, type TestServer } from '../helpers/server.js';
import { uniqueName } from '../helpers/wire.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected the call to be refused');
};

/**
 * The seed flow: a policy granting SecretManagerReadOnly and SecretManagerSecretAccess,
 * an application it is attached to, and that application's API key, which can read a
 * secret's field and do nothing more. Scripted with Scaleway's own IAM and Secret SDKs.
 */
describe('IAM: the scaleway-manage-secrets flow with the Scaleway SDKs', () => {
  let server: TestServer;
  let adminIam: Iamv1alpha1.API;
  let adminSecrets: Secretv1beta1.API;
  let appSecrets: Secretv1beta1.API;
  let appKey: { accessKey: string; secretKey: string };
  let secretId: string;
  let policyId = '';

  const clientFor = (accessKey: string, secretKey: string) =>
    createClient({ accessKey, secretKey, apiURL: server.url, defaultProjectId: server.projectId, defaultOrganizationId: server.organizationId, defaultRegion: 'fr-par' });

  before(async () => {
    server = await startServer();
    adminIam = new Iamv1alpha1.API(clientFor(server.accessKey, server.secretKey));
    adminSecrets = new Secretv1beta1.API(clientFor(server.accessKey, server.secretKey));

    const sets = (await adminIam.listPermissionSets({ organizationId: server.organizationId })).permissionSets.map((set) => set.name);
    assert.ok(sets.includes('SecretManagerReadOnly') && sets.includes('SecretManagerSecretAccess'));
    // The seed's order: the policy first, then the application, then the attachment.
    const created = await adminIam.createPolicy({
      name: 'scaleway-manage-secrets',
      description: 'read secrets and their data',
      organizationId: server.organizationId,
      noPrincipal: true,
      rules: [{ permissionSetNames: ['SecretManagerReadOnly', 'SecretManagerSecretAccess'], projectIds: [server.projectId], condition: '' }],
    });
    const application = await adminIam.createApplication({ name: 'scaleway-secrets-manager', description: 'backup tool', organizationId: server.organizationId });
    const policy = await adminIam.updatePolicy({ policyId: created.id, applicationId: application.id });
    policyId = policy.id;
    assert.equal(policy.applicationId, application.id);
    assert.equal(policy.nbRules, 1);
    const key = await adminIam.createAPIKey({ applicationId: application.id, defaultProjectId: server.projectId, description: 'backup tool' });
    assert.match(key.accessKey, /^SCW[A-Z0-9]{17}$/);
    assert.ok(key.secretKey);
    appKey = { accessKey: key.accessKey, secretKey: key.secretKey ?? '' };
    assert.equal((await adminIam.getAPIKey({ accessKey: key.accessKey })).secretKey, undefined, 'the secret key is shown once');
    appSecrets = new Secretv1beta1.API(clientFor(appKey.accessKey, appKey.secretKey));

    const secret = await adminSecrets.createSecret({ name: uniqueName('backup-db'), type: 'key_value', protected: false });
    await adminSecrets.createSecretVersion({ secretId: secret.id, data: b64(JSON.stringify({ username: 'backup', password: 'hunter2' })) });
    secretId = secret.id;
  });
  after(async () => server.stop());

  it('lets the application key list, get and access the secret, and read one field', async () => {
    const listed = await appSecrets.listSecrets({ scheduledForDeletion: false });
    assert.ok(listed.secrets.some((secret) => secret.id === secretId));
    assert.equal((await appSecrets.getSecret({ secretId })).id, secretId);
    const accessed = await appSecrets.accessSecretVersion({ secretId, revision: 'latest' });
    const fields = JSON.parse(Buffer.from(accessed.data, 'base64').toString('utf8')) as Record<string, string>;
    assert.equal(fields.password, 'hunter2');
  });

  it('refuses every change to the application key with 403 permissions_denied', async () => {
    const attempts: (() => Promise<unknown>)[] = [
      () => appSecrets.createSecret({ name: uniqueName('nope'), protected: false }),
      () => appSecrets.updateSecret({ secretId, description: 'changed' }),
      () => appSecrets.deleteSecret({ secretId }),
      () => appSecrets.protectSecret({ secretId }),
      () => appSecrets.disableSecretVersion({ secretId, revision: '1' }),
      () => appSecrets.createSecretVersion({ secretId, data: b64('{"a":"b"}') }),
    ];
    for (const attempt of attempts) {
      const error = await rejection(attempt());
      assert.ok(error instanceof Errors.PermissionsDeniedError, String(error));
    }
    assert.equal((await adminSecrets.getSecret({ secretId })).protected, false, 'nothing changed');
    const iamAttempt = await rejection(new Iamv1alpha1.API(clientFor(appKey.accessKey, appKey.secretKey)).listApplications({ organizationId: server.organizationId }));
    assert.ok(iamAttempt instanceof Errors.PermissionsDeniedError, String(iamAttempt));
  });

  it('cannot see or read the secrets of another project', async () => {
    const projects = new Accountv3.ProjectAPI(clientFor(server.accessKey, server.secretKey));
    const other = await projects.createProject({ name: 'other-team', description: 'not for the backup tool', organizationId: server.organizationId });
    assert.ok((await projects.listProjects({ organizationId: server.organizationId })).projects.some((project) => project.id === other.id));
    const hidden = await adminSecrets.createSecret({ name: uniqueName('hidden'), projectId: other.id, protected: false });
    await adminSecrets.createSecretVersion({ secretId: hidden.id, data: b64('top secret') });
    const listed = await appSecrets.listSecrets({ scheduledForDeletion: false });
    assert.ok(!listed.secrets.some((secret) => secret.id === hidden.id));
    assert.ok(listed.secrets.every((secret) => secret.projectId === server.projectId));
    assert.equal(listed.totalCount, listed.secrets.length);
    const read = await rejection(appSecrets.accessSecretVersion({ secretId: hidden.id, revision: 'latest' }));
    assert.ok(read instanceof Errors.PermissionsDeniedError, String(read));
    const appProjects = await new Accountv3.ProjectAPI(clientFor(appKey.accessKey, appKey.secretKey)).listProjects({ organizationId: server.organizationId });
    assert.deepEqual(appProjects.projects.map((project) => project.id), [server.projectId], 'the key sees only its project');
  });

  it('applies the same rights through the Vault API', async () => {
    const name = (await adminSecrets.getSecret({ secretId })).name;
    const read = await fetch(`${server.url}/v1/secret/data/${name}`, { headers: { 'x-vault-token': appKey.secretKey } });
    assert.equal(read.status, 200);
    const write = await fetch(`${server.url}/v1/secret/data/${name}`, { method: 'POST', headers: { 'x-vault-token': appKey.secretKey }, body: JSON.stringify({ data: { a: 1 } }) });
    assert.equal(write.status, 403);
    assert.deepEqual(await write.json(), { errors: ['1 error occurred:\n\t* permission denied\n\n'] });
  });

  it('applies a rule change within the documented bound of 5 seconds', async () => {
    await adminIam.setRules({ policyId, rules: [{ permissionSetNames: ['SecretManagerReadOnly'], projectIds: [server.projectId], condition: '' }] });
    const changedAt = Date.now();
    let refused = false;
    while (!refused && Date.now() - changedAt < 8000) {
      refused = (await rejection(appSecrets.accessSecretVersion({ secretId, revision: 'latest' }).then(() => Promise.reject(new Error('still allowed'))))) instanceof Errors.PermissionsDeniedError;
      if (!refused) {
        await sleep(250);
      }
    }
    assert.ok(refused && Date.now() - changedAt <= 6500, `data access still allowed ${Date.now() - changedAt} ms after the rule change`);
    assert.equal((await appSecrets.getSecret({ secretId })).id, secretId, 'metadata stays readable');
  });

  it('stops a deleted key within the documented bound of 5 seconds', async () => {
    await adminIam.deleteAPIKey({ accessKey: appKey.accessKey });
    const started = Date.now();
    let refused = false;
    while (!refused && Date.now() - started < 8000) {
      refused = (await rejection(appSecrets.getSecret({ secretId }).then(() => Promise.reject(new Error('still accepted'))))) instanceof Errors.DeniedAuthenticationError;
      if (!refused) {
        await sleep(250);
      }
    }
    assert.ok(refused, 'the deleted key was still accepted after 8 s');
  });
});
