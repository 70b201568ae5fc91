// The data side of scoring a file, after the recipe: the model's input matrix of a batch of rows, the scored CSV written batch by batch from the predictions, and the rejects file.
import { ByteSink, columnCells, intCells, textCells, writeHeader, writeRows, type CellWriter } from './csv-bytes.ts';
import { csvField } from './csv-write.ts';
import { cleanHeader } from './parse-csv.ts';
import type { Rejects } from './score-input.ts';
import { applyTransforms } from './transforms.ts';
import type { ErrorInfo } from './errors.ts';
import type { DataTable, TransformBundle } from './types.ts';

/** The scored CSV's prediction columns: predicted_<target>, then probability_<class> per class (classification). */
export function predictionNames(bundle: TransformBundle): string[] {
  const predicted = `predicted_${bundle.target}`;
  return bundle.task === 'regression' ? [predicted] : [predicted, ...(bundle.classes ?? []).map((c) => `probability_${c}`)];
}

/**
 * Writes the scored CSV of a cleaned table: the header at once, then rows [from, to) as their predictions come
 * (in order): the table's cells, the predicted class (or value) and the class probabilities. Also makes the
 * model's input matrix of a batch, so that whoever holds the table does both.
 */
export class ScoreWriter {
  readonly #table: DataTable;
  readonly #bundle: TransformBundle;
  readonly #out = new ByteSink();
  readonly #cells: CellWriter[];
  readonly #rows: Int32Array;
  // The batch being written: its first row, probabilities (rows × k) and chosen classes. (A plain object the
  // cells close over, not #private fields: a lowered build turns those into WeakMap lookups on the hot path.)
  readonly #batch: { start: number; probabilities: Float32Array; chosen: Int32Array } = { start: 0, probabilities: new Float32Array(0), chosen: new Int32Array(0) };

  /** `batchRows`: the most rows a batch has (the index buffer of `features` is that long). */
  constructor(table: DataTable, bundle: TransformBundle, batchRows: number) {
    this.#table = table;
    this.#bundle = bundle;
    this.#rows = new Int32Array(batchRows);
    const classes = bundle.classes ?? [];
    const k = bundle.task === 'regression' ? 1 : classes.length;
    writeHeader(this.#out, cleanHeader([...table.columns.map((c) => c.name), ...predictionNames(bundle)]));
    const classBytes = classes.map((c) => new TextEncoder().encode(csvField(c)));
    const batch = this.#batch;
    const predictionCells: CellWriter[] =
      bundle.task === 'regression'
        ? [(i, sink) => sink.float32(batch.probabilities[i - batch.start] as number)]
        : [
            (i, sink) => sink.bytes(classBytes[batch.chosen[i - batch.start] as number] as Uint8Array),
            ...classes.map((_, c): CellWriter => (i, sink) => sink.float32(batch.probabilities[(i - batch.start) * k + c] as number)),
          ];
    this.#cells = [...table.columns.map((c) => columnCells(c)), ...predictionCells];
  }

  get rowCount(): number {
    return this.#table.rowCount;
  }

  /** The model's input matrix of rows [from, to), written into `matrix` (at least (to - from) × width). */
  features(from: number, to: number, matrix: Float32Array): Float32Array {
    const batch = this.#rows.subarray(0, to - from);
    for (let i = 0; i < batch.length; i++) batch[i] = from + i;
    return applyTransforms(this.#table, this.#bundle, batch, matrix);
  }

  /** Writes rows [from, to): `probabilities` (rows × k; values for regression) and `chosen` classes (empty for regression). */
  write(from: number, to: number, probabilities: Float32Array, chosen: Int32Array): void {
    this.#batch.start = from;
    this.#batch.probabilities = probabilities;
    this.#batch.chosen = chosen;
    writeRows(this.#out, this.#cells, from, to);
  }

  /** Every byte written, as parts. */
  finish(): Uint8Array[] {
    return this.#out.finish();
  }
}

/** The rejects file: row number, the row's values in the file, the reason naming the step. */
export function rejectsCsv(raw: DataTable, rejects: Rejects): Uint8Array[] {
  const out = new ByteSink(1 << 16);
  writeHeader(out, cleanHeader(['row', ...raw.columns.map((c) => c.name), 'reason']));
  const reasons = Array.from(rejects.step, (s) => rejects.reasons[s] ?? '');
  writeRows(out, [intCells(rejects.rows), ...raw.columns.map((c) => columnCells(c, rejects.rows)), textCells(reasons)], 0, rejects.rows.length);
  return out.finish();
}

/** Milliseconds the data side spent per part (features, csv), for the bench's breakdown. */
export type HelperTimings = Record<string, number>;

/** What the data side holds between requests. */
export interface HelperState {
  writer: ScoreWriter | null;
  timings: HelperTimings;
}

/** Messages to the helper Worker, in the order of the ScoreHelper calls. */
export type HelperRequest =
  | { op: 'start'; table: DataTable; bundle: TransformBundle; batchRows: number }
  | { op: 'features'; from: number; to: number; matrix: Float32Array }
  | { op: 'write'; from: number; to: number; probabilities: Float32Array; chosen: Int32Array }
  | { op: 'finish' };

/** Its replies: one per features and finish request, or the error that stopped it. */
export type HelperReply =
  | { op: 'features'; matrix: Float32Array }
  | { op: 'finish'; csv: Uint8Array[]; timings: HelperTimings }
  | { op: 'error'; error: ErrorInfo };

/** Times `work` into `timings[part]`. */
function timed<T>(timings: HelperTimings, part: string, work: () => T): T {
  const t0 = performance.now();
  try {
    return work();
  } finally {
    timings[part] = (timings[part] ?? 0) + performance.now() - t0;
  }
}

/** Answers one request with the writer; the pure part of the Worker shell, shared with the in-thread helper. */
export function serveHelper(state: HelperState, request: HelperRequest): HelperReply | null {
  switch (request.op) {
    case 'start':
      state.writer = new ScoreWriter(request.table, request.bundle, request.batchRows);
      return null;
    case 'features': {
      const writer = state.writer as ScoreWriter;
      timed(state.timings, 'features', () => writer.features(request.from, request.to, request.matrix));
      return { op: 'features', matrix: request.matrix };
    }
    case 'write': {
      const writer = state.writer as ScoreWriter;
      timed(state.timings, 'csv', () => writer.write(request.from, request.to, request.probabilities, request.chosen));
      return null;
    }
    case 'finish': {
      const writer = state.writer as ScoreWriter;
      const csv = timed(state.timings, 'csv', () => writer.finish());
      state.writer = null;
      return { op: 'finish', csv, timings: state.timings };
    }
  }
}
