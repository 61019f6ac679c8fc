import { CliError, EXIT } from '../errors.js';

/**
 * A .env file: `KEY=value` lines, optional `export `, `#` comments, values in single
 * quotes (literal) or double quotes (with \n, \t, \" and \\ escapes). Errors give the
 * file and line, never the value.
 */
export const parseEnvFile = (text: string, file: string): Record<string, string> => {
  const result: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) {
      return;
    }
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) {
      throw new CliError(`${file}:${index + 1}: expected KEY=value`, EXIT.usage);
    }
    const [, key = '', rest = ''] = match;
    result[key] = parseValue(rest, `${file}:${index + 1}`);
  });
  return result;
};

const parseValue = (rest: string, where: string): string => {
  const quote = rest[0];
  if (quote === "'" || quote === '"') {
    const end = rest.lastIndexOf(quote);
    if (end === 0) {
      throw new CliError(`${where}: unterminated ${quote} quote`, EXIT.usage);
    }
    const body = rest.slice(1, end);
    if (quote === "'") {
      return body;
    }
    return body.replace(/\\([nrt"\\])/g, (_all, char: string) => ({ n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' })[char] ?? char);
  }
  // An unquoted value ends at " #", as in shells and most dotenv readers.
  const comment = rest.search(/\s#/);
  return (comment < 0 ? rest : rest.slice(0, comment)).trim();
};
