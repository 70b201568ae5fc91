// Scoring a whole file with a saved model, bytes in → CSV bytes out: parse, column check, recipe with rejects, then features, model and CSV writing chunk by chunk (bounded memory, progress, cancel).
import type * as tf from '@tensorflow/tfjs';
import { ByteSink, columnCells, intCells, textCells, writeHeader, writeRows, type CellWriter } from '../pipeline/csv-bytes.ts';
import { csvField } from '../pipeline/csv-write.ts';
import type { ScoreProgress } from '../contracts/predict.ts';
import { AppError } from '../pipeline/errors.ts';
import type { ParseOptions } from '../pipeline/parse.ts';
import { readTableBytes } from '../pipeline/score-read.ts';
import { cleanHeader } from '../pipeline/parse-csv.ts';
import { stepsForScoring } from '../pipeline/recipe/scoring.ts';
import type { RecipeStep } from '../pipeline/recipe/types.ts';
import { cleanForScoring, dropAbsentColumns, ignoredNotice, scoreColumns } from '../pipeline/score-input.ts';
import { applyTransforms } from '../pipeline/transforms.ts';
import type { DataTable, TransformBundle } from '../pipeline/types.ts';
import { PREDICT_CHUNK_ROWS, predictTable } from './predict.ts';
import { binaryDecision, decideClasses, type ScoreDecision } from './score.ts';

/** Rows transformed, predicted and written at a time: progress and the feature matrix stay bounded. */
export const SCORE_CHUNK_ROWS = 65_536;
/** Rows transformed, predicted and written at once inside a chunk (PREDICT_CHUNK_ROWS: one predictOnBatch call). */
const BATCH_ROWS = PREDICT_CHUNK_ROWS;

export type { ScoreProgress };

/** A saved model as scoring needs it: the network, its transform bundle, the recipe and privacy steps of its run, the decision. */
export interface ScoringModel {
  network: tf.LayersModel;
  bundle: TransformBundle;
  steps: readonly RecipeStep[];
  decision?: ScoreDecision;
  /** The workspace salt, when a step hashes. */
  salt?: string | undefined;
  /** The column types and date formats the run's input was read with (its spec's input). */
  parse?: ParseOptions;
}

export interface ScoreFileOptions {
  chunkRows?: number;
  onProgress?: (p: ScoreProgress) => void;
  /** Asked between phases and chunks; true stops with AppError 'cancelled'. */
  shouldStop?: () => boolean;
  /** Awaited between chunks (a worker lets a cancel message in). */
  pause?: () => Promise<void>;
  /** Times each part (parse, recipe, features, model, csv) for the bench's breakdown. */
  time?: <T>(part: string, work: () => T | Promise<T>) => Promise<T>;
}

export interface ScoredFile {
  /** Rows in the file and rows scored (the rest are rejects). */
  rowsIn: number;
  rows: number;
  /** The scored CSV: the file's columns after the recipe, then predicted_<target> and probability_<class>. */
  csv: Uint8Array[];
  /** Rows the recipe dropped: row (0-based record index in the file), the file's values, reason. Null when none. */
  rejects: { rows: number; csv: Uint8Array[] } | null;
  /** Columns nothing reads, and what to tell the person (ignored columns, the decision used). */
  ignored: string[];
  notices: string[];
}

const untimed = <T>(_part: string, work: () => T | Promise<T>) => Promise.resolve(work());

/** The rejects file: row number, the row's values in the file, the reason naming the step. */
function rejectsCsv(raw: DataTable, rejects: { rows: Int32Array; step: Int32Array; reasons: string[] }): Uint8Array[] {
  const out = new ByteSink(1 << 16);
  writeHeader(out, cleanHeader(['row', ...raw.columns.map((c) => c.name), 'reason']));
  const reasons = Array.from(rejects.step, (s) => rejects.reasons[s] ?? '');
  writeRows(out, [intCells(rejects.rows), ...raw.columns.map((c) => columnCells(c, rejects.rows)), textCells(reasons)], 0, rejects.rows.length);
  return out.finish();
}

/**
 * Reads the file as the import's parser does (CSV/TSV in 1 MiB pieces, no whole decoded text), checks its
 * columns, runs the recipe and writes the rejects. The file's own table is only held in here, so it can be
 * collected once the recipe's output is all that scoring needs.
 */
async function readAndClean(
  input: Uint8Array | Blob,
  fileName: string,
  model: ScoringModel,
  options: ScoreFileOptions,
  time: NonNullable<ScoreFileOptions['time']>,
): Promise<{ rowsIn: number; ignored: string[]; cleaned: DataTable; rejects: ScoredFile['rejects'] }> {
  const { bundle } = model;
  const report = (p: ScoreProgress) => options.onProgress?.(p);
  report({ phase: 'parsing', rowsDone: 0, rows: 0, fraction: 0 });
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(await input.arrayBuffer());
  const control = {
    cancelled: () => options.shouldStop?.() === true,
    onBytes: (read: number, total: number) => report({ phase: 'parsing', rowsDone: 0, rows: 0, fraction: (0.3 * read) / total }),
    ...(options.pause ? { pause: options.pause } : {}),
  };
  const raw = await time('parse', () => readTableBytes(bytes, fileName, model.parse ?? {}, control));
  const names = raw.columns.map((c) => c.name);
  const { ignored } = scoreColumns(bundle, model.steps, names, fileName);
  if (options.shouldStop?.()) throw new AppError('cancelled', `Scoring ${fileName} was cancelled; nothing was written`, { file: fileName });
  report({ phase: 'cleaning', rowsDone: 0, rows: 0, fraction: 0.3 });
  const steps = stepsForScoring(dropAbsentColumns(model.steps, names), raw, bundle.target, fileName);
  const cleaned = await time('recipe', () => cleanForScoring(raw, steps, model.salt !== undefined ? { salt: model.salt } : {}));
  const count = cleaned.rejects.rows.length;
  const rejects = count > 0 ? { rows: count, csv: await time('csv', () => rejectsCsv(raw, cleaned.rejects)) } : null;
  return { rowsIn: raw.rowCount, ignored, cleaned: cleaned.table, rejects };
}

/**
 * Scores a file (its bytes or a Blob) with the model: reads it as an import does (CSV streamed), refuses a file missing a column the model or its
 * recipe needs (naming them all) before any other work, runs the recipe on the whole file keeping the rows it
 * drops as rejects with the step's reason, then transforms, predicts and writes `chunkRows` rows at a time.
 * A binary model with a decision threshold predicts the positive class at p ≥ threshold (see scoreTable); the
 * output is the same text as predictionsCsv(cleaned table, scoreTable(…)), whatever the chunk size.
 */
export async function scoreFile(input: Uint8Array | Blob, fileName: string, model: ScoringModel, options: ScoreFileOptions = {}): Promise<ScoredFile> {
  const { bundle, network } = model;
  const time = options.time ?? untimed;
  const chunkRows = options.chunkRows ?? SCORE_CHUNK_ROWS;
  const report = (p: ScoreProgress) => options.onProgress?.(p);
  const stop = () => {
    if (options.shouldStop?.()) throw new AppError('cancelled', `Scoring ${fileName} was cancelled; nothing was written`, { file: fileName });
  };
  const decide = bundle.task === 'regression' ? null : binaryDecision(bundle, model.decision ?? {});

  const { rowsIn, ignored, cleaned, rejects } = await readAndClean(input, fileName, model, options, time);
  const table = cleaned;
  const n = table.rowCount;
  stop();

  const classes = bundle.classes ?? [];
  const k = bundle.task === 'regression' ? 1 : classes.length;
  const out = new ByteSink();
  const predictedName = `predicted_${bundle.target}`;
  const predictionNames = bundle.task === 'regression' ? [predictedName] : [predictedName, ...classes.map((c) => `probability_${c}`)];
  writeHeader(out, cleanHeader([...table.columns.map((c) => c.name), ...predictionNames]));
  // Chunk-local outputs, read by the prediction cells through `chunk` (rows [start, end) of the table).
  const chunk: { start: number; probabilities: Float32Array; chosen: Int32Array } = { start: 0, probabilities: new Float32Array(0), chosen: new Int32Array(0) };
  const tableCells = table.columns.map((c) => columnCells(c));
  const classBytes = classes.map((c) => new TextEncoder().encode(csvField(c)));
  const predictionCells: CellWriter[] =
    bundle.task === 'regression'
      ? [(i, sink) => sink.float32(chunk.probabilities[i - chunk.start] as number)]
      : [
          (i, sink) => sink.bytes(classBytes[chunk.chosen[i - chunk.start] as number] as Uint8Array),
          ...classes.map((_, c): CellWriter => (i, sink) => sink.float32(chunk.probabilities[(i - chunk.start) * k + c] as number)),
        ];
  const cells = [...tableCells, ...predictionCells];

  // Features, model and CSV go BATCH_ROWS at a time: a batch's matrix stays in cache while each feature writes
  // its column (64k-row matrices were 22 MB, re-read once per feature); progress, pause and cancel every chunk.
  const rows = new Int32Array(BATCH_ROWS);
  const matrix = new Float32Array(BATCH_ROWS * bundle.width);
  for (let start = 0; start < n; start += chunkRows) {
    const chunkEnd = Math.min(n, start + chunkRows);
    for (let from = start; from < chunkEnd; from += BATCH_ROWS) {
      const to = Math.min(chunkEnd, from + BATCH_ROWS);
      const batch = rows.subarray(0, to - from);
      for (let i = 0; i < batch.length; i++) batch[i] = from + i;
      const x = await time('features', () => applyTransforms(table, bundle, batch, matrix));
      const probabilities = await time('model', () => predictTable(network, x, batch.length, bundle.width, bundle.task));
      chunk.start = from;
      chunk.probabilities = probabilities;
      if (bundle.task !== 'regression') chunk.chosen = decideClasses(probabilities, batch.length, k, decide);
      await time('csv', () => writeRows(out, cells, from, to));
    }
    report({ phase: 'scoring', rowsDone: chunkEnd, rows: n, fraction: 0.4 + (0.6 * chunkEnd) / n });
    if (options.pause && chunkEnd < n) await options.pause();
    stop();
  }
  const csv = await time('csv', () => out.finish());
  const notices: string[] = [];
  const ignoredText = ignoredNotice(ignored);
  if (ignoredText) notices.push(ignoredText);
  if (rejects) notices.push(`${rejects.rows.toLocaleString('en-US')} ${rejects.rows === 1 ? 'row was' : 'rows were'} dropped by the recipe (see the rejects file)`);
  if (decide) notices.push(`${predictedName} is "${classes[decide.positive]}" where its probability is at least ${decide.threshold} (the saved decision threshold)`);
  report({ phase: 'done', rowsDone: n, rows: n, fraction: 1 });
  return { rowsIn, rows: n, csv, rejects, ignored, notices };
}
