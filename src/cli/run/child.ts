import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { finished } from 'node:stream/promises';
import { CliError } from '../errors.js';
import { Masker } from './masker.js';

/** Signals a person or a supervisor sends to `coffer run`, passed on to the child. */
const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'];

export interface ChildOptions {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Byte strings to conceal in the child's stdout and stderr; undefined means no masking. */
  mask: Buffer[] | undefined;
}

export type ChildExit = { code: number; signal?: undefined } | { code?: undefined; signal: NodeJS.Signals };

/**
 * Runs the command without a shell. With masking, stdout and stderr go through a
 * redactor each; stdin is always inherited. Resolves once the child has exited and
 * its output is written out.
 */
export const runChild = async (options: ChildOptions): Promise<ChildExit> => {
  const masking = options.mask !== undefined;
  const child = spawn(options.command, options.args, { env: options.env, stdio: ['inherit', masking ? 'pipe' : 'inherit', masking ? 'pipe' : 'inherit'] });
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(new CliError(`cannot run ${options.command}: ${error.code === 'ENOENT' ? 'command not found' : (error.code ?? error.message)}`, error.code === 'ENOENT' ? 127 : 126)),
    );
  });
  const piped: Promise<void>[] = [];
  if (options.mask && child.stdout && child.stderr) {
    for (const [source, target] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ] as const) {
      const masker = new Masker(options.mask);
      source.pipe(masker).pipe(target, { end: false });
      piped.push(finished(masker));
    }
  }
  await spawned;
  const forward = (signal: NodeJS.Signals) => {
    child.kill(signal);
  };
  for (const signal of FORWARDED) {
    process.on(signal, forward);
  }
  const exit = await new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ? { signal } : { code: code ?? 1 }));
  });
  await Promise.all(piped);
  for (const signal of FORWARDED) {
    process.off(signal, forward);
  }
  return exit;
};

/**
 * Ends this process the way the child ended: the same exit code, or the same signal
 * raised on itself so a supervisor sees it (128 + its number if that does not stop us).
 */
export const exitLike = (exit: ChildExit): void => {
  if (exit.signal === undefined) {
    process.exit(exit.code);
  }
  // Node ignores SIGPIPE and uses SIGUSR1 for its inspector: those only give the code.
  if (RERAISED.has(exit.signal)) {
    process.kill(process.pid, exit.signal);
  }
  process.exit(128 + (constants.signals[exit.signal] ?? 0));
};

const RERAISED = new Set<NodeJS.Signals>(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGKILL', 'SIGABRT', 'SIGALRM', 'SIGUSR2', 'SIGSEGV', 'SIGBUS']);

