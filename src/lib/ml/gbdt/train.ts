// The boosting loop: bins the training rows, grows one tree per output per round, and stops early on a validation slice as scikit-learn.
import { AppError } from '../../pipeline/errors.ts';
import { splitRows } from '../../pipeline/split.ts';
import { binColumns, fitBins } from './binning.ts';
import { GrowerWorkspace, growTree } from './grower.ts';
import { baselineOf, gradientsInto, meanLoss, type LossTarget } from './loss.ts';
import { checkTarget, classWeights, resolveParams } from './params.ts';
import { compileForest, predictBinned } from './predict.ts';
import type { SplitContext } from './split.ts';
import { EARLY_STOPPING_AUTO_ROWS, MISSING_BIN, type GbdtColumn, type GbdtLoss, type GbdtModel, type GbdtParams, type GbdtProgress, type GbdtTarget, type GbdtTree } from './types.ts';

export interface GbdtInput {
  columns: GbdtColumn[];
  target: GbdtTarget;
  /** The rows to fit on (indices into the columns); default every row. */
  rows?: Int32Array;
}

export interface GbdtOptions {
  onRound?: GbdtProgress;
  /** Compute the training loss after every round even without early stopping (it costs a pass over the rows). */
  trackTrainLoss?: boolean;
  /** Filled with milliseconds by part: binning, gradients, histograms, splits, partition, predictions, validation. */
  timings?: Record<string, number>;
  /**
   * A model trainGbdt returned for the same input and parameters (maxIter aside), perhaps cut short by a cancel
   * or taken from `onRound`'s `model()`: training goes on from its last round and ends as a straight run would, bit for bit.
   */
  resume?: GbdtModel;
}

/** The loss a target takes: squared error for numbers, log loss for two classes, softmax for more. */
export function lossFor(target: GbdtTarget): GbdtLoss {
  if (target.kind === 'values') return 'squared_error';
  return target.nClasses === 2 ? 'log_loss' : 'softmax';
}

function lossTarget(target: GbdtTarget, rows: Int32Array, perClass: Float64Array | null): LossTarget {
  if (target.kind === 'values') {
    return { classes: null, values: Float64Array.from(rows, (r) => target.values[r]!), weights: null, nClasses: 0 };
  }
  const classes = Int32Array.from(rows, (r) => target.classes[r]!);
  const weights = perClass ? Float64Array.from(classes, (c) => perClass[c]!) : null;
  return { classes, values: null, weights, nClasses: target.nClasses };
}

/** scikit-learn's `_should_stop`: none of the last n scores beats the one before them by more than tol. */
export function shouldStop(scores: number[], n: number, tol: number): boolean {
  if (scores.length < n + 1) return false;
  const reference = scores[scores.length - n - 1]! + tol;
  return !scores.slice(-n).some((score) => score > reference);
}

/**
 * Trains histogram gradient-boosted trees with scikit-learn 1.2's HistGradientBoosting defaults. The same
 * input, parameters and seed give the same trees bit for bit.
 */
export function trainGbdt(input: GbdtInput, given: Partial<GbdtParams> = {}, options: GbdtOptions = {}): GbdtModel {
  const rounds = boost(input, given, options);
  for (;;) {
    const step = rounds.next();
    if (step.done) return step.value;
  }
}

/**
 * `trainGbdt` that awaits `pause()` after every round (e.g. a turn of the event loop, so that a worker sees a
 * Cancel message between rounds); the same trees bit for bit.
 */
export async function trainGbdtAsync(input: GbdtInput, given: Partial<GbdtParams>, options: GbdtOptions, pause: () => Promise<void>): Promise<GbdtModel> {
  const rounds = boost(input, given, options);
  for (;;) {
    const step = rounds.next();
    if (step.done) return step.value;
    await pause();
  }
}

/** The boosting loop, suspended after each round. */
function* boost(input: GbdtInput, given: Partial<GbdtParams>, options: GbdtOptions): Generator<void, GbdtModel> {
  const params = resolveParams(given);
  const { columns, target } = input;
  if (columns.length === 0) throw new AppError('no-features', 'Trees need at least one input column');
  const rowCount = target.kind === 'values' ? target.values.length : target.classes.length;
  const all = input.rows ?? Int32Array.from({ length: rowCount }, (_, i) => i);
  checkTarget(target, all, 'training rows');
  const loss = lossFor(target);
  const early = params.earlyStopping === 'auto' ? all.length > EARLY_STOPPING_AUTO_ROWS : params.earlyStopping;
  const perClass = classWeights(params.classWeight, target, all);
  let trainRows = all;
  let validRows: Int32Array | null = null;
  if (early) {
    const strata = target.kind === 'classes' ? Int32Array.from(all, (r) => target.classes[r]!) : undefined;
    const parts = splitRows(all, params.validationFraction, params.seed, strata);
    trainRows = parts.train;
    validRows = parts.test;
    checkTarget(target, trainRows, 'training split (after holding out the validation slice)');
  }
  const timings = options.timings ?? null;
  let clock = performance.now();
  const lap = (part: string) => {
    const now = performance.now();
    if (timings) timings[part] = (timings[part] ?? 0) + now - clock;
    clock = now;
  };
  const { bins, notes } = fitBins(columns, trainRows, params.maxBins, params.seed);
  const n = trainRows.length;
  const byColumn = binColumns(bins, columns, trainRows);
  const ctx = splitContext(bins, byColumn, n, params);
  const ws = new GrowerWorkspace(n, columns.length, params.maxLeafNodes, timings);
  ws.load(byColumn);
  lap('binning');
  const yTrain = lossTarget(target, trainRows, perClass);
  const outputs = loss === 'softmax' ? (target as { nClasses: number }).nClasses : 1;
  const baseline = baselineOf(loss, yTrain);
  const rawTrain = new Float64Array(n * outputs);
  for (let i = 0; i < n; i++) for (let k = 0; k < outputs; k++) rawTrain[i * outputs + k] = baseline[k]!;
  const valid = validRows && {
    n: validRows.length,
    x: binColumns(bins, columns, validRows),
    y: lossTarget(target, validRows, perClass),
    raw: new Float64Array(validRows.length * outputs),
  };
  if (valid) for (let i = 0; i < valid.n; i++) for (let k = 0; k < outputs; k++) valid.raw[i * outputs + k] = baseline[k]!;
  const trackTrain = early || options.trackTrainLoss === true;
  const trainLoss: number[] = trackTrain ? [meanLoss(loss, rawTrain, yTrain)] : [];
  const validationLoss: number[] = valid ? [meanLoss(loss, valid.raw, valid.y)] : [];
  const trees: GbdtTree[] = [];
  const snapshot = (stoppedEarly: boolean): GbdtModel => ({
    format: 'millrace.gbdt/1', loss, outputs, columns: bins, baseline, trees: trees.slice(), params, rounds: trees.length / outputs,
    trainLoss: trainLoss.slice(), validationLoss: validationLoss.slice(), stoppedEarly, notes: notes.slice(),
  });
  const kept = options.resume;
  if (kept) {
    checkResume(kept, { loss, outputs, bins, baseline, params });
    if (kept.stoppedEarly || kept.rounds >= params.maxIter) return trimmed(kept, params);
    // The kept rounds replayed one by one, each added as the straight run added it (same sums, same order).
    const zero = new Array<number>(outputs).fill(0);
    for (let round = 0; round < kept.rounds; round++) {
      const forest = compileForest({ outputs, baseline: zero, trees: kept.trees.slice(round * outputs, (round + 1) * outputs) });
      predictBinned(forest, byColumn, n, rawTrain, false);
      if (valid) predictBinned(forest, valid.x, valid.n, valid.raw, false);
      if (trackTrain && kept.trainLoss.length !== kept.rounds + 1) trainLoss.push(meanLoss(loss, rawTrain, yTrain));
      if (valid && kept.validationLoss.length !== kept.rounds + 1) validationLoss.push(meanLoss(loss, valid.raw, valid.y));
    }
    if (trackTrain && kept.trainLoss.length === kept.rounds + 1) trainLoss.splice(0, 1, ...kept.trainLoss);
    if (valid && kept.validationLoss.length === kept.rounds + 1) validationLoss.splice(0, 1, ...kept.validationLoss);
    trees.push(...kept.trees.slice(0, kept.rounds * outputs));
    lap('resume');
  }
  const gradient = new Float32Array(n * outputs);
  const hessian = new Float32Array(n * outputs);
  const limits = { maxLeafNodes: params.maxLeafNodes, maxDepth: params.maxDepth, minSamplesLeaf: params.minSamplesLeaf, learningRate: params.learningRate };
  let stoppedEarly = false;
  for (let round = kept ? kept.rounds : 0; round < params.maxIter; round++) {
    clock = performance.now();
    gradientsInto(loss, rawTrain, yTrain, gradient, hessian);
    lap('gradients');
    const grown: GbdtTree[] = [];
    for (let k = 0; k < outputs; k++) {
      const { tree, leaves } = growTree(n, gradient.subarray(k * n, (k + 1) * n), hessian.subarray(k * n, (k + 1) * n), ctx, limits, ws);
      lap('trees');
      const step = ws.stride >> 2;
      for (const leaf of leaves) {
        const ids = ws.rowIds(leaf.depth);
        for (let p = leaf.start, at = leaf.start * step + 2; p < leaf.end; p++, at += step) rawTrain[ids[at]! * outputs + k]! += leaf.value;
      }
      grown.push(tree);
      lap('predictions');
    }
    trees.push(...grown);
    if (valid) {
      const forest = compileForest({ outputs, baseline: new Array(outputs).fill(0), trees: grown });
      predictBinned(forest, valid.x, valid.n, valid.raw, false);
      validationLoss.push(meanLoss(loss, valid.raw, valid.y));
    }
    if (trackTrain) trainLoss.push(meanLoss(loss, rawTrain, yTrain));
    lap('validation');
    stoppedEarly = valid !== null && shouldStop(validationLoss.map((l) => -l), params.nIterNoChange, params.tol);
    const stop = stoppedEarly;
    const go = options.onRound?.(round + 1, { trainLoss: trainLoss.at(-1) ?? NaN, validationLoss: valid ? validationLoss.at(-1)! : null, model: () => snapshot(stop) });
    if (stoppedEarly || go === false) break;
    yield;
  }
  return { ...snapshot(stoppedEarly), trees, trainLoss, validationLoss, notes };
}

/** Refuses to resume a model fitted to other data or with other parameters (maxIter may differ). */
function checkResume(kept: GbdtModel, now: Pick<GbdtModel, 'loss' | 'outputs' | 'baseline' | 'params'> & { bins: GbdtModel['columns'] }): void {
  const { maxIter: _a, ...keptParams } = kept.params;
  const { maxIter: _b, ...params } = now.params;
  const reason =
    kept.format !== 'millrace.gbdt/1' ? `its format is ${String(kept.format)}`
    : kept.loss !== now.loss || kept.outputs !== now.outputs ? `it has the loss ${kept.loss} with ${kept.outputs} outputs, this target ${now.loss} with ${now.outputs}`
    : JSON.stringify(keptParams) !== JSON.stringify(params) ? 'its parameters differ (other than maxIter)'
    : !sameBins(kept.columns, now.bins) || kept.baseline.some((b, k) => !Object.is(b, now.baseline[k])) ? 'it was fitted on other rows or columns'
    : kept.trees.length < kept.rounds * kept.outputs ? `it has ${kept.trees.length} trees for ${kept.rounds} rounds`
    : null;
  if (reason) throw new AppError('bad-argument', `Cannot resume training from this model: ${reason}`);
}

function sameBins(a: GbdtModel['columns'], b: GbdtModel['columns']): boolean {
  return a.length === b.length && a.every((x, j) => {
    const y = b[j]!;
    if (x.name !== y.name || x.kind !== y.kind) return false;
    if (x.kind === 'numeric' && y.kind === 'numeric') return x.edges.length === y.edges.length && x.edges.every((e, i) => Object.is(e, y.edges[i]));
    return x.kind === 'categorical' && y.kind === 'categorical' && x.capped === y.capped && x.levels.join('\u0000') === y.levels.join('\u0000');
  });
}

/** A finished model as a straight run of `params.maxIter` rounds would have left it. */
function trimmed(kept: GbdtModel, params: GbdtParams): GbdtModel {
  if (kept.rounds <= params.maxIter) return { ...kept, params };
  const rounds = params.maxIter;
  return {
    ...kept, params, rounds, stoppedEarly: false,
    trees: kept.trees.slice(0, rounds * kept.outputs),
    trainLoss: kept.trainLoss.slice(0, rounds + 1),
    validationLoss: kept.validationLoss.slice(0, rounds + 1),
  };
}

function splitContext(bins: GbdtModel['columns'], x: Uint8Array, n: number, params: GbdtParams): SplitContext {
  const hasMissing = new Uint8Array(bins.length);
  bins.forEach((_, j) => {
    const column = x.subarray(j * n, (j + 1) * n);
    hasMissing[j] = column.includes(MISSING_BIN) ? 1 : 0;
  });
  return {
    columns: bins.length,
    valueBins: Int32Array.from(bins, (b) => (b.kind === 'numeric' ? b.edges.length + 1 : b.levels.length + (b.capped ? 1 : 0))),
    hasMissing,
    categorical: Uint8Array.from(bins, (b) => (b.kind === 'categorical' ? 1 : 0)),
    l2: params.l2,
    minSamplesLeaf: params.minSamplesLeaf,
    minHessian: 1e-3,
  };
}
