import type { ReactNode } from 'react';
import { Empty } from './states';

export interface Column<T> {
  label: string;
  cell: (row: T) => ReactNode;
}

/** A table that turns into labelled cards on narrow screens (see styles.css). */
export const Table = <T,>({ caption, rows, columns, rowKey, empty }: { caption: string; rows: T[]; columns: Column<T>[]; rowKey: (row: T) => string; empty: ReactNode }) =>
  rows.length === 0 ? (
    <Empty>{empty}</Empty>
  ) : (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col" key={column.label}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column) => (
                <td key={column.label} data-label={column.label}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
