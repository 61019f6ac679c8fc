import { arrayOf, bool, int, nullableStr, nullableTime, object, operation, queryParam, str, uuid, type PathItems } from './builders.js';

const job = object({ name: str(), runs: int(), failures: int(), handled_total: int(), last_handled: { type: ['integer', 'null'] }, last_error: nullableStr(), last_run_at: nullableTime() });
const outcome = object({ name: str(), handled: int(), error: nullableStr() });

/** The scheduler, backups and exports: administrators' endpoints. */
export const operationsPaths: PathItems = {
  '/coffer/v1/scheduler': {
    get: operation({
      id: 'schedulerStatus',
      summary: 'This process\'s scheduler: whether it leads, its lag, and each job\'s runs',
      tag: 'scheduler',
      ok: {
        status: 200,
        schema: object({
          leader: bool('only the process holding the leader lock runs jobs'),
          interval_seconds: { type: 'number' },
          passes: int(),
          last_pass_started_at: nullableTime(),
          last_pass_finished_at: nullableTime(),
          lag_seconds: { type: 'number' },
          jobs: arrayOf(job),
        }),
      },
    }),
  },
  '/coffer/v1/scheduler/run': {
    post: operation({
      id: 'runSchedulerPass',
      summary: 'Run one pass of every job now, if this process leads',
      tag: 'scheduler',
      ok: { status: 200, schema: object({ leader: bool(), ran: bool(), started_at: nullableTime(), finished_at: nullableTime(), jobs: arrayOf(outcome) }) },
    }),
  },
  '/coffer/v1/test/clock': {
    post: {
      ...operation({
        id: 'advanceTestClock',
        summary: 'Move the test clock forward (only on a server started with COFFER_TEST_CLOCK=on)',
        tag: 'scheduler',
        body: object({ advance_seconds: { type: 'number', minimum: 0 } }),
        ok: { status: 200, schema: object({ offset_seconds: { type: 'number' }, now: str(undefined, { format: 'date-time' }) }) },
      }),
      // Absent from a normal server: the OpenAPI coverage test knows it by this mark.
      'x-coffer-test-clock-only': true,
    },
  },
  '/coffer/v1/backup': {
    get: operation({
      id: 'backup',
      summary: 'The whole store as a consistent backup stream (admin keys only), read while the server runs',
      description: 'JSON Lines; `coffer backup` encrypts it into an archive.',
      tag: 'backup',
      ok: { status: 200, contentType: 'application/x-ndjson', schema: { type: 'object' } },
    }),
  },
  '/coffer/v1/export': {
    get: operation({
      id: 'exportSecrets',
      summary: 'Selected secrets sealed to a recipient key, for `coffer import` on another server',
      tag: 'backup',
      parameters: [
        { name: 'recipient', in: 'query', required: true, description: 'the recipient\'s public key', schema: str() },
        queryParam('region', 'default: the first configured region'),
        queryParam('project_id', 'one project', uuid()),
        queryParam('path_prefix', 'secrets under this path'),
        queryParam('tag', 'secrets with this tag; may repeat'),
      ],
      ok: { status: 200, contentType: 'application/x-ndjson', schema: { type: 'object' } },
    }),
  },
};
