// How a run divides its rows: random, stratified or time-based test split, validation slices and CV folds.
import { AppError } from '../pipeline/errors.ts';
import { dateValue, numericValue } from '../pipeline/features/columns.ts';
import { parseIsoDate, parseScalar } from '../pipeline/infer.ts';
import { kFolds, splitRows, timeFolds, timeSplit } from '../pipeline/split.ts';
import { getColumn, isStringColumn } from '../pipeline/table.ts';
import type { DataTable, TaskKind } from '../pipeline/types.ts';

export type SplitKind = 'random' | 'stratified' | 'time';

/** Rows and the means to split them the same way again (validation slices, folds). */
export interface Splitter {
  kind: SplitKind;
  /** Divides `rows` (a subset of the table's rows) into a train and a held-out part of `fraction`. */
  split(rows: Int32Array, fraction: number, seed: number): { train: Int32Array; test: Int32Array };
  /** K cross-validation folds of `rows`. */
  folds(rows: Int32Array, k: number, seed: number): { train: Int32Array; test: Int32Array }[];
}

/** Stratum of each row in `rows`: the index of its target value, so both splits keep the class balance. */
export function targetStrata(table: DataTable, target: string, rows: Int32Array): Int32Array {
  const column = getColumn(table, target);
  if ('codes' in column) return Int32Array.from(rows, (row) => column.codes[row]!);
  const seen = new Map<number, number>();
  return Int32Array.from(rows, (row) => {
    const value = column.values[row]!;
    let index = seen.get(value);
    if (index === undefined) seen.set(value, (index = seen.size));
    return index;
  });
}

/** The time of each row as a number (dates as epoch ms); throws naming the column when it is not a time. */
function timeOf(table: DataTable, timeColumn: string): (row: number) => number {
  const column = getColumn(table, timeColumn);
  if (!isStringColumn(column)) return numericValue(column);
  if (column.levels.some((level) => !Number.isNaN(parseIsoDate(level.trim())))) return dateValue(column);
  if (column.levels.some((level) => !Number.isNaN(parseScalar(level)))) return numericValue(column);
  throw new AppError('type-conversion', `Time column "${timeColumn}" holds neither dates nor numbers`, { column: timeColumn });
}

/**
 * The splitter a run asks for: 'stratified' (default for classification) keeps class shares, 'random'
 * (default for regression) does not, 'time' orders by `timeColumn` and holds out the most recent rows.
 */
export function makeSplitter(table: DataTable, target: string, task: TaskKind, kind?: SplitKind, timeColumn?: string): Splitter {
  const chosen: SplitKind = kind ?? (task === 'regression' ? 'random' : 'stratified');
  if (chosen === 'time') {
    if (!timeColumn) throw new AppError('bad-argument', 'A time-based split needs a time column (--time-column)');
    const time = timeOf(table, timeColumn);
    const times = (rows: Int32Array) => Float64Array.from(rows, (row) => time(row));
    return {
      kind: chosen,
      split: (rows, fraction) => timeSplit(rows, times(rows), fraction),
      folds: (rows, k) => timeFolds(rows, times(rows), k),
    };
  }
  if (timeColumn) throw new AppError('bad-argument', `A time column ("${timeColumn}") only applies to a time-based split`);
  if (chosen === 'stratified' && task === 'regression') {
    throw new AppError('bad-argument', `A stratified split needs a classification target; "${target}" is a regression target`, { column: target });
  }
  const strata = (rows: Int32Array) => (chosen === 'stratified' ? targetStrata(table, target, rows) : undefined);
  return {
    kind: chosen,
    split: (rows, fraction, seed) => splitRows(rows, fraction, seed, strata(rows)),
    folds: (rows, k, seed) => kFolds(rows, k, seed, strata(rows)),
  };
}
