import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { BackupService, ExportService } from '../../core/backup/index.js';
import { actorOf } from '../auth.js';
import { parseWith } from '../validation.js';

const exportSchema = z.object({
  recipient: z.string().min(1).max(200),
  region: z.string().max(16).optional(),
  project_id: z.string().uuid().optional(),
  path_prefix: z.string().min(1).max(1024).optional(),
  tag: z.union([z.string().max(256), z.array(z.string().max(256)).max(32)]).optional(),
});

/**
 * The whole store as a backup stream (admin keys only), and selected secrets sealed to
 * a recipient key. Both are JSON Lines streamed as they are read; refusals come first.
 */
export const registerBackupRoutes = (app: FastifyInstance, services: { backup: BackupService; exports: ExportService; defaultRegion: string }): void => {
  app.get('/backup', async (request, reply) => {
    const lines = await services.backup.open(actorOf(request));
    return reply.header('content-type', 'application/x-ndjson').header('cache-control', 'no-store').send(Readable.from(lines));
  });

  app.get('/export', async (request, reply) => {
    const query = parseWith(exportSchema, request.query ?? {}, 'query');
    const tags = query.tag === undefined ? [] : Array.isArray(query.tag) ? query.tag : [query.tag];
    const lines = await services.exports.open(actorOf(request), {
      region: query.region ?? services.defaultRegion,
      projectId: query.project_id ?? null,
      pathPrefix: query.path_prefix ?? null,
      tags,
      recipient: query.recipient,
    });
    return reply.header('content-type', 'application/x-ndjson').header('cache-control', 'no-store').send(Readable.from(lines));
  });
};
