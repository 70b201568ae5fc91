// A file to score, before the model: the columns it must have (refused naming the missing ones), those ignored, and the recipe run that keeps the rows it drops as rejects with the step's reason.
import { AppError } from './errors.ts';
import { featureSourceColumns } from './features/inputs.ts';
import { runRecipe } from './recipe/apply.ts';
import { stepColumns, stepName } from './recipe/columns.ts';
import { describeStep } from './recipe/describe.ts';
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
 * The columns a file to score needs (every model input, and every column a recipe step names but the target)
 * and those it has that nothing reads. A file missing any needed column is AppError 'unknown-column' naming
 * them all, and for each whether the model or which recipe step needs it.
 */
export function scoreColumns(bundle: TransformBundle, steps: readonly RecipeStep[], fileColumns: readonly string[], fileName: string): ScoreColumns {
  const why = new Map<string, string>();
  for (const column of featureSourceColumns(bundle.features)) why.set(column, 'a model input');
  steps.forEach((step, index) => {
    // Dropping a column the file does not have is nothing to refuse.
    if (step.kind === 'drop-columns') return;
    for (const column of stepColumns(step)) if (column !== bundle.target && !why.has(column)) why.set(column, `read by step ${index + 1} (${step.kind}) of the recipe`);
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

/**
 * Runs the steps one at a time on the whole table (a step such as drop-duplicates compares rows across the
 * file), remembering for each dropped input row the step that dropped it.
 */
export async function cleanForScoring(table: DataTable, steps: readonly RecipeStep[], options: RecipeOptions = {}): Promise<CleanedForScoring> {
  const reasons = steps.map((step, index) => `${stepName(index, step)}: ${describeStep(step)}`);
  let current = table;
  let rows: Int32Array | null = null;
  const dropped: Int32Array[] = [];
  const droppedBy: number[] = [];
  for (const [index, step] of steps.entries()) {
    const run = await runRecipe(current, [step], options);
    if (run.rows) {
      const keep = new Uint8Array(current.rowCount);
      for (let i = 0; i < run.rows.length; i++) keep[run.rows[i] as number] = 1;
      const lost = new Int32Array(current.rowCount - run.rows.length);
      for (let r = 0, k = 0; r < keep.length; r++) if (keep[r] === 0) lost[k++] = rows ? (rows[r] as number) : r;
      dropped.push(lost);
      droppedBy.push(index);
      const kept: Int32Array = run.rows;
      rows = rows ? kept.map((r) => (rows as Int32Array)[r] as number) : kept;
    }
    current = run.table;
  }
  const total = dropped.reduce((n, d) => n + d.length, 0);
  const rejectRows = new Int32Array(total);
  const rejectStep = new Int32Array(total);
  let k = 0;
  dropped.forEach((lost, j) => {
    rejectRows.set(lost, k);
    rejectStep.fill(droppedBy[j] as number, k, k + lost.length);
    k += lost.length;
  });
  // In file order, so the rejects file reads like the input.
  const order = Int32Array.from({ length: total }, (_, i) => i).sort((a, b) => (rejectRows[a] as number) - (rejectRows[b] as number));
  return {
    table: current,
    rows,
    rejects: { rows: order.map((i) => rejectRows[i] as number), step: order.map((i) => rejectStep[i] as number), reasons },
  };
}
