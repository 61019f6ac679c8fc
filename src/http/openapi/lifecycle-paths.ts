import { bool, int, nullableTime, object, operation, pathParam, str, uuid, type PathItems } from './builders.js';

const region = pathParam('region', 'a configured region, such as fr-par');
const secretId = pathParam('secret_id', 'the secret', uuid());

/** What Coffer's lifecycle endpoints answer: the secret's status, expiration and deletion window. */
export const lifecycleSchema = object({
  id: uuid(),
  region: str(),
  status: str('enabled, disabled or scheduled_for_deletion'),
  disabled_at: nullableTime(),
  expires_at: nullableTime('a certificate secret\'s is its newest leaf\'s notAfter'),
  deletion_requested_at: nullableTime(),
  deletion_scheduled_at: nullableTime('the same as deletion_requested_at'),
  purge_at: nullableTime('when the deletion window ends: the purge destroys the data and data keys, and restore is refused'),
  deactivate_version_after: str('versions created from now on are disabled once this old (a Go duration; 0s: never)'),
  deactivate_version_after_seconds: int(),
});

/** Pending deletion, restore and version deactivation (the scheduler is in operations-paths.ts). */
export const lifecyclePaths: PathItems = {
  '/coffer/v1/regions/{region}/secrets/{secret_id}/schedule-deletion': {
    post: operation({
      id: 'scheduleSecretDeletion',
      summary: 'Schedule a secret\'s deletion with a window of 7 to 30 days, or purge it at once',
      description:
        'Without a body the configured default window applies (7 days). `force` purges at once and for good, and needs `confirm` equal to the secret id; otherwise 400.',
      tag: 'secrets',
      parameters: [region, secretId],
      body: object({ window_days: int('7 to 30'), force: bool(), confirm: str('the secret id, with force') }, ['window_days', 'force', 'confirm']),
      ok: { status: 200, schema: { ...lifecycleSchema, properties: { ...(lifecycleSchema.properties as object), purged: bool() }, required: ['id', 'region', 'status', 'purged'] } },
      errors: [404, 412],
    }),
  },
  '/coffer/v1/regions/{region}/secrets/{secret_id}/restore': {
    post: operation({
      id: 'restoreSecret',
      summary: 'Restore a secret scheduled for deletion, until its window ends',
      tag: 'secrets',
      parameters: [region, secretId],
      ok: { status: 200, schema: lifecycleSchema },
      errors: [404, 412],
    }),
  },
  '/coffer/v1/regions/{region}/secrets/{secret_id}/deactivate-version-after': {
    put: operation({
      id: 'setDeactivateVersionAfter',
      summary: 'Disable versions created from now on once they reach this age (OVHcloud\'s deactivateVersionAfter)',
      tag: 'secrets',
      parameters: [region, secretId],
      body: object({ deactivate_version_after: str('a duration: 720h, 30d, or seconds; 0 turns it off') }),
      ok: { status: 200, schema: lifecycleSchema },
      errors: [404, 412],
    }),
  },
};
