import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { CliError, EXIT } from '../errors.js';

/**
 * Credentials in the config are never written in clear: they name where to read the
 * value (Plakar's SDK convention). `env:NAME` reads a variable, `file:PATH` a file
 * (`~` is the home folder), `cmd:COMMAND` the output of a shell command. A trailing
 * newline is dropped, as a password manager's CLI prints one.
 */
export const isSource = (value: string): boolean => /^(env|file|cmd):./.test(value);

const expandHome = (path: string): string => (path === '~' || path.startsWith('~/') ? `${homedir()}${path.slice(1)}` : path);

const trimNewline = (text: string): string => text.replace(/\r?\n$/, '');

/** Values read in this process, so a `cmd:` source runs once per command, not once per reference. Memory only. */
const readValues = new Map<string, string>();

/** Reads a credential source; `label` names the config field in errors, never the value. */
export const readSource = (source: string, label: string): string => {
  const known = readValues.get(source);
  if (known !== undefined) {
    return known;
  }
  const value = readUncached(source, label);
  readValues.set(source, value);
  return value;
};

const readUncached = (source: string, label: string): string => {
  if (!isSource(source)) {
    throw new CliError(`${label} must be env:NAME, file:PATH or cmd:COMMAND; credentials are never stored in clear in the config`, EXIT.config);
  }
  const kind = source.slice(0, source.indexOf(':'));
  const target = source.slice(kind.length + 1);
  let value: string;
  if (kind === 'env') {
    value = process.env[target] ?? '';
    if (value === '') {
      throw new CliError(`${label}: environment variable ${target} is not set`, EXIT.config);
    }
    return value;
  }
  if (kind === 'file') {
    try {
      value = trimNewline(readFileSync(expandHome(target), 'utf8'));
    } catch (error) {
      throw new CliError(`${label}: cannot read ${target}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, EXIT.config);
    }
  } else {
    try {
      // stderr is inherited so a prompt or a tool's own error reaches the user.
      value = trimNewline(execFileSync('/bin/sh', ['-c', target], { encoding: 'utf8', stdio: ['inherit', 'pipe', 'inherit'] }));
    } catch (error) {
      const status = (error as { status?: number }).status;
      throw new CliError(`${label}: command failed${status === undefined ? '' : ` with exit code ${status}`}`, EXIT.config);
    }
  }
  if (value === '') {
    throw new CliError(`${label}: ${kind === 'file' ? target : 'the command'} gave an empty value`, EXIT.config);
  }
  return value;
};
