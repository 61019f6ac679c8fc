/** Prints rows as aligned columns, or the server's JSON as is. */
export const printRows = (format: string, json: unknown, rows: Record<string, string>[]): void => {
  if (format === 'json') {
    console.log(JSON.stringify(json, null, 2));
    return;
  }
  const first = rows[0];
  if (!first) {
    console.log('(none)');
    return;
  }
  const columns = Object.keys(first);
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ').trimEnd();
  console.log(line(columns.map((column) => column.toUpperCase())));
  for (const row of rows) {
    console.log(line(columns.map((column) => row[column] ?? '')));
  }
};
