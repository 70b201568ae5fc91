// runPipeline on a pipeline spec: splits, class weights, MLP knobs, cross-validation and hyper-parameter search, seeded.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../../src/lib/ml/backend-node.ts';
import { runPipeline } from '../../../src/lib/ml/run.ts';
import { gridPoints, randomPoints, rankTrials, type TrialRecord } from '../../../src/lib/ml/search.ts';
import type { TrialParams } from '../../../src/lib/ml/trial.ts';
import { balancedClassWeights } from '../../../src/lib/ml/train.ts';
import { parseFile } from '../../../src/lib/pipeline/parse.ts';
import { makeSpec, type SpecDraft } from '../../../src/lib/pipeline/spec/build.ts';
import { defaultHyperParams } from '../../../src/lib/pipeline/spec/hyperparams.ts';
import { kFolds, timeFolds, timeSplit } from '../../../src/lib/pipeline/split.ts';
import type { DataTable } from '../../../src/lib/pipeline/types.ts';

const load = (name: string): DataTable => parseFile(readFileSync(`node_modules/vega-datasets/data/${name}`), name);
const penguins = load('penguins.json');
const seattle = load('seattle-weather.csv');

beforeAll(async () => void (await chooseBackend('wasm')));

/** The spec of a draft, with seed 5 and a linear model trained for 30 epochs unless the draft says otherwise. */
function spec(draft: SpecDraft) {
  return makeSpec({ ...draft, split: { seed: 5, ...draft.split }, model: { kind: 'linear', epochs: 30, ...draft.model } });
}

async function run(table: DataTable, draft: SpecDraft) {
  const out = await runPipeline(table, spec(draft));
  out.model.dispose();
  return out;
}

describe('the spec', () => {
  it('refuses what a run cannot train, naming the JSON path (the checks runPipeline made on its options)', () => {
    expect(() => spec({ target: 'Species', model: { dropout: 1 } })).toThrow('model.dropout: 1 is not below 1');
    expect(() => spec({ target: 'Species', model: { l2: -0.1 } })).toThrow('model.l2: -0.1 is below 0');
    expect(() => spec({ target: 'Species', split: { seed: 2 ** 32 } })).toThrow('split.seed: 4294967296 is above 4294967295');
    expect(() => spec({ target: 'Species', split: { seed: -1 } })).toThrow('split.seed: -1 is below 0');
    expect(() => spec({ target: 'Species', split: { seed: 1.5 } })).toThrow('split.seed: 1.5 is not a whole number');
    expect(() => spec({ target: 'Species', split: { folds: 1 } })).toThrow('split.folds: 1 is below 2');
    expect(() => spec({ target: 'Species', split: { folds: 51 } })).toThrow('split.folds: 51 is above 50');
    expect(spec({ target: 'Species', split: { seed: 0xffffffff } }).split.seed).toBe(0xffffffff);
  });

  it('the same seed gives the same split and metrics, another seed another split; the run reports its resolved parameters', async () => {
    const draft: SpecDraft = { target: 'Species', model: { kind: 'auto', epochs: 20 } };
    const [a, b] = [await run(penguins, draft), await run(penguins, draft)];
    expect(Array.from(b.splitRows.test)).toEqual(Array.from(a.splitRows.test));
    expect(b.history).toEqual(a.history);
    expect(b.evaluation.metrics).toEqual(a.evaluation.metrics);
    const other = await run(penguins, { ...draft, split: { seed: 6 } });
    expect(Array.from(other.splitRows.test)).not.toEqual(Array.from(a.splitRows.test));
    // 'auto' compares a linear model (the rule for classes) with trees on the validation slice and keeps the better
    // one: the parameters say which model trained, with the other family's knobs at their defaults.
    expect(a.leaderboard!.map((t) => t.params.kind).sort()).toEqual(['gbdt', 'linear']);
    const kind = a.leaderboard![0]!.params.kind;
    expect(a.params).toEqual({ ...defaultHyperParams(), kind, epochs: kind === 'linear' ? 20 : 100, hidden: [] });
    expect(a.modelReason).toMatch(/^auto: (the linear model|gradient-boosted trees) scored better on the validation slice by accuracy/);
  });
});

describe('splits', () => {
  it('time split trains on the past and tests on the most recent 20%', () => {
    const rows = Int32Array.from({ length: 10 }, (_, i) => i);
    const times = Float64Array.of(5, 1, 9, 3, NaN, 7, 2, 8, 4, 6);
    const { train, test } = timeSplit(rows, times, 0.2);
    expect(Array.from(test)).toEqual([2, 7]); // times 9 and 8
    expect(train.length).toBe(7); // the row without a time is left out
  });

  it('k folds cover every row once and keep class shares; time folds never look ahead', () => {
    const rows = Int32Array.from({ length: 30 }, (_, i) => i);
    const strata = Int32Array.from(rows, (i) => (i < 10 ? 0 : 1));
    const folds = kFolds(rows, 5, 1, strata);
    expect(folds.flatMap((f) => Array.from(f.test)).sort((a, b) => a - b)).toEqual(Array.from(rows));
    for (const f of folds) expect(Array.from(f.test).filter((r) => r < 10).length).toBe(2);
    const tf = timeFolds(rows, Float64Array.from(rows), 3);
    for (const f of tf) expect(Math.max(...f.train)).toBeLessThan(Math.min(...f.test));
  });

  it('runs a time-based split on seattle-weather: the test rows are the latest dates', async () => {
    const out = await run(seattle, { target: 'weather', split: { kind: 'time', timeColumn: 'date' } });
    expect(out.splitKind).toBe('time');
    const date = seattle.columns.find((c) => c.name === 'date') as { values: Float64Array };
    const latestTrain = Math.max(...Array.from(out.splitRows.train, (r) => date.values[r]!));
    const earliestTest = Math.min(...Array.from(out.splitRows.test, (r) => date.values[r]!));
    expect(latestTrain).toBeLessThan(earliestTest);
    expect(out.split.test).toBe(Math.round(1461 * 0.2));
  });

  it('names a missing time column and a stratified regression', async () => {
    // The spec refuses a time split without its column, naming the path; runPipeline refuses it too when handed such a spec.
    await expect(run(seattle, { target: 'weather', split: { kind: 'time' } })).rejects.toThrow(
      'split.timeColumn: is missing (a time split needs the column it orders by)',
    );
    const unchecked = spec({ target: 'weather' });
    await expect(runPipeline(seattle, { ...unchecked, split: { ...unchecked.split, kind: 'time' } })).rejects.toThrow(/time column/);
    await expect(run(seattle, { target: 'temp_max', split: { kind: 'stratified' } })).rejects.toThrow(/"temp_max" is a regression target/);
  });
});

describe('training options', () => {
  it('balanced class weights follow n / (k × count)', () => {
    expect(balancedClassWeights(Float32Array.of(0, 0, 0, 1), 2)).toEqual([4 / 6, 2]);
    expect(balancedClassWeights(Float32Array.of(0, 2), 3)).toEqual([1, 0, 1]);
  });

  it('balanced weights raise the recall of a rare class (seattle "fog"/"drizzle")', async () => {
    const plain = await run(seattle, { target: 'weather', model: { epochs: 60 } });
    const weighted = await run(seattle, { target: 'weather', model: { epochs: 60, classWeights: 'balanced' } });
    expect([plain.params.classWeights, weighted.params.classWeights]).toEqual(['none', 'balanced']);
    const m = (o: typeof plain) => o.evaluation.metrics as { macroF1: number };
    expect(m(weighted).macroF1).toBeGreaterThan(m(plain).macroF1);
  });

  it('an MLP with gelu, dropout and L2 is reproducible for a seed', async () => {
    const model = { kind: 'mlp' as const, hidden: [16], activation: 'gelu' as const, dropout: 0.2, l2: 1e-3, epochs: 15 };
    const draft = { target: 'Species', model };
    const [a, b] = [await run(penguins, draft), await run(penguins, draft)];
    expect(b.history).toEqual(a.history);
    expect(b.evaluation.metrics).toEqual(a.evaluation.metrics);
    expect((a.evaluation.metrics as { accuracy: number }).accuracy).toBeGreaterThan(0.9);
    // The run's parameters: the spec's model, every other knob at its default.
    expect(a.params).toEqual({ ...defaultHyperParams(), ...model });
    expect([a.modelKind, a.hidden]).toEqual(['mlp', [16]]);
    const tanh = await run(penguins, { ...draft, model: { ...model, activation: 'tanh' } });
    expect(tanh.history).not.toEqual(a.history);
  });
});

describe('cross-validation', () => {
  it('reports mean ± std of the metric over k folds of the training split', async () => {
    const out = await run(penguins, { target: 'Species', split: { folds: 4 } });
    expect(out.cv).toMatchObject({ folds: 4, metric: 'accuracy', strategy: 'stratified' });
    expect(out.cv!.perFold).toHaveLength(4);
    expect(out.cv!.perFold.reduce((s, f) => s + f.test, 0)).toBe(out.split.train);
    expect(out.cv!.mean).toBeGreaterThan(0.95);
    expect(out.cv!.std).toBeGreaterThanOrEqual(0);
  });
});

describe('hyper-parameter search', () => {
  const base: TrialParams = { ...defaultHyperParams(), kind: 'linear', hidden: [], learningRate: 0.01, l2: 0, dropout: 0, activation: 'relu' };

  it('enumerates a grid without duplicate linear models and samples random points', () => {
    const grid = gridPoints(base, { kind: ['linear', 'mlp'], hidden: [[8], [16]], dropout: [0, 0.5] });
    expect(grid).toHaveLength(1 + 4); // linear ignores hidden and dropout
    expect(randomPoints(base, { learningRate: [0.1, 0.2, 0.3] }, 10, 1)).toHaveLength(3);
    expect(randomPoints(base, { learningRate: [0.1, 0.2, 0.3, 0.4] }, 2, 1)).toEqual(randomPoints(base, { learningRate: [0.1, 0.2, 0.3, 0.4] }, 2, 1));
  });

  it('ranks by the task metric, then the tie-breaker', () => {
    const t = (trial: number, accuracy: number, logLoss: number) => ({ trial, metrics: { accuracy, logLoss } }) as unknown as TrialRecord;
    expect(rankTrials([t(1, 0.9, 0.2), t(2, 0.95, 0.5), t(3, 0.95, 0.3)], 'multiclass').map((r) => [r.trial, r.rank])).toEqual([
      [3, 1],
      [2, 2],
      [1, 3],
    ]);
  });

  it('ranks trials on a validation slice, evaluates the best on test, and is reproducible', async () => {
    const draft: SpecDraft = {
      target: 'weather',
      model: {
        epochs: 20,
        search: { strategy: 'grid', trials: null, minutes: null, space: { kind: ['linear', 'mlp'], learningRate: [0.01, 0.05], hidden: [[8]] } },
      },
    };
    const trials: TrialRecord[] = [];
    const first = await runPipeline(seattle, spec(draft), { onTrial: (t) => void trials.push(t) });
    first.model.dispose();
    const board = first.leaderboard!;
    expect(board).toHaveLength(4);
    expect(trials).toHaveLength(4);
    expect(board.map((t) => t.rank)).toEqual([1, 2, 3, 4]);
    for (let i = 1; i < board.length; i++) expect(board[i - 1]!.score).toBeGreaterThanOrEqual(board[i]!.score);
    // Trials are fitted on the training split less a validation slice and scored on the slice; the best trial's
    // parameters are then refitted on the whole training split (refit=True): train + test = rows with a target.
    expect(first.split.train + first.split.test).toBe(1461);
    expect(first.refit).toEqual({
      trial: board[0]!.trial,
      refitted: true,
      rows: first.split.train,
      trialRows: first.split.train - first.split.validation!,
      validationRows: first.split.validation,
      note: `Trial ${board[0]!.trial}'s parameters refitted on all 1168 training rows (the trials were fitted on 934 and scored on the other 234)`,
    });
    expect(first.splitRows.train).toHaveLength(1168);
    expect(first.modelReason).toBe(`search: best of 4 grid trials by validation accuracy, refitted on all 1168 training rows`);
    expect(first.params).toEqual(board[0]!.params);
    // The saved model is the one a plain run of the best trial's parameters trains on the whole training split.
    const plain = await run(seattle, { target: 'weather', model: { ...board[0]!.params } });
    expect(first.evaluation.metrics).toEqual(plain.evaluation.metrics);
    expect(first.history).toEqual(plain.history);
    const second = await run(seattle, draft);
    expect(second.leaderboard!.map((t) => t.metrics)).toEqual(board.map((t) => t.metrics));
    expect(second.evaluation.metrics).toEqual(first.evaluation.metrics);
  });

  it('stops at a time budget after the first trial', async () => {
    const out = await run(penguins, {
      target: 'Species',
      model: { search: { strategy: 'random', trials: null, minutes: 1e-6, space: { learningRate: [0.01, 0.02, 0.03] } } },
    });
    expect(out.leaderboard).toHaveLength(1);
  });
});
