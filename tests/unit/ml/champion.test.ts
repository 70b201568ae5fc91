// The champion's outputs mapped onto the run's classes by name, and the evaluation rows divided again exactly as runPipeline divided them.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../../src/lib/ml/backend-node.ts';
import { predictTable } from '../../../src/lib/ml/predict.ts';
import { championOutputs, checkChampion, classOrder } from '../../../src/lib/ml/review/champion.ts';
import { evaluationRows, runPipeline } from '../../../src/lib/ml/run.ts';
import { parseFile } from '../../../src/lib/pipeline/parse.ts';
import { makeSpec, type SpecDraft } from '../../../src/lib/pipeline/spec/build.ts';
import type { TransformBundle } from '../../../src/lib/pipeline/types.ts';

beforeAll(async () => void (await chooseBackend('wasm')));

describe('classOrder and championOutputs', () => {
  it('maps columns by class name and names classes either side lacks', () => {
    expect(Array.from(classOrder(['c', 'a', 'b'], ['a', 'b', 'c'], 'Champion'))).toEqual([1, 2, 0]);
    expect(() => classOrder(['a', 'b'], ['a', 'b', 'c'], 'Champion "m" v2')).toThrow('Champion "m" v2 has no class "c" (its classes are "a", "b")');
    expect(() => classOrder(['a', 'b', 'd'], ['a', 'b'], 'Champion')).toThrow(/predicts class "d", which the run does not have/);
  });

  it("reorders a champion's probabilities into the run's class order", async () => {
    const table = parseFile(new TextEncoder().encode('x,k\n-1,a\n0.5,b\n2,c\n'), 't.csv');
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [1], activation: 'softmax' })] });
    model.setWeights([tf.tensor2d([[1, -2, 0.5]]), tf.tensor1d([0.1, 0.2, -0.3])]);
    const bundle: TransformBundle = {
      format: 'millrace.transforms/1',
      target: 'k',
      task: 'multiclass',
      classes: ['c', 'a', 'b'],
      features: [{ kind: 'numeric', column: 'x', median: 0, mean: 0, std: 1 }],
      featureNames: ['x'],
      width: 1,
    };
    const rows = Int32Array.from([2, 0]);
    const raw = await predictTable(model, Float32Array.from([2, -1]), 2, 1, 'multiclass');
    const mapped = await championOutputs(model, bundle, table, rows, ['a', 'b', 'c']);
    for (let i = 0; i < 2; i++) expect(Array.from(mapped.subarray(i * 3, i * 3 + 3))).toEqual([raw[i * 3 + 1], raw[i * 3 + 2], raw[i * 3]]);
    model.dispose();
  });

  it('refuses the same run, another target and another kind of task', () => {
    const run = { label: 'run "r"', target: 'y', task: 'binary' as const, runId: 'r' };
    expect(() => checkChampion({ ...run, label: 'Champion' }, run)).toThrow(/same run/);
    expect(() => checkChampion({ label: 'Champion', target: 'z', task: 'binary', runId: 'q' }, run)).toThrow('Champion: champion trained for another target ("z") than run "r"\'s ("y")');
    expect(() => checkChampion({ label: 'Champion', target: 'y', task: 'regression', runId: 'q' }, run)).toThrow(/regression model of "y"; run "r" is binary/);
  });
});

describe('evaluationRows', () => {
  const seattle = parseFile(readFileSync('node_modules/vega-datasets/data/seattle-weather.csv'), 'seattle-weather.csv');
  const cases: [string, SpecDraft][] = [
    ['stratified', { target: 'weather', split: { seed: 11 }, model: { kind: 'linear', epochs: 1 } }],
    ['random regression', { target: 'temp_max', split: { seed: 3 }, model: { kind: 'linear', epochs: 1 } }],
    ['time', { target: 'weather', split: { kind: 'time', timeColumn: 'date', seed: 1 }, model: { kind: 'linear', epochs: 1 } }],
    ['search', { target: 'weather', split: { seed: 5 }, model: { epochs: 1, search: { strategy: 'grid', trials: null, minutes: null, space: { learningRate: [0.01] } } } }],
  ];
  for (const [name, draft] of cases) {
    it(`divides the rows as the run did (${name})`, async () => {
      const spec = makeSpec(draft);
      const run = await runPipeline(seattle, spec);
      run.model.dispose();
      const rows = evaluationRows(seattle, spec, run.plan.task, run.refit);
      expect(rows.test).toEqual(run.splitRows.test);
      expect(rows.train).toEqual(run.splitRows.train);
      // A search run stored before refitting (no refit on the record) was fitted on the split less the validation slice.
      if (run.refit) expect(evaluationRows(seattle, spec, run.plan.task).train).toHaveLength(run.refit.trialRows);
    });
  }
});
