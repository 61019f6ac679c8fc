// The benches beside the main table: scale-out over several processes (in every run)
// and a million secrets (with --million). Each writes a section of its own into
// docs/benchmarks.md, between markers, below the analysis the main bench keeps.
//   npm run bench                      main table, then scale-out
//   npm run bench -- --million         main table, scale-out, then a million secrets
//   npm run bench -- --only=scale      only the scale-out (or --only=million, --only=scale,million)
import { cpus } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT_DIR } from '../test/helpers/server.js';
import { benchMillion, millionSection } from './bench-million.js';
import { benchScaleOut, scaleSection } from './bench-scale.js';

const FILE = join(ROOT_DIR, 'docs', 'benchmarks.md');

type Extra = 'scale' | 'million';

const chosen = (args: readonly string[]): { only: boolean; extras: Extra[] } => {
  const only = args.find((arg) => arg.startsWith('--only='));
  if (only !== undefined) {
    return { only: true, extras: only.slice('--only='.length).split(',').filter((name): name is Extra => name === 'scale' || name === 'million') };
  }
  return { only: false, extras: args.includes('--million') ? ['scale', 'million'] : ['scale'] };
};

/** Replaces the section between its markers, or appends it with a heading. */
const writeSection = (name: string, heading: string, lines: readonly string[]): void => {
  const current = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '';
  const open = `<!-- bench:${name}: written by npm run bench -->`;
  const close = `<!-- /bench:${name} -->`;
  const body = [open, `Generated on ${new Date().toISOString()}.`, '', ...lines, close].join('\n');
  const start = current.indexOf(open);
  const end = current.indexOf(close);
  const next = start !== -1 && end > start ? `${current.slice(0, start)}${body}${current.slice(end + close.length)}` : `${current.trimEnd()}\n\n## ${heading}\n\n${body}\n`;
  writeFileSync(FILE, next);
};

const runExtras = async (extras: readonly Extra[]): Promise<void> => {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  if (extras.includes('scale')) {
    const result = await benchScaleOut(Number(process.env.BENCH_SECRETS ?? 10_000), seconds, 3, cpus().length);
    writeSection('scale-out', 'Several processes on one PostgreSQL', scaleSection(result));
  }
  if (extras.includes('million')) {
    const count = Number(process.env.BENCH_MILLION ?? 1_000_000);
    const results = [await benchMillion('sqlite', count, seconds), await benchMillion('postgres', count, seconds)];
    writeSection('million', 'A million secrets', millionSection(results));
  }
};

/** With --only=…, runs just those benches and answers true: the main table is skipped. */
export const runOnlyExtras = async (args: readonly string[]): Promise<boolean> => {
  const { only, extras } = chosen(args);
  if (only) {
    await runExtras(extras);
  }
  return only;
};

/** After the main table: the extras a plain or --million run includes. */
export const runExtraBenches = async (args: readonly string[]): Promise<void> => {
  await runExtras(chosen(args).extras);
};
