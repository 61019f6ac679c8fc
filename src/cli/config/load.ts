import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError, EXIT } from '../errors.js';
import { configSchema, type CofferConfig } from './schema.js';

/** `COFFER_CONFIG`, else `$XDG_CONFIG_HOME/coffer/config.json`, else `~/.config/coffer/config.json`. */
export const configPath = (): string =>
  process.env.COFFER_CONFIG || join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'coffer', 'config.json');

let cached: CofferConfig | undefined;

/** The config file, validated; a missing default file is an empty config, a missing named one an error. */
export const loadConfig = (): CofferConfig => {
  if (cached) {
    return cached;
  }
  const path = configPath();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !process.env.COFFER_CONFIG) {
      cached = configSchema.parse({});
      return cached;
    }
    throw new CliError(`cannot read the config file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, EXIT.config);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new CliError(`the config file ${path} is not valid JSON`, EXIT.config);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new CliError(`the config file ${path} is invalid: ${problems.join('; ')}`, EXIT.config);
  }
  cached = parsed.data;
  return cached;
};
