// A file to score, before the model: the columns it must have (refused naming the missing ones), those ignored, and the recipe run that keeps the rows it drops as rejects with the step's reason.
import { AppError } from './errors.ts';
import { featureSourceColumns } from './features/inputs.ts';
import { evaluateParsedRows, parseRowExpression } from './quality/expression.ts';
import { runRecipe } from './recipe/apply.ts';
import { firstOccurrences } from './recipe/duplicates.ts';
import { compareRows, simpleComparison } from './recipe/row-filter.ts';
import { imputeStep } from './recipe/impute.ts';
import { gatherColumn, naming, stepColumn, stepName } from './recipe/columns.ts';
import { stepReads } from './recipe/scoring.ts';
import { describeStep } from './recipe/describe.ts';
import { validateRecipe } from './recipe/validate.ts';
import { isStringColumn } from './table.ts';
import type { RecipeOptions, RecipeStep } from './recipe/types.ts';
import type { DataTable, TransformBundle } from './types.ts';

export interface ScoreColumns {
  /** Columns the model or its recipe reads, in the order they are first needed. */
  needed: string[];
  /** Columns of the file nothing reads, the target aside (as `millrace score` says): kept in the download, never used. */
  ignored: string[];
}

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

/**
 * The columns a file to score needs (every model input, and every column a recipe step names or its filter reads, but the target)
 * and those it has that nothing reads. A file missing any needed column is AppError 'unknown-column' naming
 * them all, and for each whether the model or which recipe step needs it.
 */
export function scoreColumns(bundle: TransformBundle, steps: readonly RecipeStep[], fileColumns: readonly string[], fileName: string): ScoreColumns {
  const why = new Map<string, string>();
  for (const column of featureSourceColumns(bundle.features)) why.set(column, 'a model input');
  steps.forEach((step, index) => {
    // Dropping a column the file does not have is nothing to refuse.
    if (step.kind === 'drop-columns') return;
    for (const column of stepReads(step)) if (column !== bundle.target && !why.has(column)) why.set(column, `read by step ${index + 1} (${step.kind}) of the recipe`);
  });
  const has = new Set(fileColumns);
  const missing = [...why.keys()].filter((column) => !has.has(column));
  if (missing.length > 0) {
    const list = missing.map((column) => `"${column}" (${why.get(column)})`).join(', ');
    throw new AppError('unknown-column', `${fileName} lacks ${missing.length === 1 ? 'a column' : `${missing.length} columns`} the model needs: ${list}`, {
      file: fileName,
      column: missing[0] as string,
    });
  }
  return { needed: [...why.keys()], ignored: fileColumns.filter((column) => !why.has(column) && column !== bundle.target) };
}

/** The steps without the columns a file lacks from its drop-columns steps (a step left with none goes). */
export function dropAbsentColumns(steps: readonly RecipeStep[], fileColumns: readonly string[]): RecipeStep[] {
  const has = new Set(fileColumns);
  return steps.flatMap((step): RecipeStep[] => {
    if (step.kind !== 'drop-columns') return [step];
    const columns = step.columns.filter((c) => has.has(c));
    return columns.length ? [{ ...step, columns }] : [];
  });
}

/** The notice for ignored columns, or null when there are none. */
export function ignoredNotice(ignored: readonly string[]): string | null {
  if (ignored.length === 0) return null;
  return `Ignored ${ignored.length === 1 ? 'column' : 'columns'} (not read by the model; kept in the download): ${quoted(ignored)}`;
}

/** Rows a recipe dropped: the input row, and the step that dropped it (an index into `reasons`). */
export interface Rejects {
  rows: Int32Array;
  step: Int32Array;
  /** Per recipe step: why a row it dropped is rejected, e.g. 'Step 2 (drop-missing): Drop rows missing Sex' (as `millrace score --rejects` writes it). */
  reasons: string[];
}

export interface CleanedForScoring {
  table: DataTable;
  /** For each output row, the input row it came from (null: every row, in order). */
  rows: Int32Array | null;
  rejects: Rejects;
}

/** `outer` composed with `inner`: input row of each row of a selection made on rows already selected by `outer`. */
function compose(outer: Int32Array | null, inner: Int32Array): Int32Array {
  if (!outer) return inner;
  const out = new Int32Array(inner.length);
  for (let i = 0; i < inner.length; i++) out[i] = outer[inner[i] as number] as number;
  return out;
}

/** The rows of `rows` (or 0…count-1) flagged in `keep`, or null when every one is kept. */
function selected(rows: Int32Array | null, count: number, keep: Uint8Array): Int32Array | null {
  let kept = 0;
  for (let i = 0; i < count; i++) kept += keep[i] === 0 ? 0 : 1;
  if (kept === count) return null;
  const out = new Int32Array(kept);
  for (let i = 0, k = 0; i < count; i++) if (keep[i] !== 0) out[k++] = rows ? (rows[i] as number) : i;
  return out;
}

/**
 * For the steps that only choose rows (drop-duplicates, drop-missing, a filter without aggregates): which of the
 * rows `rows` of `table` (all when null) the step keeps, 1 each; null for any other step. The same answer as
 * the step run on the gathered rows, computed on the rows where they are.
 */
function keptBySelection(table: DataTable, rows: Int32Array | null, step: RecipeStep, where: string): Uint8Array | null {
  const count = rows ? rows.length : table.rowCount;
  if (step.kind === 'drop-duplicates') {
    const columns = step.columns ? step.columns.map((name) => stepColumn(table, name, where)) : table.columns;
    return firstOccurrences(columns, rows, count);
  }
  if (step.kind === 'drop-missing') {
    const columns = step.columns.map((name) => stepColumn(table, name, where));
    const limit = step.how === 'all' ? columns.length : 1;
    const keep = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const r = rows ? (rows[i] as number) : i;
      let missing = 0;
      for (const column of columns) {
        if (isStringColumn(column) ? (column.codes[r] as number) < 0 : (column.values[r] as number) !== (column.values[r] as number)) missing++;
      }
      keep[i] = missing < limit ? 1 : 0;
    }
    return keep;
  }
  if (step.kind === 'filter') {
    const parsed = parseRowExpression(step.expression, table.columns.map((c) => c.name), where);
    const comparison = simpleComparison(parsed.expression);
    return (comparison && compareRows(table, comparison, rows)) ?? evaluateParsedRows(table, parsed, rows, where);
  }
  return null;
}

/** A recipe's output as rows of a table: the cleaned table is `table`'s rows `rows` (null: all of them), in order. */
export interface CleanedSelection {
  table: DataTable;
  rows: Int32Array | null;
  /** For each row of `table`, the input row it came from (null: the same rows). */
  origin: Int32Array | null;
  rejects: Rejects;
}

/**
 * Runs the steps in order as on the whole table (a step such as drop-duplicates compares rows across the
 * file), remembering for each dropped input row the step that dropped it. Steps that only choose rows narrow a
 * selection of rows instead of copying the table, and impute steps fill whole columns (their statistics seen on
 * the rows chosen); the table is gathered only before any other step. See {@link cleanForScoring}.
 */
export async function cleanSelection(table: DataTable, steps: readonly RecipeStep[], options: RecipeOptions = {}): Promise<CleanedSelection> {
  const reasons = steps.map((step, index) => `${stepName(index, step)}: ${describeStep(step)}`);
  // Rejected input rows: the index of the step that dropped each (-1: kept).
  const droppedBy = new Int32Array(table.rowCount).fill(-1);
  let dropped = 0;
  // The table as the steps left it: `current`, whose rows are input rows `origin` (null: the same rows), of which the rows `chosen` (null: all) are still kept.
  let current = table;
  let origin: Int32Array | null = null;
  let chosen: Int32Array | null = null;
  const drop = (rows: Int32Array | null, count: number, keep: Uint8Array, index: number) => {
    for (let i = 0; i < count; i++) {
      if (keep[i] !== 0) continue;
      const r = rows ? (rows[i] as number) : i;
      droppedBy[origin ? (origin[r] as number) : r] = index;
      dropped++;
    }
  };
  const gather = () => {
    if (!chosen) return;
    const rows = chosen;
    current = { rowCount: rows.length, columns: current.columns.map((c) => gatherColumn(c, rows)) };
    origin = compose(origin, rows);
    chosen = null;
  };
  for (const [index, step] of steps.entries()) {
    // As runRecipe runs one step: checked alone, and named as its first step in messages.
    validateRecipe([step]);
    const where = stepName(0, step);
    const keep = naming(where, () => keptBySelection(current, chosen, step, where));
    if (keep) {
      const count: number = chosen ? chosen.length : current.rowCount;
      drop(chosen, count, keep, index);
      chosen = selected(chosen, count, keep) ?? chosen;
      continue;
    }
    if (step.kind === 'impute') {
      // As runStep applies it (stored fill values), on the rows chosen, filling whole columns: no table copy.
      const rows = chosen;
      current = naming(where, () => imputeStep(current, step, where, true, rows)).table;
      continue;
    }
    gather();
    const run = await runRecipe(current, [step], options);
    if (run.rows) {
      const keepRun = new Uint8Array(current.rowCount);
      for (let i = 0; i < run.rows.length; i++) keepRun[run.rows[i] as number] = 1;
      drop(null, current.rowCount, keepRun, index);
      origin = compose(origin, run.rows);
    }
    current = run.table;
  }
  // In file order, so the rejects file reads like the input.
  const rejectRows = new Int32Array(dropped);
  const rejectStep = new Int32Array(dropped);
  for (let r = 0, k = 0; r < droppedBy.length; r++) {
    const by = droppedBy[r] as number;
    if (by < 0) continue;
    rejectRows[k] = r;
    rejectStep[k++] = by;
  }
  return { table: current, rows: chosen, origin, rejects: { rows: rejectRows, step: rejectStep, reasons } };
}

/** {@link cleanSelection} with the rows gathered: the cleaned table, and the input row of each of its rows. */
export async function cleanForScoring(table: DataTable, steps: readonly RecipeStep[], options: RecipeOptions = {}): Promise<CleanedForScoring> {
  const out = await cleanSelection(table, steps, options);
  const rows = out.rows;
  if (!rows) return { table: out.table, rows: out.origin, rejects: out.rejects };
  const gathered = { rowCount: rows.length, columns: out.table.columns.map((c) => gatherColumn(c, rows)) };
  return { table: gathered, rows: compose(out.origin, rows), rejects: out.rejects };
}
