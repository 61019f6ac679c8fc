import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import { CliError, createClient, failFrom } from '../client.js';
import { createProgress } from '../progress.js';

interface RotationLine {
  type: string;
  project_id?: string;
  region?: string;
  done?: number;
  total?: number;
  key_id?: string;
  generation?: number;
  rewrapped?: number;
}

/** `coffer keys rotate`: new key-encryption keys, data keys re-wrapped online. */
export const registerKeys = (program: Command): void => {
  const keys = program.command('keys').description('manage key-encryption keys');
  keys
    .command('rotate')
    .description('rotate key-encryption keys and re-wrap their data keys, online')
    .option('--project <id>', 'only this project')
    .option('--region <region>', 'only this region')
    .option('--url <url>', 'server URL [env COFFER_ADDR or SCW_API_URL]')
    .option('--secret-key <key>', 'API secret key [env COFFER_SECRET_KEY or SCW_SECRET_KEY]')
    .option('--output <format>', 'text or json', 'text')
    .action(async (options: { project?: string; region?: string; url?: string; secretKey?: string; output: string }) => {
      try {
        const client = createClient(options);
        const response = await client.request('POST', '/coffer/v1/keys/rotate', {
          ...(options.project ? { project_id: options.project } : {}),
          ...(options.region ? { region: options.region } : {}),
        });
        if (!response.ok || !response.body) {
          await failFrom(response);
          return;
        }
        const results: RotationLine[] = [];
        const lines = createInterface({ input: Readable.fromWeb(response.body as import('node:stream/web').ReadableStream) });
        let progress: ReturnType<typeof createProgress> | undefined;
        for await (const raw of lines) {
          const line = JSON.parse(raw) as RotationLine;
          if (line.type === 'progress') {
            progress ??= createProgress(`re-wrapping ${line.project_id ?? ''}/${line.region ?? ''}`);
            progress.update(line.done ?? 0, line.total ?? 0);
          } else if (line.type === 'rotated') {
            progress?.finish();
            progress = undefined;
            results.push(line);
          }
        }
        if (options.output === 'json') {
          console.log(JSON.stringify(results, null, 2));
          return;
        }
        for (const result of results) {
          console.log(`${result.project_id ?? ''} ${result.region ?? ''}: generation ${result.generation ?? 0}, ${result.rewrapped ?? 0} data keys re-wrapped`);
        }
        if (results.length === 0) {
          console.log('no keys to rotate');
        }
      } catch (error) {
        if (error instanceof CliError) {
          console.error(error.message);
          process.exit(error.exitCode);
        }
        throw error;
      }
    });
};
