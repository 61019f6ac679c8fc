import { createWriteStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { failFrom } from '../client.js';
import { CliError, EXIT } from '../errors.js';
import { printObject, printRows } from '../output.js';
import { createProgress } from '../progress.js';
import { act, argument, openSession, withConnection, type Session } from './common.js';
import { linesOfFile, linesOfResponse, verifyExport } from './audit-verify.js';

const AUDIT = '/coffer/v1/audit';

interface AuditEvent {
  time: string;
  outcome: string;
  status: number;
  operation: string;
  action: string | null;
  actor: { access_key: string | null };
  resource: { secret_id: string | null };
  request_id: string;
}

interface SearchOptions {
  from?: string;
  to?: string;
  actor?: string;
  secret?: string;
  action?: string;
  outcome?: string;
  requestId?: string;
  limit: string;
}

const queryOf = (options: SearchOptions, cursor: string | null): string => {
  const params = new URLSearchParams();
  const set = (name: string, value: string | undefined | null) => value && params.set(name, value);
  set('from', options.from);
  set('to', options.to);
  set('actor', options.actor);
  set('secret_id', options.secret);
  set('action', options.action);
  set('outcome', options.outcome);
  set('request_id', options.requestId);
  set('page_size', options.limit);
  set('cursor', cursor);
  return params.toString();
};

const rowOf = (event: AuditEvent) => ({
  time: event.time,
  outcome: `${event.outcome} ${event.status}`,
  action: event.action ?? event.operation,
  actor: event.actor.access_key ?? '-',
  secret: event.resource.secret_id ?? '-',
});

const page = async (session: Session, options: SearchOptions, cursor: string | null) =>
  (await session.call<{ events: AuditEvent[]; next_cursor: string | null; more: boolean }>('GET', `${AUDIT}/events?${queryOf(options, cursor)}`)) ?? { events: [], next_cursor: null, more: false };

const withFilters = (command: Command): Command =>
  withConnection(command)
    .option('--from <rfc3339>', 'from this time (inclusive)')
    .option('--to <rfc3339>', 'until this time (exclusive)')
    .option('--actor <access-key>')
    .option('--secret <id>')
    .option('--action <action>', 'e.g. secrets:version:access')
    .option('--outcome <outcome>', 'success, denied, failed or error')
    .option('--request-id <id>')
    .option('--limit <n>', 'events per page', '100');

/** `coffer audit`: search, follow, export and verify the audit trail, and secrets' usage. */
export const registerAudit = (program: Command): void => {
  const audit = program.command('audit').description('the audit trail: search, tail, export, verify, usage');

  withFilters(audit.command('search').description('events matching the filters, oldest first')).action(
    act(async (command) => {
      const session = openSession(command);
      const result = await page(session, command.opts<SearchOptions>(), null);
      printRows(session.format, result, result.events.map(rowOf));
    }),
  );

  withFilters(audit.command('tail').description('the latest events; with -f, keep following'))
    .option('-f, --follow', 'keep printing new events')
    .option('--since <minutes>', 'start this many minutes back', '10')
    .option('--interval <seconds>', 'poll interval when following', '1')
    .action(
      act(async (command) => {
        const session = openSession(command);
        const options = command.opts<SearchOptions & { follow?: boolean; since: string; interval: string }>();
        const filters = { ...options, from: options.from ?? new Date(Date.now() - Number(options.since) * 60_000).toISOString() };
        let cursor: string | null = null;
        for (;;) {
          const result = await page(session, filters, cursor);
          for (const event of result.events) {
            console.log(session.format === 'table' ? Object.values(rowOf(event)).join('  ') : JSON.stringify(event));
          }
          cursor = result.next_cursor ?? cursor;
          if (!result.more) {
            if (!options.follow) {
              return;
            }
            await sleep(Number(options.interval) * 1000);
          }
        }
      }),
    );

  withConnection(audit.command('export').description('the trail (or a time range) as JSON Lines, streamed to a file'))
    .option('--from <rfc3339>')
    .option('--to <rfc3339>')
    .requiredOption('-O, --out <file>', 'where to write the export')
    .action(
      act(async (command) => {
        const session = openSession(command);
        const options = command.opts<{ from?: string; to?: string; out: string }>();
        const response = await session.client.request('GET', `${AUDIT}/export?${queryOf({ ...options, limit: '' }, null)}`);
        if (!response.ok) {
          await failFrom(response);
        }
        const out = createWriteStream(options.out, { mode: 0o600 });
        const progress = createProgress('exporting');
        let total = 0;
        let events = 0;
        for await (const line of linesOfResponse(response)) {
          if (total === 0 && line.includes('"type":"header"')) {
            total = (JSON.parse(line) as { totalEvents: number }).totalEvents;
          } else if (line.startsWith('{"type":"event"')) {
            events += 1;
            if (events % 500 === 0 || events === total) {
              progress.update(events, total);
            }
          }
          if (!out.write(`${line}\n`)) {
            await new Promise<void>((resolve) => out.once('drain', () => resolve()));
          }
        }
        await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
        progress.finish();
        console.error(`exported ${events} events to ${options.out}`);
      }),
    );

  withConnection(audit.command('verify').description('check the hash chains and signed checkpoints; offline with --file'))
    .option('--file <export>', 'verify a saved export instead of the live trail')
    .option('--public-key <pem-file>', "trust this key, not the one the export carries")
    .action(
      act(async (command) => {
        const options = command.opts<{ file?: string; publicKey?: string; output: string }>();
        let lines: AsyncIterable<string>;
        if (options.file) {
          lines = linesOfFile(options.file);
        } else {
          const response = await openSession(command).client.request('GET', `${AUDIT}/export`);
          if (!response.ok) {
            await failFrom(response);
          }
          lines = linesOfResponse(response);
        }
        const report = await verifyExport(lines, options.publicKey);
        if (options.output === 'json') {
          console.log(JSON.stringify(report, null, 2));
        } else if (report.ok) {
          console.log(`ok: ${report.events} events in ${report.chains} chains, ${report.checkpoints} signed checkpoints`);
        }
        if (!report.ok && report.firstBreak) {
          throw new CliError(`chain ${report.firstBreak.chainId} is broken at event ${report.firstBreak.seq}: ${report.firstBreak.message}`, EXIT.failure);
        }
      }),
    );

  withConnection(audit.command('usage').argument('<secret-id>').description("how often a secret's versions were read, and by whom")).action(
    act(async (command) => {
      const session = openSession(command);
      const usage = await session.call('GET', `${AUDIT}/secrets/${encodeURIComponent(argument(command, 0))}/usage`);
      printObject(session.format, usage ?? {});
    }),
  );

  withConnection(audit.command('unused').description('secrets nobody has read for some days'))
    .requiredOption('--days <n>')
    .action(
      act(async (command) => {
        const session = openSession(command);
        const days = command.opts<{ days: string }>().days;
        const project = session.options.project ? `&project_id=${encodeURIComponent(session.options.project)}` : '';
        const result = await session.call<{ secrets: Record<string, unknown>[] }>('GET', `${AUDIT}/unused-secrets?days=${encodeURIComponent(days)}&region=${encodeURIComponent(session.client.region)}${project}`);
        const rows = (result?.secrets ?? []).map((secret) => ({ id: String(secret.id), name: String(secret.name), path: String(secret.path), last_accessed_at: String(secret.last_accessed_at ?? 'never') }));
        printRows(session.format, result, rows);
      }),
    );
};
