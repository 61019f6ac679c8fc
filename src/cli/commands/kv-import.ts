import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CliError, EXIT } from '../errors.js';
import { parseEnvFile } from '../run/env-file.js';

type Pairs = Record<string, string | number | boolean>;

/** A key_value secret holds flat pairs: nested values are refused here, naming the key (never its value). */
const flatPairs = (parsed: unknown, file: string): Pairs => {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError(`${file}: expected an object of key/value pairs`, EXIT.usage);
  }
  for (const [key, value] of Object.entries(parsed)) {
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      throw new CliError(`${file}: the value of "${key}" is not a string, number or boolean`, EXIT.usage);
    }
  }
  return parsed as Pairs;
};

/** Reads .env, .json or .yaml/.yml into the JSON object a key_value version holds. */
export const importPairs = async (file: string): Promise<Buffer> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, EXIT.usage);
  }
  const extension = extname(file).toLowerCase();
  let pairs: Pairs;
  try {
    if (extension === '.json') {
      pairs = flatPairs(JSON.parse(text), file);
    } else if (extension === '.yaml' || extension === '.yml') {
      pairs = flatPairs(parseYaml(text), file);
    } else {
      pairs = parseEnvFile(text, file);
    }
  } catch (error) {
    throw error instanceof CliError ? error : new CliError(`${file}: not valid ${extension === '.json' ? 'JSON' : 'YAML'}`, EXIT.usage);
  }
  return Buffer.from(JSON.stringify(pairs));
};
