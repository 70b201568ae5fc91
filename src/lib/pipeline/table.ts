// Column access helpers for DataTable: lookup by name, display values, missing checks, string views.
import { AppError } from './errors.ts';
import { formatDate } from './infer.ts';
import type { Column, DataTable, NumericColumn, StringColumn } from './types.ts';

/** True for columns stored as numbers (integer, number, boolean, date). */
export function isNumericColumn(column: Column): column is NumericColumn {
  return 'values' in column;
}

/** True for columns stored as dictionary codes (category, text). */
export function isStringColumn(column: Column): column is StringColumn {
  return 'codes' in column;
}

/** Returns the column with this exact name, or throws 'unknown-column' listing the columns there are. */
export function getColumn(table: DataTable, name: string): Column {
  const column = table.columns.find((c) => c.name === name);
  if (column) return column;
  const names = table.columns.map((c) => `"${c.name}"`);
  const shown = names.length > 12 ? `${names.slice(0, 12).join(', ')} and ${names.length - 12} more` : names.join(', ');
  throw new AppError('unknown-column', `Unknown column "${name}"; columns are: ${shown}`, { column: name });
}

/** True when the cell is missing (NaN in numeric columns, code -1 in string columns). */
export function isMissing(column: Column, row: number): boolean {
  return isNumericColumn(column) ? Number.isNaN(column.values[row]) : (column.codes[row] ?? -1) < 0;
}

/** The value of a cell for display: dates as ISO strings, booleans as true/false, missing as null. */
export function cellValue(column: Column, row: number): string | number | boolean | null {
  if (isStringColumn(column)) {
    const code = column.codes[row] ?? -1;
    return code < 0 ? null : (column.levels[code] ?? null);
  }
  const value = column.values[row] ?? NaN;
  if (Number.isNaN(value)) return null;
  if (column.type === 'boolean') return value !== 0;
  if (column.type === 'date') return formatDate(value);
  return value;
}

/** The text form of a non-missing numeric value, as it is matched against category levels and class names. */
export function numericToString(column: NumericColumn, value: number): string {
  if (column.type === 'boolean') return value !== 0 ? 'true' : 'false';
  if (column.type === 'date') return formatDate(value);
  return String(value);
}

/** The cells of a column as strings (null for missing), for all rows or the given ones. */
export function columnAsStrings(column: Column, rows?: ArrayLike<number>): (string | null)[] {
  const count = rows ? rows.length : rowCountOf(column);
  const out = new Array<string | null>(count);
  if (isStringColumn(column)) {
    for (let i = 0; i < count; i++) {
      const code = column.codes[rows ? (rows[i] as number) : i] ?? -1;
      out[i] = code < 0 ? null : (column.levels[code] ?? null);
    }
  } else {
    for (let i = 0; i < count; i++) {
      const value = column.values[rows ? (rows[i] as number) : i] ?? NaN;
      out[i] = Number.isNaN(value) ? null : numericToString(column, value);
    }
  }
  return out;
}

/** Number of cells a column holds. */
export function rowCountOf(column: Column): number {
  return isStringColumn(column) ? column.codes.length : column.values.length;
}
