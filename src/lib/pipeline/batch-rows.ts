// An appended version's batch: the rows its append added, which come last in the version's table.
import { gatherColumn } from './recipe/columns.ts';
import type { DataTable } from './types.ts';

/** The last `count` rows of a table (an append's batch); the whole table when it has no more rows than that. */
export function lastRows(table: DataTable, count: number): DataTable {
  if (count >= table.rowCount) return table;
  const rows = Int32Array.from({ length: Math.max(0, count) }, (_, i) => table.rowCount - count + i);
  return { rowCount: rows.length, columns: table.columns.map((c) => gatherColumn(c, rows)) };
}

/** The rows of a table at these indexes, in their order. */
export function rowsAt(table: DataTable, rows: Int32Array): DataTable {
  return { rowCount: rows.length, columns: table.columns.map((c) => gatherColumn(c, rows)) };
}

/**
 * Which rows of a recipe's output belong to the batch: those whose input row (`sourceRows[i]`, or i itself
 * when the recipe kept every row in order) is one of the input's last `batchRows` rows.
 */
export function batchRowsAfterRecipe(inputRows: number, batchRows: number, outputRows: number, sourceRows: Int32Array | null): Int32Array {
  const first = inputRows - batchRows;
  if (!sourceRows) return Int32Array.from({ length: Math.max(0, outputRows - first) }, (_, i) => first + i);
  const kept: number[] = [];
  for (let i = 0; i < sourceRows.length; i++) if ((sourceRows[i] as number) >= first) kept.push(i);
  return Int32Array.from(kept);
}
