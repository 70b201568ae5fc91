// Gradient-boosted trees through the one run path: spec, training with rounds, checkpoints and resume, storage, scoring, review and 'auto'.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunCheckpoint, TreesCheckpoint } from '../../../../src/lib/contracts/training.ts';
import { modelFromArtifacts, modelSizeBytes, modelToArtifacts } from '../../../../src/lib/ml/artifacts.ts';
import { chooseBackend } from '../../../../src/lib/ml/backend-node.ts';
import { predictTable } from '../../../../src/lib/ml/predict.ts';
import { isTrees } from '../../../../src/lib/ml/predictor.ts';
import { attributeRow } from '../../../../src/lib/ml/review/attribution.ts';
import { permutationImportance } from '../../../../src/lib/ml/review/importance.ts';
import { reviewRun } from '../../../../src/lib/ml/review/review-run.ts';
import { runPipeline } from '../../../../src/lib/ml/run.ts';
import { treeGainImportance } from '../../../../src/lib/ml/trees/tree-importance.ts';
import { TreeModel } from '../../../../src/lib/ml/trees/tree-model.ts';
import { parseFile } from '../../../../src/lib/pipeline/parse.ts';
import { makeSpec, type SpecDraft } from '../../../../src/lib/pipeline/spec/build.ts';
import { applyTransforms } from '../../../../src/lib/pipeline/transforms.ts';
import type { DataTable } from '../../../../src/lib/pipeline/types.ts';

const load = (name: string): DataTable => parseFile(readFileSync(`node_modules/vega-datasets/data/${name}`), name);
const penguins = load('penguins.json');
const cars = load('cars.json');

beforeAll(async () => void (await chooseBackend('wasm')));

const spec = (draft: SpecDraft) => makeSpec({ ...draft, split: { seed: 7, ...draft.split } });
const treesOf = (model: unknown) => {
  if (!(model instanceof TreeModel)) throw new Error('not a tree model');
  return model;
};

describe('trees in a run', () => {
  it('trains penguins with model gbdt: one history entry per round, trees that score like a network, same seed same trees', async () => {
    const draft: SpecDraft = { target: 'Species', model: { kind: 'gbdt', rounds: 30 } };
    const out = await runPipeline(penguins, spec(draft));
    expect(out.modelKind).toBe('gbdt');
    expect(isTrees(out.model)).toBe(true);
    expect(out.history.map((h) => h.epoch)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(out.params).toMatchObject({ kind: 'gbdt', rounds: 30, leaves: 31, hidden: [] });
    expect(out.bundle.keepMissing).toBe(true);
    expect(out.evaluation.metrics).toMatchObject({ accuracy: expect.any(Number) });
    expect((out.evaluation.metrics as { accuracy: number }).accuracy).toBeGreaterThanOrEqual(0.97);
    const again = await runPipeline(penguins, spec(draft));
    expect(JSON.stringify(treesOf(again.model).toJson())).toBe(JSON.stringify(treesOf(out.model).toJson()));
  });

  it('stores as model.json without weights and reads back to the same predictions; the size check counts the JSON', async () => {
    const out = await runPipeline(cars, spec({ target: 'Miles_per_Gallon', model: { kind: 'gbdt', rounds: 20 } }));
    const { modelJson, weights } = await modelToArtifacts(out.model);
    expect((modelJson as { format: string }).format).toBe('millrace.trees/1');
    expect(weights.byteLength).toBe(0);
    expect(modelSizeBytes(modelJson, 0)).toBe(new TextEncoder().encode(JSON.stringify(modelJson)).length);
    const back = await modelFromArtifacts(JSON.parse(JSON.stringify(modelJson)), weights);
    const x = applyTransforms(cars, out.bundle, out.splitRows.test);
    const n = out.splitRows.test.length;
    expect(await predictTable(back, x, n, out.bundle.width, 'regression')).toEqual(await predictTable(out.model, x, n, out.bundle.width, 'regression'));
    expect(() => TreeModel.fromJson({ ...(modelJson as object), trees: [{ feature: [0] }] })).toThrow(/model.json: tree 1/);
  });

  it('keeps missing numbers missing: the cars rows without Horsepower reach the trees as NaN', async () => {
    const out = await runPipeline(cars, spec({ target: 'Miles_per_Gallon', model: { kind: 'gbdt', rounds: 5 } }));
    const horsepower = cars.columns.find((c) => c.name === 'Horsepower') as { values: Float64Array };
    const missing = Int32Array.from(Array.from(horsepower.values).flatMap((v, r) => (Number.isNaN(v) ? [r] : [])));
    expect(missing.length).toBeGreaterThan(0);
    const slot = out.bundle.featureNames.indexOf('Horsepower');
    const x = applyTransforms(cars, out.bundle, missing);
    for (let i = 0; i < missing.length; i++) expect(x[i * out.bundle.width + slot]).toBeNaN();
  });

  it('cancel after 8 rounds leaves a checkpoint; resuming from it ends with the same trees as a straight run', async () => {
    const draft: SpecDraft = { target: 'Miles_per_Gallon', model: { kind: 'gbdt', rounds: 25 } };
    const straight = await runPipeline(cars, spec(draft));
    let rounds = 0;
    let saved: RunCheckpoint | undefined;
    const stopped = await runPipeline(cars, spec(draft), {
      onEpoch: () => void rounds++,
      shouldStop: () => rounds >= 8,
      onRunCheckpoint: (c) => void (saved = c),
    });
    expect(stopped.cancelled).toBe(true);
    expect((saved!.train as TreesCheckpoint).kind).toBe('trees');
    expect(saved!.train!.epoch).toBe(8);
    const resumed = await runPipeline(cars, spec(draft), {}, saved);
    expect(resumed.cancelled).toBe(false);
    expect(resumed.history).toEqual(straight.history.map((h) => ({ ...h })));
    expect(JSON.stringify(treesOf(resumed.model).toJson())).toBe(JSON.stringify(treesOf(straight.model).toJson()));
  });

  it('explains a row with exact TreeSHAP and ranks columns by permutation and by gain', async () => {
    const out = await runPipeline(cars, spec({ target: 'Miles_per_Gallon', model: { kind: 'gbdt', rounds: 40 } }));
    const row = out.splitRows.test[0]!;
    const explained = await attributeRow(out.model, cars, out.bundle, row);
    expect(explained.method).toBe('tree-shap');
    expect(explained.relativeGap).toBeLessThan(1e-9);
    const x = applyTransforms(cars, out.bundle, Int32Array.of(row));
    const [predicted] = await predictTable(out.model, x, 1, out.bundle.width, 'regression');
    expect(explained.value).toBeCloseTo(predicted!, 4);
    const importance = await permutationImportance(out.model, cars, out.bundle, out.splitRows.test, { seed: 1, repeats: 2 });
    expect(importance.columns.slice(0, 3).map((c) => c.column)).toEqual(expect.arrayContaining(['Weight_in_lbs']));
    const gain = treeGainImportance(treesOf(out.model));
    expect(gain[0]!.share).toBeGreaterThan(0.2);
    expect(gain.reduce((a, g) => a + g.share, 0)).toBeCloseTo(1, 9);
    // The review of a run carries both: permutation importance per source column, and the trees' gain.
    const review = await reviewRun(out.model, cars, out.bundle, out.splitRows, { review: null, split: { kind: 'auto', seed: 7, timeColumn: null, folds: null } }, { bytes: 0 });
    expect(review.importance.gain).toEqual(gain);
    expect(review.importance.columns.length).toBeGreaterThan(3);
  });

  it("'auto' compares the rule's model with trees on the validation slice and keeps the better one, refitted", async () => {
    const out = await runPipeline(cars, spec({ target: 'Miles_per_Gallon', model: { kind: 'auto', rounds: 30, epochs: 30 } }));
    expect(out.leaderboard?.map((t) => t.params.kind).sort()).toEqual(['gbdt', 'mlp']);
    const best = out.leaderboard![0]!;
    expect(out.modelKind).toBe(best.params.kind);
    expect(out.modelReason).toMatch(/^auto: .* scored better on the validation slice by rmse \(\d\.\d{4}\) than .*, refitted on all \d+ training rows$/);
    expect(out.refit?.refitted).toBe(true);
  });

  it('refuses a learning rate of 0 and a checkpoint of the other model family, naming them', async () => {
    expect(() => spec({ target: 'Species', model: { kind: 'gbdt', treeLearningRate: 0 } })).toThrow('model.treeLearningRate: 0 is not above 0');
    const draft: SpecDraft = { target: 'Species', model: { kind: 'gbdt', rounds: 10 } };
    let saved: RunCheckpoint | undefined;
    let rounds = 0;
    await runPipeline(penguins, spec(draft), { onEpoch: () => void rounds++, shouldStop: () => rounds >= 3, onRunCheckpoint: (c) => void (saved = c) });
    await expect(runPipeline(penguins, spec({ ...draft, model: { kind: 'linear', epochs: 5 } }), {}, saved)).rejects.toThrow('The checkpoint is not of a linear model');
  });
});

describe('trees on awkward columns', () => {
  /** 1,200 rows: y depends on x and on a 10,000-level id's parity; c is constant; z is missing everywhere. */
  function awkward(): DataTable {
    const n = 1200;
    const x = Float64Array.from({ length: n }, (_, i) => (i * 7919) % 101);
    const codes = Int32Array.from({ length: n }, (_, i) => (i * 37) % 10_000);
    const levels = Array.from({ length: 10_000 }, (_, k) => `id${k}`);
    const y = Float64Array.from({ length: n }, (_, i) => x[i]! * 0.5 + (codes[i]! % 2) * 10);
    return {
      rowCount: n,
      columns: [
        { name: 'x', type: 'number', values: x },
        { name: 'id', type: 'category', codes, levels },
        { name: 'c', type: 'number', values: new Float64Array(n).fill(3) },
        { name: 'z', type: 'number', values: new Float64Array(n).fill(NaN) },
        { name: 'y', type: 'number', values: y },
      ],
    };
  }

  it('caps a 10,000-level column at the 253 most frequent levels and says so; a constant or all-missing column is noted, not fatal', async () => {
    const features = ['x', 'id', 'c', 'z'].map((column) => ({ name: column, column, transform: column === 'id' ? ('onehot' as const) : ('standardize' as const) }));
    const out = await runPipeline(awkward(), spec({ target: 'y', task: 'regression', features: { name: 'awkward', version: 1, features }, model: { kind: 'gbdt', rounds: 10 } }));
    const trees = treesOf(out.model);
    const id = trees.inputs.find((input) => input.name === 'id');
    expect(id).toMatchObject({ kind: 'categorical', slots: 254 });
    expect(out.bundle.width).toBe(1 + 254 + 1 + 1);
    expect(trees.gbdt.notes.join('\n')).toMatch(/"id" has more than 253 levels: the trees split on the 253 most frequent, and the others share "other"/);
    expect(trees.gbdt.notes.join('\n')).toMatch(/"c"/);
    expect(trees.gbdt.notes.join('\n')).toMatch(/"z"/);
  });

  it('refuses an infinite value, naming the column', async () => {
    const table = awkward();
    (table.columns[0] as { values: Float64Array }).values[5] = Infinity;
    const features = [{ name: 'x', column: 'x', transform: 'standardize' as const }];
    await expect(runPipeline(table, spec({ target: 'y', task: 'regression', features: { name: 'inf', version: 1, features }, model: { kind: 'gbdt', rounds: 5 } }))).rejects.toThrow(/^Column "x" has an infinite value/);
  });
});
