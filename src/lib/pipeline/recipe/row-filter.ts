// A filter step of the simplest kind, `d => d.col < number` (or <=, >, >=) on an integer or number column, evaluated over the column's array: the same rows as the Arquero expression, without a call per row.
import type { DataTable } from '../types.ts';

/** `d => d.name op number`, as parseRowExpression normalizes a filter (with or without the arrow, in parentheses or not). */
const COMPARISON = /^\(?\s*([A-Za-z_$][\w$]*)\s*\)?\s*=>\s*\(?\s*([A-Za-z_$][\w$]*)\.([A-Za-z_$][\w$]*)\s*(<=|>=|<|>)\s*(-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*\)?$/;

export interface Comparison {
  column: string;
  op: '<' | '<=' | '>' | '>=';
  value: number;
}

/** The comparison a normalized filter expression is, or null for any other expression. */
export function simpleComparison(expression: string): Comparison | null {
  const match = COMPARISON.exec(expression.trim());
  if (!match || match[1] !== match[2]) return null;
  const value = Number(match[5]);
  if (!Number.isFinite(value)) return null;
  return { column: match[3] as string, op: match[4] as Comparison['op'], value };
}

/**
 * 1 where the comparison holds at row `rows[i]` (or i), as the expression sees the cell: a number, or null when
 * missing, which JavaScript compares as 0 (so `d.x < 5` holds on a missing x, `d.x > 5` does not). Null when
 * the column is not an integer or number column (dates, booleans and text go through Arquero).
 */
export function compareRows(table: DataTable, comparison: Comparison, rows: Int32Array | null): Uint8Array | null {
  const column = table.columns.find((c) => c.name === comparison.column);
  if (!column || 'codes' in column || (column.type !== 'integer' && column.type !== 'number')) return null;
  const values = column.values;
  const n = rows ? rows.length : table.rowCount;
  const out = new Uint8Array(n);
  const t = comparison.value;
  const at = (i: number) => {
    const v = values[rows ? (rows[i] as number) : i] as number;
    return v === v ? v : 0;
  };
  switch (comparison.op) {
    case '<':
      for (let i = 0; i < n; i++) out[i] = at(i) < t ? 1 : 0;
      break;
    case '<=':
      for (let i = 0; i < n; i++) out[i] = at(i) <= t ? 1 : 0;
      break;
    case '>':
      for (let i = 0; i < n; i++) out[i] = at(i) > t ? 1 : 0;
      break;
    case '>=':
      for (let i = 0; i < n; i++) out[i] = at(i) >= t ? 1 : 0;
      break;
  }
  return out;
}
