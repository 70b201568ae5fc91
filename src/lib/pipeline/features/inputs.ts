// What fitting records of each source column on the training rows (type, range, median, levels by count) for the single-prediction form.
import { compareStrings } from '../profile.ts';
import { getColumn, isStringColumn } from '../table.ts';
import type { DataTable, FittedFeature, InputSummary } from '../types.ts';
import { medianPresent, numericValue } from './columns.ts';

/** The most levels an input summary lists (most frequent first); a column with more says `moreLevels`. */
export const MAX_INPUT_LEVELS = 1000;

/** The source columns the features read, each once, in the order the features first read them. */
export function featureSourceColumns(features: readonly FittedFeature[]): string[] {
  return [...new Set(features.flatMap((f) => (f.kind === 'ratio' || f.kind === 'difference' ? [f.column, f.column2] : [f.column])))];
}

/** Levels of `codes` on `rows`, most frequent first (ties by text), at most MAX_INPUT_LEVELS. */
function levelsByCount(levels: readonly string[], code: (row: number) => number, rows: Int32Array): Pick<InputSummary, 'levels' | 'moreLevels'> {
  const counts = new Float64Array(levels.length);
  for (let i = 0; i < rows.length; i++) {
    const c = code(rows[i] as number);
    if (c >= 0) counts[c]! += 1;
  }
  const used: number[] = [];
  for (let k = 0; k < levels.length; k++) if ((counts[k] as number) > 0) used.push(k);
  used.sort((a, b) => (counts[b] as number) - (counts[a] as number) || compareStrings(levels[a] ?? '', levels[b] ?? ''));
  const out: Pick<InputSummary, 'levels' | 'moreLevels'> = { levels: used.slice(0, MAX_INPUT_LEVELS).map((k) => levels[k] ?? '') };
  if (used.length > MAX_INPUT_LEVELS) out.moreLevels = true;
  return out;
}

/** One column as the training rows show it. */
export function summarizeInput(table: DataTable, name: string, rows: Int32Array): InputSummary {
  const column = getColumn(table, name);
  if (isStringColumn(column)) return { column: name, type: column.type, ...levelsByCount(column.levels, (row) => column.codes[row] ?? -1, rows) };
  const value = numericValue(column);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < rows.length; i++) {
    const v = value(rows[i] as number);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const summary: InputSummary = { column: name, type: column.type };
  if (min <= max) Object.assign(summary, { min, max, median: medianPresent(value, rows) });
  if (column.type === 'boolean') {
    const levels = ['false', 'true'];
    Object.assign(summary, levelsByCount(levels, (row) => {
      const v = column.values[row] ?? NaN;
      return v !== v ? -1 : v !== 0 ? 1 : 0;
    }, rows));
  }
  return summary;
}

/** Every source column of the features, summarized on the training rows. */
export function summarizeInputs(table: DataTable, features: readonly FittedFeature[], rows: Int32Array): InputSummary[] {
  return featureSourceColumns(features).map((name) => summarizeInput(table, name, rows));
}
