// Scoring a whole file with a saved model, bytes in → CSV bytes out: parse, column check, recipe with rejects, then features, model and CSV writing chunk by chunk (bounded memory, progress, cancel).
import type { Predictor } from './predictor.ts';
import type { ScoreProgress } from '../contracts/predict.ts';
import { AppError } from '../pipeline/errors.ts';
import type { ParseOptions } from '../pipeline/parse.ts';
import { readTableSplit } from '../pipeline/score-read.ts';
import { stepsForScoring } from '../pipeline/recipe/scoring.ts';
import type { RecipeStep } from '../pipeline/recipe/types.ts';
import { cleanSelection, dropAbsentColumns, ignoredNotice, scoreColumns } from '../pipeline/score-input.ts';
import { predictionNames, type RejectsInput } from '../pipeline/score-output.ts';
import type { DataTable, TransformBundle } from '../pipeline/types.ts';
import { PREDICT_CHUNK_ROWS, predictTable } from './predict.ts';
import { binaryDecision, decideClasses, type ScoreDecision } from './score.ts';
import { localHelper, workerHelper, type ScoreHelper } from './score-helper.ts';

/** Rows transformed, predicted and written at a time: progress and the feature matrix stay bounded. */
export const SCORE_CHUNK_ROWS = 65_536;
/**
 * Rows transformed, predicted and written at once inside a chunk (one request to the helper each way; the model
 * predicts them PREDICT_BATCH_ROWS at a time).
 */
const BATCH_ROWS = PREDICT_CHUNK_ROWS / 2;
/** Input matrices asked for ahead of the model, so that the helper makes them while the model runs. */
const AHEAD = 3;

export type { ScoreProgress };

/** A saved model as scoring needs it: the network, its transform bundle, the recipe and privacy steps of its run, the decision. */
export interface ScoringModel {
  network: Predictor;
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
  /** Receives the time of parts run elsewhere (the helper's features and csv), for the breakdown. */
  record?: (part: string, ms: number) => void;
  /**
   * Where the input matrices are made and the CSV is written: by default a helper Worker on the other core
   * where Workers exist (the model runs here meanwhile), else this thread.
   */
  helper?: () => ScoreHelper;
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

/**
 * Reads the file as the import's parser does (CSV/TSV in 1 MiB pieces, no whole decoded text), checks its
 * columns and runs the recipe; the file's own table goes on only with the rows the recipe dropped (for the
 * rejects file).
 */
async function readAndClean(
  input: Uint8Array | Blob,
  fileName: string,
  model: ScoringModel,
  options: ScoreFileOptions,
  time: NonNullable<ScoreFileOptions['time']>,
  helper: ScoreHelper,
): Promise<{ rowsIn: number; ignored: string[]; cleaned: DataTable; rows: Int32Array | null; rejects: RejectsInput | null; spare: ArrayBuffer[] }> {
  const { bundle } = model;
  const report = (p: ScoreProgress) => options.onProgress?.(p);
  report({ phase: 'parsing', rowsDone: 0, rows: 0, fraction: 0 });
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(await input.arrayBuffer());
  // The parts' cell arrays the table does not use once joined: the helper writes the output over them.
  const spare: ArrayBuffer[] = [];
  const control = {
    cancelled: () => options.shouldStop?.() === true,
    onBytes: (read: number, total: number) => report({ phase: 'parsing', rowsDone: 0, rows: 0, fraction: (0.3 * read) / total }),
    ...(options.pause ? { pause: options.pause } : {}),
    ...(options.time ? { time: options.time } : {}),
    onSpare: (buffers: ArrayBuffer[]) => spare.push(...buffers),
  };
  // A large CSV's second half is parsed by the helper on the other core meanwhile (in one pass where the helper is this thread).
  const raw = await time('parse', () => readTableSplit(bytes, fileName, model.parse ?? {}, control, helper.parse));
  const names = raw.columns.map((c) => c.name);
  const { ignored } = scoreColumns(bundle, model.steps, names, fileName);
  if (options.shouldStop?.()) throw new AppError('cancelled', `Scoring ${fileName} was cancelled; nothing was written`, { file: fileName });
  report({ phase: 'cleaning', rowsDone: 0, rows: 0, fraction: 0.3 });
  const steps = stepsForScoring(dropAbsentColumns(model.steps, names), raw, bundle.target, fileName);
  // The cleaned table as rows of a table (no copy of the file's columns): the helper reads them where they are.
  const cleaned = await time('recipe', () => cleanSelection(raw, steps, model.salt !== undefined ? { salt: model.salt } : {}));
  const rejects = cleaned.rejects.rows.length > 0 ? { raw, rejects: cleaned.rejects } : null;
  return { rowsIn: raw.rowCount, ignored, cleaned: cleaned.table, rows: cleaned.rows, rejects, spare };
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

  const classes = bundle.classes ?? [];
  const k = bundle.task === 'regression' ? 1 : classes.length;
  const predictedName = predictionNames(bundle)[0] as string;
  const helper = options.helper?.() ?? workerHelper() ?? localHelper();
  let csv: Uint8Array[];
  let rejects: ScoredFile['rejects'] = null;
  let rowsIn: number;
  let ignored: string[];
  let n: number;
  try {
    const read = await readAndClean(input, fileName, model, options, time, helper);
    ({ rowsIn, ignored } = read);
    const table = read.cleaned;
    const dropped = read.rejects;
    const rejectCount = dropped?.rejects.rows.length ?? 0;
    n = read.rows ? read.rows.length : table.rowCount;
    stop();
    // Batches of BATCH_ROWS rows inside chunks of chunkRows: progress, pause and cancel every chunk.
    const batches: [number, number][] = [];
    for (let start = 0; start < n; start += chunkRows) {
      const chunkEnd = Math.min(n, start + chunkRows);
      for (let from = start; from < chunkEnd; from += BATCH_ROWS) batches.push([from, Math.min(chunkEnd, from + BATCH_ROWS)]);
    }
    // The tables move to the helper, which makes the input matrices and writes the scored file (and the
    // rejects file, a slice per batch) while the model runs here.
    helper.start(table, read.rows, bundle, BATCH_ROWS, dropped, batches.length, read.spare);
    const asked: Promise<Float32Array>[] = [];
    const ask = (j: number, matrix: Float32Array = new Float32Array(BATCH_ROWS * bundle.width)) => {
      const [from, to] = batches[j] as [number, number];
      asked[j] = helper.features(from, to, matrix);
    };
    for (let j = 0; j < Math.min(AHEAD, batches.length); j++) ask(j);
    for (let j = 0; j < batches.length; j++) {
      const [from, to] = batches[j] as [number, number];
      const x = await time('wait', () => asked[j] as Promise<Float32Array>);
      delete asked[j];
      const probabilities = await time('model', () => predictTable(network, x, to - from, bundle.width, bundle.task));
      // The matrix goes back for the batch AHEAD on; its rows are predicted.
      if (j + AHEAD < batches.length) ask(j + AHEAD, x);
      const chosen = bundle.task === 'regression' ? new Int32Array(0) : decideClasses(probabilities, to - from, k, decide);
      helper.write(from, to, probabilities, chosen);
      const chunkEnd = Math.min(n, (Math.floor(from / chunkRows) + 1) * chunkRows);
      if (to === chunkEnd) {
        report({ phase: 'scoring', rowsDone: chunkEnd, rows: n, fraction: 0.4 + (0.6 * chunkEnd) / n });
        if (options.pause && chunkEnd < n) await options.pause();
        stop();
      }
    }
    const finished = await time('wait', () => helper.finish());
    csv = finished.csv;
    if (finished.rejects && rejectCount > 0) rejects = { rows: rejectCount, csv: finished.rejects };
    for (const [part, ms] of Object.entries(finished.timings)) options.record?.(part, ms);
  } finally {
    helper.close();
  }
  const notices: string[] = [];
  const ignoredText = ignoredNotice(ignored);
  if (ignoredText) notices.push(ignoredText);
  if (rejects) notices.push(`${rejects.rows.toLocaleString('en-US')} ${rejects.rows === 1 ? 'row was' : 'rows were'} dropped by the recipe (see the rejects file)`);
  if (decide) notices.push(`${predictedName} is "${classes[decide.positive]}" where its probability is at least ${decide.threshold} (the saved decision threshold)`);
  report({ phase: 'done', rowsDone: n, rows: n, fraction: 1 });
  return { rowsIn, rows: n, csv, rejects, ignored, notices };
}
