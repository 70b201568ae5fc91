// Permutation importance per source column on real data: noise ≈ 0, strong columns > 0, seeded, and equal to shuffling by hand.
import type * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../../../src/lib/ml/backend-node.ts';
import { predictTable } from '../../../../src/lib/ml/predict.ts';
import { fastRocAuc, permutationImportance, radixSortFloat32, type ImportanceMetric } from '../../../../src/lib/ml/review/importance.ts';
import { sourceColumns } from '../../../../src/lib/ml/review/network.ts';
import type { RunOutput } from '../../../../src/lib/ml/run.ts';
import { AppError } from '../../../../src/lib/pipeline/errors.ts';
import type { FeatureSet } from '../../../../src/lib/pipeline/features/types.ts';
import { classificationMetrics, regressionMetrics, rocAuc } from '../../../../src/lib/pipeline/metrics.ts';
import { NumpyRandomState } from '../../../../src/lib/pipeline/numpy-random.ts';
import { mulberry32 } from '../../../../src/lib/pipeline/split.ts';
import { applyTransforms, encodeTarget } from '../../../../src/lib/pipeline/transforms.ts';
import type { ClassificationMetrics, Column, DataTable, RegressionMetrics } from '../../../../src/lib/pipeline/types.ts';
import { load, penguinsBySex, subset, train, withNoise, type NetworkRun } from './train-small.ts';

const penguins = withNoise(load('penguins.json'), 7);
const cars = load('cars.json');
const bySex = penguinsBySex();
const ratioSet: FeatureSet = {
  name: 'ratio',
  version: 1,
  features: [
    { name: 'Horsepower', column: 'Horsepower', transform: 'standardize' },
    { name: 'power_to_weight', column: 'Horsepower', column2: 'Weight_in_lbs', transform: 'ratio' },
    { name: 'Year', column: 'Year', transform: 'standardize' },
    { name: 'Origin', column: 'Origin', transform: 'onehot' },
  ],
};

const runs: Record<string, NetworkRun> = {};
beforeAll(async () => {
  await chooseBackend('wasm');
  runs.penguinsMlp = await train(penguins, { target: 'Species', model: { kind: 'mlp', hidden: [16, 8], epochs: 40 } });
  runs.penguinsLinear = await train(penguins, { target: 'Species', model: { kind: 'linear', epochs: 40 } });
  runs.carsMlp = await train(cars, { target: 'Miles_per_Gallon', model: { kind: 'mlp', hidden: [16, 8], epochs: 60 } });
  runs.carsRatio = await train(cars, { target: 'Miles_per_Gallon', features: ratioSet, model: { kind: 'mlp', hidden: [8], epochs: 40 } });
  runs.sexMlp = await train(bySex, { target: 'Sex', model: { kind: 'mlp', hidden: [16, 8], epochs: 60 } });
}, 120_000);
afterAll(() => Object.values(runs).forEach((run) => run.model.dispose()));

/** The table with `column`'s values among `rows` taken in the order numpy's shuffle of the positions gives. */
function shuffledTable(table: DataTable, rows: Int32Array, column: string, order: Int32Array): DataTable {
  const moved = (c: Column): Column => {
    if (c.name !== column) return c;
    if ('codes' in c) {
      const codes = c.codes.slice();
      order.forEach((from, i) => (codes[rows[i]!] = c.codes[rows[from]!]!));
      return { ...c, codes };
    }
    const values = c.values.slice();
    order.forEach((from, i) => (values[rows[i]!] = c.values[rows[from]!]!));
    return { ...c, values };
  };
  return { rowCount: table.rowCount, columns: table.columns.map(moved) };
}

/** The metric of the whole model on `rows` of `table`, through applyTransforms, predictTable and metrics.ts. */
async function reference(model: tf.LayersModel, run: RunOutput, table: DataTable, rows: Int32Array, metric: ImportanceMetric): Promise<number> {
  const { bundle } = run;
  const probs = await predictTable(model, applyTransforms(table, bundle, rows), rows.length, bundle.width, bundle.task);
  const y = encodeTarget(table, bundle, rows);
  if (bundle.task === 'regression') return (regressionMetrics(y, probs) as RegressionMetrics)[metric as 'r2' | 'rmse' | 'mae'];
  return (classificationMetrics(Int32Array.from(y), probs, bundle.classes!) as ClassificationMetrics)[metric as 'accuracy' | 'rocAuc' | 'logLoss'];
}

describe('permutationImportance', () => {
  it('is per source column: a pure-noise column gets about 0, strong columns more; the default metric is accuracy (multiclass)', async () => {
    for (const key of ['penguinsMlp', 'penguinsLinear']) {
      const { model, bundle, splitRows, evaluation } = runs[key]!;
      const result = await permutationImportance(model, penguins, bundle, splitRows.test, { seed: 1 });
      expect(result.metric).toBe('accuracy');
      expect(result.higherIsBetter).toBe(true);
      expect(result.baseline).toBeCloseTo((evaluation.metrics as ClassificationMetrics).accuracy, 9);
      expect(result.rows).toBe(splitRows.test.length);
      expect(result.columns.map((c) => c.column).sort()).toEqual(sourceColumns(bundle).sort());
      expect(result.columns.map((c) => c.column)).toContain('Island'); // one entry for its one-hot slots
      expect(result.columns.find((c) => c.column === 'Island')!.features).toEqual(['Island']);
      const means = result.columns.map((c) => c.mean);
      expect(means).toEqual([...means].sort((a, b) => b - a));
      const of = (column: string) => result.columns.find((c) => c.column === column)!;
      for (const noise of ['Noise', 'Noise level']) expect(Math.abs(of(noise).mean)).toBeLessThanOrEqual(0.02);
      expect(of('Beak Length (mm)').mean).toBeGreaterThan(0.1);
      expect(result.columns[0]!.mean).toBeGreaterThan(0.1);
      for (const c of result.columns) {
        expect(c.importances).toHaveLength(5);
        expect(c.scores).toHaveLength(5);
        c.importances.forEach((imp, r) => expect(imp).toBeCloseTo(result.baseline - c.scores[r]!, 12));
        const mean = c.importances.reduce((a, b) => a + b, 0) / 5;
        expect(c.mean).toBeCloseTo(mean, 12);
        expect(c.std).toBeCloseTo(Math.sqrt(c.importances.reduce((a, b) => a + (b - mean) ** 2, 0) / 5), 12);
      }
    }
  });

  it('the same seed gives the same numbers, another seed other shuffles; repeats sets the number of scores', async () => {
    const { model, bundle, splitRows } = runs.penguinsMlp!;
    const [a, b, c] = [
      await permutationImportance(model, penguins, bundle, splitRows.test, { seed: 4 }),
      await permutationImportance(model, penguins, bundle, splitRows.test, { seed: 4 }),
      await permutationImportance(model, penguins, bundle, splitRows.test, { seed: 5 }),
    ];
    expect(b.columns).toEqual(a.columns);
    expect(c.columns.map((col) => col.scores)).not.toEqual(a.columns.map((col) => col.scores));
    const three = await permutationImportance(model, penguins, bundle, splitRows.test, { seed: 4, repeats: 3 });
    for (const col of three.columns) {
      expect(col.scores).toHaveLength(3);
      // Each column restarts the same shuffle sequence, so the first three repeats are those of the 5-repeat run.
      expect(col.scores).toEqual(a.columns.find((x) => x.column === col.column)!.scores.slice(0, 3));
    }
  });

  it('equals shuffling the column by hand and scoring the whole model again (numpy shuffles of the row positions)', async () => {
    const cases = [
      ['penguinsMlp', penguins, 'Island', 'accuracy'],
      ['penguinsMlp', penguins, 'Flipper Length (mm)', 'logLoss'],
      ['penguinsMlp', penguins, 'Beak Depth (mm)', 'rocAuc'],
      ['sexMlp', bySex, 'Body Mass (g)', 'rocAuc'],
      ['sexMlp', bySex, 'Species', 'accuracy'],
      ['carsMlp', cars, 'Weight_in_lbs', 'r2'],
      ['carsMlp', cars, 'Origin', 'mae'],
      // Weight only reaches this model through the ratio Horsepower / Weight; Horsepower through both features.
      ['carsRatio', cars, 'Weight_in_lbs', 'rmse'],
      ['carsRatio', cars, 'Horsepower', 'r2'],
    ] as const;
    for (const [key, table, column, metric] of cases) {
      const run = runs[key]!;
      const rows = run.splitRows.test;
      const result = await permutationImportance(run.model, table, run.bundle, rows, { seed: 11, repeats: 2, metric });
      expect(result.baseline).toBeCloseTo(await reference(run.model, run, table, rows, metric), 5);
      const random = new NumpyRandomState(11);
      const order = Int32Array.from(rows, (_, i) => i);
      const got = result.columns.find((c) => c.column === column)!;
      for (let r = 0; r < 2; r++) {
        random.shuffle(order);
        expect(got.scores[r]).toBeCloseTo(await reference(run.model, run, shuffledTable(table, rows, column, order), rows, metric), 5);
      }
      const lowerIsBetter = metric === 'logLoss' || metric === 'rmse' || metric === 'mae';
      got.importances.forEach((imp, r) => expect(imp).toBeCloseTo(lowerIsBetter ? got.scores[r]! - result.baseline : result.baseline - got.scores[r]!, 12));
    }
    expect((await permutationImportance(runs.carsRatio!.model, cars, runs.carsRatio!.bundle, runs.carsRatio!.splitRows.test)).columns.find((c) => c.column === 'Horsepower')!.features).toEqual([
      'Horsepower',
      'power_to_weight',
    ]);
  });

  it('defaults: ROC AUC for binary, R² for regression; a strong column still drops a lower-is-better metric', async () => {
    const sex = runs.sexMlp!;
    const binary = await permutationImportance(sex.model, bySex, sex.bundle, sex.splitRows.test);
    expect(binary.metric).toBe('rocAuc');
    expect(binary.baseline).toBeCloseTo((sex.evaluation.metrics as ClassificationMetrics).rocAuc, 5);
    const carsRun = runs.carsMlp!;
    const regression = await permutationImportance(carsRun.model, cars, carsRun.bundle, carsRun.splitRows.test);
    expect(regression.metric).toBe('r2');
    expect(regression.baseline).toBeCloseTo((carsRun.evaluation.metrics as RegressionMetrics).r2, 5);
    const rmse = await permutationImportance(carsRun.model, cars, carsRun.bundle, carsRun.splitRows.test, { metric: 'rmse' });
    expect(rmse.higherIsBetter).toBe(false);
    expect(rmse.columns[0]!.mean).toBeGreaterThan(0.5);
    expect(rmse.columns[0]!.column).toBe(regression.columns[0]!.column);
  });

  it('leaves out rows whose class was never seen in training, as the evaluation does', async () => {
    const { model, bundle, splitRows } = runs.penguinsMlp!;
    // A copy of penguins with a new species on the first test row.
    const species = penguins.columns.find((c) => c.name === 'Species') as { codes: Int32Array; levels: string[] };
    const codes = species.codes.slice();
    codes[splitRows.test[0]!] = species.levels.length;
    const table = { ...penguins, columns: penguins.columns.map((c) => (c.name === 'Species' ? { ...species, levels: [...species.levels, 'Unknown'], codes } : c)) } as DataTable;
    const result = await permutationImportance(model, table, bundle, splitRows.test);
    expect(result.rows).toBe(splitRows.test.length - 1);
  });

  it('names bad inputs: an empty row set, a row out of range, repeats, seed and metrics', async () => {
    const { model, bundle, splitRows } = runs.penguinsMlp!;
    const fail = async (rows: Int32Array, options: object): Promise<AppError> => {
      try {
        await permutationImportance(model, penguins, bundle, rows, options);
      } catch (error) {
        if (error instanceof AppError) return error;
        throw error;
      }
      throw new Error('expected an AppError');
    };
    expect(await fail(new Int32Array(0), {})).toMatchObject({ code: 'too-few-rows', message: 'There are no rows to review: the row set is empty' });
    expect(await fail(Int32Array.of(3, 344, 5), {})).toMatchObject({ code: 'bad-argument', message: 'Row 344 (entry 1 of the row set) is out of range: the table has 344 rows' });
    expect((await fail(Int32Array.of(-2), {})).message).toBe('Row -2 (entry 0 of the row set) is out of range: the table has 344 rows');
    expect((await fail(splitRows.test, { repeats: 0 })).message).toBe('Permutation importance needs a whole number of repeats from 1 to 100, got 0');
    expect((await fail(splitRows.test, { repeats: 2.5 })).message).toMatch(/got 2.5$/);
    expect((await fail(splitRows.test, { seed: -1 })).message).toBe('The seed must be a whole number from 0 to 4294967295, got -1');
    expect((await fail(splitRows.test, { metric: 'r2' })).message).toBe('The metric "r2" does not apply to a multiclass task');
    expect((await fail(splitRows.test, { metric: 'f1' })).message).toMatch(/^Unknown importance metric "f1"; the metrics are accuracy, rocAuc/);
    const noSpecies = subset(penguins, Array.from(splitRows.test));
    const missing = noSpecies.columns.map((c) => (c.name === 'Species' ? { ...c, codes: new Int32Array(noSpecies.rowCount).fill(-1) } : c)) as Column[];
    try {
      await permutationImportance(model, { ...noSpecies, columns: missing }, bundle, Int32Array.from({ length: noSpecies.rowCount }, (_, i) => i));
      throw new Error('expected an AppError');
    } catch (error) {
      expect(error).toMatchObject({ code: 'too-few-rows', message: `None of the ${noSpecies.rowCount} rows has a class seen in training in "Species"` });
    }
  });
});

describe('the fast kernels', () => {
  it('radixSortFloat32 sorts as the typed-array sort does, signed zeros, infinities and subnormals included', () => {
    const random = mulberry32(3);
    const values = Float32Array.from({ length: 50_000 }, () => (random() - 0.5) * 10 ** Math.floor(random() * 60 - 30));
    values.set([-0, 0, Infinity, -Infinity, 1e-42, -1e-42, 3.4e38, -3.4e38], 0);
    const sorted = radixSortFloat32(values);
    const expected = values.slice().sort();
    expect(Array.from(sorted, (v) => (Object.is(v, -0) ? 0 : v))).toEqual(Array.from(expected, (v) => (Object.is(v, -0) ? 0 : v)));
  });

  it('fastRocAuc equals metrics.ts rocAuc, ties included, for float32 and float64 scores', () => {
    const random = mulberry32(9);
    const positive = Uint8Array.from({ length: 20_000 }, () => (random() < 0.3 ? 1 : 0));
    const scores = Float32Array.from(positive, (p) => Math.round((random() + 0.4 * p) * 50) / 50);
    const expected = rocAuc(Float64Array.from(scores), positive);
    expect(fastRocAuc(scores, positive)).toBeCloseTo(expected, 12);
    expect(fastRocAuc(Float64Array.from(scores), positive)).toBeCloseTo(expected, 12);
    expect(fastRocAuc(scores, new Uint8Array(scores.length))).toBeNaN();
  });
});
