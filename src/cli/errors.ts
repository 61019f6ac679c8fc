/**
 * The exit codes of every command, in one table (docs/cli.md repeats it). `run` exits
 * with its child's code once the child has started.
 */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  auth: 3,
  unreachable: 4,
  notFound: 5,
  syntax: 6,
  config: 7,
  unreadable: 8,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the CLI reports in one line and turns into an exit code; never carries a secret value. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
