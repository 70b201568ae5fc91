// Decides the learning task (binary, multiclass, regression) from the target column's values.
import { AppError } from './errors.ts';
import { cellValue, isStringColumn } from './table.ts';
import type { Column, TaskKind } from './types.ts';

/** Distinct non-missing values of a column, up to `limit` of them, as display strings. */
function distinctValues(column: Column, limit: number): string[] {
  const seen = new Set<string>();
  if (isStringColumn(column)) {
    const used = new Uint8Array(column.levels.length);
    for (const code of column.codes) {
      if (code < 0 || used[code]) continue;
      used[code] = 1;
      seen.add(column.levels[code] ?? '');
      if (seen.size >= limit) break;
    }
    return [...seen];
  }
  const numbers = new Set<number>();
  for (const v of column.values) {
    if (v !== v || numbers.has(v)) continue;
    numbers.add(v);
    if (numbers.size >= limit) break;
  }
  const index = column.values.indexOf.bind(column.values);
  for (const v of numbers) seen.add(String(cellValue(column, index(v))));
  return [...seen];
}

/**
 * Picks the task for a target: two values → binary; strings and booleans → multiclass;
 * integers with at most 10 values → multiclass; anything else → regression.
 */
export function inferTask(column: Column): TaskKind {
  const values = distinctValues(column, 12);
  if (values.length === 0) {
    throw new AppError('single-value-target', `Target "${column.name}" has no values; pick a column with at least two`, {
      column: column.name,
    });
  }
  if (values.length === 1) {
    throw new AppError(
      'single-value-target',
      `Target "${column.name}" has only one value ("${values[0]}"); pick a column with at least two`,
      { column: column.name },
    );
  }
  if (values.length === 2) return 'binary';
  if (isStringColumn(column) || column.type === 'boolean') return 'multiclass';
  if (column.type === 'integer' && values.length <= 10) return 'multiclass';
  return 'regression';
}
