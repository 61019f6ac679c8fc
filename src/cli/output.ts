import { stringify } from 'yaml';
import { CliError, EXIT } from './errors.js';

export const OUTPUT_FORMATS = ['table', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const parseOutputFormat = (value: string): OutputFormat => {
  // "text" is what `keys rotate` has always called its table.
  const format = value === 'text' ? 'table' : value;
  const known = OUTPUT_FORMATS.find((candidate) => candidate === format);
  if (!known) {
    throw new CliError(`--output must be one of ${OUTPUT_FORMATS.join(', ')}`, EXIT.usage);
  }
  return known;
};

/** Colour only for a person at a terminal: never in pipes, files, NO_COLOR or TERM=dumb. */
const useColour = (stream: NodeJS.WriteStream = process.stdout): boolean =>
  stream.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb';

const STATUS_COLOURS: Record<string, string> = {
  enabled: '32',
  ready: '32',
  active: '32',
  true: '32',
  disabled: '33',
  deactivated: '33',
  scheduled_for_deletion: '31',
  deleted: '31',
  locked: '31',
};

const paint = (code: string, text: string): string => `\u001b[${code}m${text}\u001b[0m`;

const printStructured = (format: 'json' | 'yaml', json: unknown): void => {
  process.stdout.write(format === 'json' ? `${JSON.stringify(json, null, 2)}\n` : stringify(json));
};

/** Prints rows as aligned columns (bold header and coloured states on a terminal), or the server's JSON or YAML as is. */
export const printRows = (format: string, json: unknown, rows: Record<string, string>[]): void => {
  const chosen = parseOutputFormat(format);
  if (chosen !== 'table') {
    printStructured(chosen, json);
    return;
  }
  const first = rows[0];
  if (!first) {
    console.log('(none)');
    return;
  }
  const colour = useColour();
  const columns = Object.keys(first);
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[], style?: (cell: string, index: number) => string) =>
    cells
      .map((cell, index) => {
        const padded = cell.padEnd(widths[index] ?? 0);
        return style ? style(padded, index) : padded;
      })
      .join('  ')
      .trimEnd();
  console.log(line(columns.map((column) => column.toUpperCase()), colour ? (cell) => paint('1', cell) : undefined));
  for (const row of rows) {
    const cells = columns.map((column) => row[column] ?? '');
    console.log(line(cells, colour ? (cell, index) => (STATUS_COLOURS[cells[index] ?? ''] ? paint(STATUS_COLOURS[cells[index] ?? ''] ?? '0', cell) : cell) : undefined));
  }
};

/** A value as one table cell: objects as compact JSON, null and undefined as nothing. */
export const cell = (value: unknown): string =>
  value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);

/** One object: a FIELD/VALUE table, or JSON/YAML. */
export const printObject = (format: string, json: Record<string, unknown>): void => {
  printRows(format, json, Object.entries(json).map(([key, value]) => ({ field: key, value: cell(value) })));
};

