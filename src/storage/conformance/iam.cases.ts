import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { it } from 'node:test';
import type { ApiKeyRecord, Organization, Project } from '../../core/iam/index.js';
import type { StorageRef } from './fixtures.js';

const identity = (): { organization: Organization; project: Project; apiKey: ApiKeyRecord } => {
  const organization = { id: randomUUID(), name: 'org', createdAt: 1 };
  const project = { id: randomUUID(), organizationId: organization.id, name: 'default', description: 'first', createdAt: 2, updatedAt: 3 };
  const apiKey: ApiKeyRecord = {
    accessKey: `SCW${randomBytes(8).toString('hex').toUpperCase()}`,
    secretKeyHash: randomBytes(32),
    organizationId: organization.id,
    defaultProjectId: project.id,
    description: 'bootstrap',
    role: 'admin',
    applicationId: null,
    userId: null,
    createdAt: 4,
    expiresAt: 5,
  };
  return { organization, project, apiKey };
};

export const iamCases = (storage: StorageRef): void => {
  it('bootstraps exactly once, even when asked twice at the same time', async () => {
    const first = identity();
    const second = identity();
    const results = await Promise.all([first, second].map(({ organization, project, apiKey }) => storage().iam.bootstrap(organization, project, apiKey)));
    assert.deepEqual([...results].sort(), [false, true]);
    const winner = results[0] === true ? first : second;
    const loser = results[0] === true ? second : first;
    assert.equal(await storage().iam.bootstrap(loser.organization, loser.project, loser.apiKey), false);
    assert.deepEqual(await storage().iam.findApiKeyBySecretHash(winner.apiKey.secretKeyHash), winner.apiKey);
    assert.equal(await storage().iam.findApiKeyBySecretHash(loser.apiKey.secretKeyHash), null);
    assert.deepEqual(await storage().iam.getProject(winner.project.id), winner.project);
    assert.equal(await storage().iam.getProject(loser.project.id), null);
    assert.deepEqual(await storage().iam.listProjects(winner.organization.id), [winner.project]);
    assert.deepEqual(await storage().iam.listProjects(loser.organization.id), []);
  });
};
