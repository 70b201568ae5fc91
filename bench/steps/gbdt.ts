// Bench step train-gbdt: histogram gradient-boosted trees (src/lib/ml/gbdt) on the 1M-row table's 792k training rows, 100 rounds, scored on the 198k test rows.
// The peer, scikit-learn's HistGradientBoostingClassifier, runs in Python from bench/run.mjs (bench/gbdt-peer.mjs) when /usr/bin/python3 has it.
import { gbdtColumns } from '../../src/lib/ml/gbdt/columns.ts';
import { binColumns } from '../../src/lib/ml/gbdt/binning.ts';
import { HistogramKernel } from '../../src/lib/ml/gbdt/kernel.ts';
import { compileForest, predictBinned, predictRaw, type Forest } from '../../src/lib/ml/gbdt/predict.ts';
import { trainGbdt } from '../../src/lib/ml/gbdt/train.ts';
import type { GbdtColumn, GbdtModel } from '../../src/lib/ml/gbdt/types.ts';
import { rocAuc } from '../../src/lib/pipeline/metrics.ts';
import { getColumn } from '../../src/lib/pipeline/table.ts';
import { defineStep } from '../harness.ts';
import { prepare } from './ml.ts';

/** docs/baselines.md's setting: 100 rounds of 31 leaves, no early stopping, other parameters at scikit-learn's defaults. */
const PARAMS = { maxIter: 100, maxLeafNodes: 31, earlyStopping: false, seed: 42 } as const;
const SCORE_REPS = 5;

interface GbdtState {
  columns: GbdtColumn[];
  classes: Int32Array;
  train: Int32Array;
  /** The test rows' columns (copied once, untimed): what scoring a 198k-row table reads. */
  testColumns: GbdtColumn[];
  testLabels: Uint8Array;
  model: GbdtModel | null;
}

function subset(columns: GbdtColumn[], rows: Int32Array): GbdtColumn[] {
  return columns.map((c) => (c.kind === 'numeric' ? { ...c, values: Float64Array.from(rows, (r) => c.values[r]!) } : { ...c, codes: Int32Array.from(rows, (r) => c.codes[r]!) }));
}

function train(state: GbdtState, timings?: Record<string, number>): GbdtModel {
  return trainGbdt({ columns: state.columns, target: { kind: 'classes', classes: state.classes, nClasses: 2 }, rows: state.train }, PARAMS, { timings });
}

/** Each model's forest, compiled once as a loaded TreeModel does (src/lib/ml/trees/tree-model.ts): scoring then bins the rows and runs the trees. */
const forests = new WeakMap<GbdtModel, Forest>();

function forestOf(model: GbdtModel): Forest {
  let forest = forests.get(model);
  if (!forest) forests.set(model, (forest = compileForest(model)));
  return forest;
}

function score(state: GbdtState, model: GbdtModel): Float64Array {
  return predictRaw(model, state.testColumns, state.testLabels.length, forestOf(model));
}

export function registerGbdtStep(): void {
  defineStep<GbdtState>({
    name: 'train-gbdt',
    description:
      'trainGbdt (src/lib/ml/gbdt): 100 rounds × 31 leaves, no early stopping, on the 791,835 deduplicated training rows (15 columns: numbers, 3 native categoricals, the date as year/month/day of week); then the 197,959 test rows scored by the loaded model (its forest compiled once, as a TreeModel keeps it)',
    reps: 3,
    warmup: 0,
    targets: [{ kind: 'maxMs', ms: 10_000 }],
    breakdownReps: 1,
    partTargets: [{ part: 'score 197,959 test rows (bin + 100 trees)', maxMs: 198, label: 'scoring ≥ 1M rows/s' }],
    async setup(ctx) {
      const { table, train: trainRows, test } = await prepare(ctx);
      const features = table.columns.map((c) => c.name).filter((name) => name !== 'label');
      const columns = gbdtColumns(table, features);
      const label = getColumn(table, 'label');
      if (!('values' in label)) throw new Error('bench: the label column is not numeric');
      const classes = Int32Array.from(label.values, (v) => (v === 1 ? 1 : 0));
      ctx.log(`train-gbdt: ${columns.length} columns (${columns.map((c) => c.name).join(', ')})`);
      return {
        columns,
        classes,
        train: trainRows,
        testColumns: subset(columns, test),
        testLabels: Uint8Array.from(test, (r) => classes[r]!),
        model: null,
      };
    },
    async run(state) {
      state.model = train(state);
      if (state.model.rounds !== 100) throw new Error(`bench: trained ${state.model.rounds} rounds, expected 100`);
    },
    async breakdown(state, _ctx, time) {
      const timings: Record<string, number> = {};
      const model = await time('train (instrumented)', () => train(state, timings));
      for (const [part, ms] of Object.entries(timings)) time.record(`train.${part}`, ms);
      // Loading a model compiles its forest once (and its WebAssembly scorer on first use): timed apart from scoring.
      const forest = await time('load: compile the forest (once per model)', () => forestOf(model));
      for (let i = 0; i < SCORE_REPS; i++) await time('score 197,959 test rows (bin + 100 trees)', () => score(state, model));
      const n = state.testLabels.length;
      for (let i = 0; i < SCORE_REPS; i++) {
        const x = await time('score.bin', () => binColumns(model.columns, state.testColumns, null, n));
        await time('score.trees', () => predictBinned(forest, x, n));
      }
    },
    async extra(state, ctx) {
      const model = state.model ?? train(state);
      const raw = score(state, model);
      const auc = Math.round(rocAuc(raw, state.testLabels) * 10_000) / 10_000;
      const runs: number[] = [];
      for (let i = 0; i < SCORE_REPS; i++) {
        const t0 = performance.now();
        score(state, model);
        runs.push(performance.now() - t0);
      }
      const scoringMs = runs.sort((a, b) => a - b)[SCORE_REPS >> 1]!;
      const rowsPerSecond = Math.round(state.testLabels.length / (scoringMs / 1000));
      const histogramKernel = new HistogramKernel(1 << 16).kind;
      ctx.log(`train-gbdt: test AUC ${auc}, scoring ${(rowsPerSecond / 1e6).toFixed(2)}M rows/s, histogram kernel ${histogramKernel}`);
      return {
        histogramKernel,
        trainRows: state.train.length,
        testRows: state.testLabels.length,
        rounds: model.rounds,
        leaves: model.trees.reduce((sum, tree) => sum + tree.feature.filter((f) => f < 0).length, 0),
        auc,
        aucTarget: { label: 'test AUC within 0.003 of 0.950', pass: Math.abs(auc - 0.95) <= 0.003 },
        scoringMs: Math.round(scoringMs * 10) / 10,
        scoringRowsPerSecond: rowsPerSecond,
      };
    },
  });
}
