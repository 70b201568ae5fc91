// Recipe steps that remove rows: drop duplicates, drop rows with missing cells, keep rows matching an expression.
import { evaluateExpression } from '../quality/expression.ts';
import { isStringColumn } from '../table.ts';
import type { Column, DataTable } from '../types.ts';
import { stepColumn } from './columns.ts';
import { firstOccurrences } from './duplicates.ts';
import type { RecipeStep } from './types.ts';

type Step<K extends RecipeStep['kind']> = Extract<RecipeStep, { kind: K }>;

/** 1 for each row that does not repeat an earlier row in `columns` (all columns by default). */
export function uniqueRows(table: DataTable, step: Step<'drop-duplicates'>, where: string): Uint8Array {
  const columns = step.columns ? step.columns.map((name) => stepColumn(table, name, where)) : table.columns;
  return firstOccurrences(columns, null, table.rowCount);
}

/** Adds 1 to `counts` at each row where the column is missing. */
function countMissing(column: Column, counts: Uint8Array | Uint16Array): void {
  if (isStringColumn(column)) {
    const codes = column.codes;
    for (let i = 0; i < codes.length; i++) if ((codes[i] as number) < 0) counts[i] = (counts[i] as number) + 1;
  } else {
    const values = column.values;
    for (let i = 0; i < values.length; i++) if ((values[i] as number) !== (values[i] as number)) counts[i] = (counts[i] as number) + 1;
  }
}

/** 1 for each row keeping a value in the columns: in every one ('any', the default) or in at least one ('all'). */
export function rowsWithValues(table: DataTable, step: Step<'drop-missing'>, where: string): Uint8Array {
  const columns = step.columns.map((name) => stepColumn(table, name, where));
  const missing = columns.length < 256 ? new Uint8Array(table.rowCount) : new Uint16Array(table.rowCount);
  for (const column of columns) countMissing(column, missing);
  const limit = step.how === 'all' ? columns.length : 1;
  const keep = new Uint8Array(table.rowCount);
  for (let i = 0; i < keep.length; i++) keep[i] = (missing[i] as number) < limit ? 1 : 0;
  return keep;
}

/** 1 for each row where the step's Arquero expression is truthy; a bad expression is AppError 'bad-expression' naming the step. */
export function rowsMatching(table: DataTable, step: Step<'filter'>, where: string): Uint8Array {
  return evaluateExpression(table, step.expression, where);
}
