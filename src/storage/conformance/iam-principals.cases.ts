import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { it } from 'node:test';
import type { ApiKeyRecord, Application, Policy } from '../../core/iam/index.js';
import { withCode, type StorageRef } from './fixtures.js';

const application = (organizationId: string): Application => ({
  id: randomUUID(),
  organizationId,
  name: 'backup',
  description: 'reads secrets',
  tags: ['ops'],
  createdAt: 1,
  updatedAt: 2,
});

const policy = (organizationId: string, applicationId: string | null): Policy => ({
  id: randomUUID(),
  organizationId,
  name: 'read-secrets',
  description: '',
  tags: [],
  principal: applicationId === null ? null : { kind: 'application', id: applicationId },
  rules: [
    { id: randomUUID(), permissionSetNames: ['SecretManagerReadOnly'], projectIds: [randomUUID()] },
    { id: randomUUID(), permissionSetNames: ['IAMReadOnly'], projectIds: null },
  ],
  createdAt: 3,
  updatedAt: 4,
});

const apiKey = (organizationId: string, applicationId: string): ApiKeyRecord => ({
  accessKey: `SCW${randomBytes(9).toString('hex').toUpperCase().slice(0, 17)}`,
  secretKeyHash: randomBytes(32),
  organizationId,
  defaultProjectId: randomUUID(),
  description: 'tool',
  role: 'application',
  applicationId,
  userId: null,
  createdAt: 5,
  expiresAt: null,
});

const newOrganization = async (storage: StorageRef): Promise<string> => {
  const id = randomUUID();
  await storage().iam.insertOrganization({ id, name: 'org', createdAt: 0 });
  return id;
};

export const iamPrincipalCases = (storage: StorageRef): void => {
  it('keeps applications, their policies and API keys, and lists them per organization', async () => {
    const organizationId = await newOrganization(storage);
    const app = application(organizationId);
    await storage().iam.insertApplication(app);
    assert.deepEqual(await storage().iam.getApplication(app.id), app);
    assert.deepEqual(await storage().iam.listApplications(organizationId), [app]);
    assert.deepEqual(await storage().iam.listApplications(randomUUID()), []);

    const attached = policy(organizationId, app.id);
    const loose = policy(organizationId, null);
    await storage().iam.insertPolicy(attached);
    await storage().iam.insertPolicy(loose);
    assert.deepEqual(await storage().iam.getPolicy(attached.id), attached);
    assert.deepEqual(await storage().iam.policiesOf([app.id]), [attached]);
    assert.equal((await storage().iam.listPolicies(organizationId)).length, 2);

    const key = apiKey(organizationId, app.id);
    await storage().iam.insertApiKey(key);
    await assert.rejects(storage().iam.insertApiKey(key), withCode('already_exists'));
    assert.deepEqual(await storage().iam.getApiKey(key.accessKey), key);
    assert.deepEqual(await storage().iam.findApiKeyBySecretHash(key.secretKeyHash), key);
    assert.deepEqual(await storage().iam.listApiKeys(organizationId), [key]);
  });

  it('deletes an application with its keys and detaches its policies; deletes keys and policies alone', async () => {
    const organizationId = await newOrganization(storage);
    const app = application(organizationId);
    await storage().iam.insertApplication(app);
    const attached = policy(organizationId, app.id);
    await storage().iam.insertPolicy(attached);
    const [first, second] = [apiKey(organizationId, app.id), apiKey(organizationId, app.id)];
    if (!first || !second) {
      throw new Error('two keys expected');
    }
    await storage().iam.insertApiKey(first);
    await storage().iam.insertApiKey(second);
    await storage().iam.deleteApiKey(first.accessKey);
    assert.equal(await storage().iam.findApiKeyBySecretHash(first.secretKeyHash), null);
    await storage().iam.deleteApplication(app.id);
    assert.equal(await storage().iam.getApplication(app.id), null);
    assert.equal(await storage().iam.findApiKeyBySecretHash(second.secretKeyHash), null, 'the key went with its application');
    assert.equal((await storage().iam.getPolicy(attached.id))?.principal, null, 'the policy stays, detached');
    const changed = { ...attached, name: 'renamed', principal: null, rules: [], updatedAt: 9 };
    await storage().iam.updatePolicy(changed);
    assert.deepEqual(await storage().iam.getPolicy(attached.id), changed);
    await storage().iam.deletePolicy(attached.id);
    assert.equal(await storage().iam.getPolicy(attached.id), null);
  });
};
