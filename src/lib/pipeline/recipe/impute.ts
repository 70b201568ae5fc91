// The impute step: fills missing cells with a constant or a mean/median/mode fitted on the batch (or stored by fitRecipe).
import { parseScalar } from '../infer.ts';
import { isStringColumn } from '../table.ts';
import type { Column, DataTable, NumericColumn, StringColumn } from '../types.ts';
import { stepColumn, stepError, withColumn, withFormatOf } from './columns.ts';
import { modeLevel, numericStatistic } from './stats.ts';
import type { RecipeStep } from './types.ts';

type ImputeStep = Extract<RecipeStep, { kind: 'impute' }>;

/** What an impute step did: the table, the cells it filled, and the fill value used per column (for fitRecipe). */
export interface ImputeOutcome {
  table: DataTable;
  changed: number;
  fitted: Record<string, number | string>;
}

/** A given fill value as a number of the column's type, or a 'bad-argument' error naming value and column. */
function numericFill(raw: number | string, column: NumericColumn, where: string): number {
  const v = typeof raw === 'number' ? raw : parseScalar(raw.trim());
  const fits = v === v && (column.type !== 'boolean' || v === 0 || v === 1);
  if (!fits) throw stepError(where, `${JSON.stringify(raw)} is not a value of the ${column.type} column "${column.name}"`, column.name);
  return v;
}

/** A fitted statistic made to fit the column: booleans round to 0/1, dates to whole milliseconds. */
function shaped(value: number, column: NumericColumn): number {
  return column.type === 'boolean' || column.type === 'date' ? Math.round(value) : value;
}

function fillNumeric(column: NumericColumn, fill: number): { column: NumericColumn; changed: number } {
  const values = column.values.slice();
  let changed = 0;
  for (let i = 0; i < values.length; i++) {
    if ((values[i] as number) !== (values[i] as number)) {
      values[i] = fill;
      changed++;
    }
  }
  // An integer column filled with a fraction (a mean, a median between two values) becomes a number column.
  const type = column.type === 'integer' && !Number.isInteger(fill) ? 'number' : column.type;
  return { column: withFormatOf(column, { name: column.name, type, values }), changed };
}

function fillString(column: StringColumn, fill: string): { column: StringColumn; changed: number } {
  let code = column.levels.indexOf(fill);
  const levels = code < 0 ? [...column.levels, fill] : column.levels;
  if (code < 0) code = levels.length - 1;
  const codes = column.codes.slice();
  let changed = 0;
  for (let i = 0; i < codes.length; i++) {
    if ((codes[i] as number) < 0) {
      codes[i] = code;
      changed++;
    }
  }
  return { column: { name: column.name, type: column.type, codes, levels }, changed };
}

/** The missing cells of the column (of the rows `rows` when given). */
function countMissing(column: Column, rows: Int32Array | null): number {
  let n = 0;
  const count = rows ? rows.length : rowsOf(column);
  if (isStringColumn(column)) {
    const codes = column.codes;
    for (let i = 0; i < count; i++) if ((codes[rows ? (rows[i] as number) : i] as number) < 0) n++;
    return n;
  }
  const values = column.values;
  for (let i = 0; i < count; i++) {
    const v = values[rows ? (rows[i] as number) : i] as number;
    if (v !== v) n++;
  }
  return n;
}

function rowsOf(column: Column): number {
  return isStringColumn(column) ? column.codes.length : column.values.length;
}

/** The fill value of one column: the constant, the stored fitted value, or the statistic of this batch; null when there is none. */
function fillValue(column: Column, step: ImputeStep, where: string, useStored: boolean, rows: Int32Array | null): number | string | null {
  const stored = useStored ? step.fitted?.[column.name] : undefined;
  const given = step.method === 'constant' ? step.value : stored;
  if (isStringColumn(column)) {
    if (given !== undefined) return String(given);
    if (step.method !== 'mode') {
      throw stepError(where, `the ${step.method} needs a numeric column; "${column.name}" is ${column.type} (use mode or constant)`, column.name);
    }
    return modeLevel(column, rows);
  }
  if (given !== undefined) return numericFill(given, column, where);
  const value = numericStatistic(column.values, step.method as 'mean' | 'median' | 'mode', rows);
  return value === value ? shaped(value, column) : null;
}

/**
 * Fills the missing cells of each column. `useStored` takes the step's `fitted` values where present (applying
 * a saved recipe); without it every statistic is computed on this table (fitting). Columns with nothing to
 * fill are left as they are; an all-missing column has no statistic and stays missing. `rows`: the step runs on
 * those rows of the table (as if they were gathered first: the statistics and the check for gaps see only them),
 * but fills whole columns, so that the rows stay where they are (`changed` counts the cells of `rows`).
 */
export function imputeStep(table: DataTable, step: ImputeStep, where: string, useStored: boolean, rows: Int32Array | null = null): ImputeOutcome {
  let out = table;
  let changed = 0;
  const fitted: Record<string, number | string> = {};
  for (const name of step.columns) {
    const column = stepColumn(out, name, where);
    // What the step sees: the rows chosen, or the whole column.
    const gaps = countMissing(column, rows);
    const missing = gaps > 0;
    // Applying a recipe skips the statistic of a column with no gaps; fitting records it for later batches.
    if (!missing && useStored && step.method !== 'constant') continue;
    const fill = fillValue(column, step, where, useStored, rows);
    if (fill === null) continue;
    if (step.method !== 'constant') fitted[name] = fill;
    if (!missing) continue;
    const result = isStringColumn(column) ? fillString(column, fill as string) : fillNumeric(column, fill as number);
    out = withColumn(out, result.column);
    changed += rows ? gaps : result.changed;
  }
  return { table: out, changed, fitted };
}
