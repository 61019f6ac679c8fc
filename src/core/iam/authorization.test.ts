import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../shared/errors.js';
import { checkAuthorization, grantsOf, pathPrefixesAllowing, projectsAllowing } from './authorization.js';
import { parseRuleCondition } from './rule-conditions.js';
import type { Actor, Policy } from './iam-model.js';

const ORG = 'org-1';
const policy = (rules: Policy['rules']): Policy => ({
  id: 'p',
  organizationId: ORG,
  name: 'p',
  description: '',
  tags: [],
  principal: { kind: 'application', id: 'app' },
  rules,
  createdAt: 0,
  updatedAt: 0,
});
const actorWith = (grants: Actor['grants']): Actor => ({
  kind: 'api_key',
  accessKey: 'SCWTEST',
  organizationId: ORG,
  defaultProjectId: 'p1',
  role: grants === null ? 'admin' : 'application',
  applicationId: grants === null ? null : 'app',
  userId: null,
  grants,
  sourceAddress: '10.1.2.3',
});
const denied = (error: unknown) => error instanceof AppError && error.code === 'permission_denied';

test('an admin may do anything in its organization, and nothing in another', () => {
  const admin = actorWith(null);
  checkAuthorization(admin, 'secrets:secret:delete', { organizationId: ORG, projectId: 'any' });
  assert.throws(() => checkAuthorization(admin, 'secrets:secret:read', { organizationId: 'org-2' }), denied);
  assert.equal(projectsAllowing(admin, 'secrets:secret:list'), null);
});

test('a project-scoped grant allows its actions on its projects only', () => {
  const reader = actorWith(grantsOf([policy([{ id: 'r', permissionSetNames: ['SecretManagerReadOnly', 'SecretManagerSecretAccess'], projectIds: ['p1'] }])]));
  checkAuthorization(reader, 'secrets:secret:read', { organizationId: ORG, projectId: 'p1' });
  checkAuthorization(reader, 'secrets:version:access', { organizationId: ORG, projectId: 'p1' });
  assert.throws(() => checkAuthorization(reader, 'secrets:secret:read', { organizationId: ORG, projectId: 'p2' }), denied);
  assert.throws(() => checkAuthorization(reader, 'secrets:secret:update', { organizationId: ORG, projectId: 'p1' }), denied);
  assert.throws(() => checkAuthorization(reader, 'secrets:secret:list', { organizationId: ORG }), denied, 'not organization-wide');
  assert.deepEqual(projectsAllowing(reader, 'secrets:secret:list'), ['p1']);
  assert.deepEqual(projectsAllowing(reader, 'secrets:secret:delete'), []);
});

test('metadata and data are separate rights, and unknown permission sets grant nothing', () => {
  const metadataOnly = actorWith(grantsOf([policy([{ id: 'r', permissionSetNames: ['SecretManagerReadOnly', 'NoSuchSet'], projectIds: null }])]));
  checkAuthorization(metadataOnly, 'secrets:secret:read', { organizationId: ORG, projectId: 'p9' });
  assert.throws(() => checkAuthorization(metadataOnly, 'secrets:version:access', { organizationId: ORG, projectId: 'p9' }), denied);
  assert.equal(projectsAllowing(metadataOnly, 'secrets:secret:list'), null);
  const nothing = actorWith([]);
  assert.throws(() => checkAuthorization(nothing, 'secrets:secret:read', { organizationId: ORG, projectId: 'p1' }), denied);
});

test('a path-limited grant covers secrets under its prefixes, and listings filtered to them', () => {
  const prodOnly = actorWith(
    grantsOf([policy([{ id: 'r', permissionSetNames: ['SecretManagerFullAccess'], projectIds: ['p1'], pathPrefixes: ['/prod/'] }])]),
  );
  checkAuthorization(prodOnly, 'secrets:version:access', { organizationId: ORG, projectId: 'p1', path: '/prod/db' });
  checkAuthorization(prodOnly, 'secrets:secret:create', { organizationId: ORG, projectId: 'p1', path: '/prod/app/db' });
  assert.throws(() => checkAuthorization(prodOnly, 'secrets:version:access', { organizationId: ORG, projectId: 'p1', path: '/dev/db' }), denied);
  assert.throws(() => checkAuthorization(prodOnly, 'secrets:version:access', { organizationId: ORG, projectId: 'p1', path: '/prod' }), denied);
  assert.throws(() => checkAuthorization(prodOnly, 'secrets:secret:create', { organizationId: ORG, projectId: 'p1' }), denied, 'no path, no grant');
  checkAuthorization(prodOnly, 'secrets:secret:list', { organizationId: ORG, projectId: 'p1' });
  assert.deepEqual(pathPrefixesAllowing(prodOnly, 'secrets:secret:list', 'p1'), ['/prod/']);
  assert.equal(pathPrefixesAllowing(actorWith(null), 'secrets:secret:list', 'p1'), null);
});

test('rule conditions read path prefixes and address ranges, and refuse anything else', () => {
  assert.deepEqual(parseRuleCondition('', 'condition'), { pathPrefixes: null, ipRanges: null });
  assert.deepEqual(parseRuleCondition('secret.path matches "/prod/*"', 'condition'), { pathPrefixes: ['/prod/'], ipRanges: null });
  assert.deepEqual(parseRuleCondition('secret.path matches "/a/*" || secret.path  matches "/b/c/*"', 'condition'), { pathPrefixes: ['/a/', '/b/c/'], ipRanges: null });
  assert.deepEqual(parseRuleCondition('request.ip in "10.0.0.0/8" || request.ip in "fd00::/8" && secret.path matches "/p/*"', 'condition'), {
    pathPrefixes: ['/p/'],
    ipRanges: ['10.0.0.0/8', 'fd00::/8'],
  });
  for (const bad of [
    'secret.path matches "/prod"',
    'secret.path matches "prod/*"',
    'secret.path matches "/a/*/b/*"',
    'request.ip in "10.0.0.0/33"',
    'request.ip in "not-an-ip/8"',
    'secret.path matches "/a/*" || request.ip in "10.0.0.0/8"',
    'secret.path matches "/a/*" && secret.path matches "/b/*"',
  ]) {
    assert.throws(() => parseRuleCondition(bad, 'condition'), AppError, bad);
  }
});

test('an address-limited grant exists only for requests from its ranges', () => {
  const grants = grantsOf([policy([{ id: 'r', permissionSetNames: ['SecretManagerReadOnly'], projectIds: null, ipRanges: ['10.0.0.0/8'] }])]);
  const inside = { ...actorWith(grants), sourceAddress: '::ffff:10.9.8.7' };
  const outside = { ...actorWith(grants), sourceAddress: '192.168.1.1' };
  checkAuthorization(inside, 'secrets:secret:read', { organizationId: ORG, projectId: 'p1' });
  assert.throws(() => checkAuthorization(outside, 'secrets:secret:read', { organizationId: ORG, projectId: 'p1' }), denied);
  assert.deepEqual(projectsAllowing(outside, 'secrets:secret:list'), []);
  assert.equal(projectsAllowing(inside, 'secrets:secret:list'), null);
});
