// The data side of scoring a file, after the recipe: the model's input matrix of a batch of rows, the scored CSV written batch by batch from the predictions, and the rejects file.
import { ByteSink, columnCells, SpareBytes, intCells, textCells, writeHeader, writeRows, type CellWriter } from './csv-bytes.ts';
import { csvField } from './csv-write.ts';
import { cleanHeader } from './parse-csv.ts';
import { createCsvStream, type CsvStream, type CsvStreamOptions } from './csv-stream.ts';
import { AppError } from './errors.ts';
import type { Rejects } from './score-input.ts';
import { finishPart, pushBytes, type CsvPart } from './score-read.ts';
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
  readonly #out: ByteSink;
  readonly #cells: CellWriter[];
  /** The rows of the table to write (null: all), and the index buffer of a batch's rows when it is all. */
  readonly #selection: Int32Array | null;
  readonly #rows: Int32Array;
  /** The rejects file, written a slice per batch (the helper has time to spare while the model runs). */
  #rejects: { out: ByteSink; cells: CellWriter[]; done: number; count: number; perBatch: number } | null = null;
  // The batch being written: its first row, probabilities (rows × k) and chosen classes. (A plain object the
  // cells close over, not #private fields: a lowered build turns those into WeakMap lookups on the hot path.)
  readonly #batch: { start: number; probabilities: Float32Array; chosen: Int32Array } = { start: 0, probabilities: new Float32Array(0), chosen: new Int32Array(0) };

  /**
   * `batchRows`: the most rows a batch has (the index buffer of `features` is that long). `rejects`: the file's
   * table and the rows the recipe dropped, written to the rejects file over `batches` batches. `selection`: the
   * rows of `table` scored, in order (null: every row); row numbers of `features` and `write` count them.
   * `spare`: memory no longer needed (a part of the file already parsed, the parts' cells), written over first.
   */
  constructor(
    table: DataTable,
    bundle: TransformBundle,
    batchRows: number,
    rejects: RejectsInput | null = null,
    batches = 1,
    selection: Int32Array | null = null,
    spare: readonly Uint8Array[] = [],
  ) {
    const memory = spare.length > 0 ? new SpareBytes(...spare) : null;
    this.#out = new ByteSink(undefined, memory);
    this.#table = table;
    this.#bundle = bundle;
    this.#selection = selection;
    this.#rows = new Int32Array(selection ? 0 : batchRows);
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
    this.#cells = [...table.columns.map((c) => columnCells(c, selection)), ...predictionCells];
    if (rejects) {
      const { out, cells } = rejectsWriter(rejects.raw, rejects.rejects, memory);
      const count = rejects.rejects.rows.length;
      this.#rejects = { out, cells, done: 0, count, perBatch: Math.ceil(count / Math.max(1, batches)) };
    }
  }

  /** Writes the next `rows` rows of the rejects file. */
  #writeRejects(rows: number): void {
    const r = this.#rejects;
    if (!r || r.done >= r.count) return;
    const to = Math.min(r.count, r.done + rows);
    writeRows(r.out, r.cells, r.done, to);
    r.done = to;
  }

  get rowCount(): number {
    return this.#selection ? this.#selection.length : this.#table.rowCount;
  }

  /** The model's input matrix of rows [from, to), written into `matrix` (at least (to - from) × width). */
  features(from: number, to: number, matrix: Float32Array): Float32Array {
    let batch: Int32Array;
    if (this.#selection) batch = this.#selection.subarray(from, to);
    else {
      batch = this.#rows.subarray(0, to - from);
      for (let i = 0; i < batch.length; i++) batch[i] = from + i;
    }
    return applyTransforms(this.#table, this.#bundle, batch, matrix);
  }

  /** Writes rows [from, to): `probabilities` (rows × k; values for regression) and `chosen` classes (empty for regression). */
  write(from: number, to: number, probabilities: Float32Array, chosen: Int32Array): void {
    this.#batch.start = from;
    this.#batch.probabilities = probabilities;
    this.#batch.chosen = chosen;
    writeRows(this.#out, this.#cells, from, to);
    this.#writeRejects(this.#rejects?.perBatch ?? 0);
  }

  /** Every byte written, as parts: the scored file, and the rejects file (null without rejects). */
  finish(): { csv: Uint8Array[]; rejects: Uint8Array[] | null } {
    this.#writeRejects(Infinity);
    return { csv: this.#out.finish(), rejects: this.#rejects?.out.finish() ?? null };
  }
}

/** The file's table and the rows the recipe dropped from it, for the rejects file. */
export interface RejectsInput {
  raw: DataTable;
  rejects: Rejects;
}

/** The rejects file's sink with its header, and its cells: row number, the row's values in the file, the reason naming the step. */
function rejectsWriter(raw: DataTable, rejects: Rejects, spare: SpareBytes | null = null): { out: ByteSink; cells: CellWriter[] } {
  const out = new ByteSink(1 << 20, spare);
  writeHeader(out, cleanHeader(['row', ...raw.columns.map((c) => c.name), 'reason']));
  const reasons = Array.from(rejects.step, (s) => rejects.reasons[s] ?? '');
  return { out, cells: [intCells(rejects.rows), ...raw.columns.map((c) => columnCells(c, rejects.rows)), textCells(reasons)] };
}

/** The whole rejects file at once. */
export function rejectsCsv(raw: DataTable, rejects: Rejects): Uint8Array[] {
  const { out, cells } = rejectsWriter(raw, rejects);
  writeRows(out, cells, 0, rejects.rows.length);
  return out.finish();
}

/** Milliseconds the data side spent per part (features, csv), for the bench's breakdown. */
export type HelperTimings = Record<string, number>;

/** What the data side holds between requests. */
export interface HelperState {
  writer: ScoreWriter | null;
  timings: HelperTimings;
  /** The bytes of the part parsed here, reused for the output once parsed (see SpareBytes). */
  spare?: Uint8Array[] | null;
  /** A part of the file being parsed here, its pieces as they came (null stream: a piece failed to parse). */
  parsing?: { stream: CsvStream | null; pieces: Uint8Array[] } | null;
}

/** Messages to the helper Worker, in the order of the ScoreHelper calls (a part of the file to parse comes first). */
export type HelperRequest =
  | { op: 'parse-start'; fileName: string; options: CsvStreamOptions; /** When it was sent (ms since the epoch), for the bench's breakdown. */ sentAt?: number }
  | { op: 'parse-piece'; bytes: Uint8Array }
  | { op: 'parse-end' }
  | {
      op: 'start';
      table: DataTable;
      rows: Int32Array | null;
      bundle: TransformBundle;
      batchRows: number;
      rejects: RejectsInput | null;
      batches: number;
      /** Memory the caller no longer needs, to write the output into (see SpareBytes). */
      spare?: ArrayBuffer[];
    }
  | { op: 'features'; from: number; to: number; matrix: Float32Array }
  | { op: 'write'; from: number; to: number; probabilities: Float32Array; chosen: Int32Array }
  | { op: 'finish' };

/** Its replies: one per features and finish request, or the error that stopped it. */
export type HelperReply =
  | { op: 'parse'; part: CsvPart | null }
  | { op: 'features'; matrix: Float32Array }
  | { op: 'finish'; csv: Uint8Array[]; rejects: Uint8Array[] | null; timings: HelperTimings }
  | { op: 'error'; error: ErrorInfo }
  /** Sent once by a helper Worker when its script has loaded. */
  | { op: 'ready' };

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
    case 'parse-start': {
      if (request.sentAt !== undefined) state.timings['parse: start latency'] = performance.timeOrigin + performance.now() - request.sentAt;
      state.parsing = { stream: createCsvStream(request.fileName, request.options), pieces: [] };
      return null;
    }
    case 'parse-piece': {
      const parsing = state.parsing;
      if (!parsing) throw new AppError('bad-argument', 'A piece of a part came before the part started');
      parsing.pieces.push(request.bytes);
      const { stream } = parsing;
      if (!stream) return null;
      // A part that does not parse is read again with the whole file in one pass, which says what is wrong.
      try {
        timed(state.timings, 'parse', () => pushBytes(stream, request.bytes));
      } catch {
        parsing.stream = null;
      }
      return null;
    }
    case 'parse-end': {
      const parsing = state.parsing;
      state.parsing = null;
      let part: CsvPart | null = null;
      try {
        const stream = parsing?.stream;
        if (stream) {
          part = timed(state.timings, 'parse', () => finishPart(stream));
        }
      } catch {
        part = null;
      }
      // The reply moves the part's own arrays (or copies them): nothing keeps reading these bytes.
      state.spare = parsing?.pieces ?? null;
      return { op: 'parse', part };
    }
    case 'start': {
      const spare = [...(state.spare ?? []), ...(request.spare ?? []).map((buffer) => new Uint8Array(buffer))];
      state.writer = new ScoreWriter(request.table, request.bundle, request.batchRows, request.rejects, request.batches, request.rows, spare);
      state.spare = null;
      return null;
    }
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
      const { csv, rejects } = timed(state.timings, 'csv', () => writer.finish());
      state.writer = null;
      return { op: 'finish', csv, rejects, timings: state.timings };
    }
  }
}
