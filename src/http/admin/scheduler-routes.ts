import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { JobOutcome, PassReport, SchedulerStatus } from '../../core/scheduler/index.js';
import { formatMicros } from '../../shared/clock.js';
import { actorOf } from '../auth.js';
import { sendJson } from '../json.js';
import type { CofferServices } from '../services.js';
import { parseWith } from '../validation.js';

/** Ten years: far enough for any expiry test, small enough to stay an exact number of microseconds. */
const MAX_ADVANCE_SECONDS = 10 * 366 * 24 * 3600;
const advanceSchema = z.object({ advance_seconds: z.number().min(0).max(MAX_ADVANCE_SECONDS) });

const time = (micros: number | null) => (micros === null ? null : formatMicros(micros));

const presentOutcome = (outcome: JobOutcome) => ({ name: outcome.name, handled: outcome.handled, error: outcome.error });

const presentPass = (report: PassReport) => ({
  leader: report.leader,
  ran: report.leader,
  started_at: time(report.startedAt),
  finished_at: time(report.finishedAt),
  jobs: report.jobs.map(presentOutcome),
});

const presentStatus = (status: SchedulerStatus) => ({
  leader: status.leader,
  interval_seconds: status.intervalSeconds,
  passes: status.passes,
  last_pass_started_at: time(status.lastPassStartedAt),
  last_pass_finished_at: time(status.lastPassFinishedAt),
  lag_seconds: status.lagSeconds,
  jobs: status.jobs.map((job) => ({
    name: job.name,
    runs: job.runs,
    failures: job.failures,
    handled_total: job.handledTotal,
    last_handled: job.lastHandled,
    last_error: job.lastError,
    last_run_at: time(job.lastRunAt),
  })),
});

/**
 * The scheduler's status and "run a pass now" (admin keys only), and, only when the
 * server runs on the test clock, the route that moves that clock forward: otherwise the
 * route does not exist at all.
 */
export const registerSchedulerRoutes = (app: FastifyInstance, services: CofferServices): void => {
  app.get('/scheduler', async (request, reply) => {
    const actor = actorOf(request);
    services.iam.authorize(actor, 'scheduler:status:read', { organizationId: actor.organizationId });
    return sendJson(reply, 200, presentStatus(services.scheduler.status()));
  });

  app.post('/scheduler/run', async (request, reply) => {
    const actor = actorOf(request);
    services.iam.authorize(actor, 'scheduler:pass:run', { organizationId: actor.organizationId });
    return sendJson(reply, 200, presentPass(await services.scheduler.runPass()));
  });

  const testClock = services.testClock;
  if (testClock === null) {
    return;
  }
  app.post('/test/clock', async (request, reply) => {
    const actor = actorOf(request);
    services.iam.authorize(actor, 'scheduler:clock:advance', { organizationId: actor.organizationId });
    const body = parseWith(advanceSchema, request.body ?? {});
    testClock.advance(body.advance_seconds);
    return sendJson(reply, 200, { offset_seconds: testClock.offsetSeconds(), now: formatMicros(testClock.nowMicros()) });
  });
};
