import type { Child, FC } from "hono/jsx";

export interface DataTableProps {
  /** The table's accessible name (`aria-label`); page tests and browser tests select by it. */
  label: string;
  /** Header cells, each a `<th scope="col">`; without them the table has no `<thead>`. */
  columns?: readonly Child[];
  /** The body rows, each a `<tr>` the caller builds (with its data-* attributes). */
  rows: readonly Child[];
  /** Text of the one muted row spanning every column when `rows` is empty; no row without it. */
  empty?: Child;
  style?: string;
}

/** The dashboard table: labelled, column headers, caller-built rows and an empty-state row. */
export const DataTable: FC<DataTableProps> = ({ label, columns, rows, empty, style }) => (
  <table aria-label={label} style={style}>
    {columns ? (
      <thead>
        <tr>
          {columns.map((col) => (
            <th scope="col">{col}</th>
          ))}
        </tr>
      </thead>
    ) : null}
    <tbody>
      {rows.length === 0 && empty !== undefined ? (
        <tr>
          <td colspan={columns?.length ?? 1} class="muted">
            {empty}
          </td>
        </tr>
      ) : (
        rows
      )}
    </tbody>
  </table>
);
