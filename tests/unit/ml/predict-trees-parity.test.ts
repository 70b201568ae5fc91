// predict.mjs's tree scorer (predict-template/trees.mjs) against TreeModel.predict on random forests: numeric and categorical splits, missing values, unseen levels, a capped column, the three losses.
import { describe, expect, it } from 'vitest';
import type { TreeJson, TreesJson } from '../../../src/lib/contracts/trees.ts';
import { TreeModel } from '../../../src/lib/ml/trees/tree-model.ts';

type Scorer = { predict(x: Float32Array, n: number, width: number): Float32Array };
const TREES_MJS = new URL('../../../src/lib/ml/predict-template/trees.mjs', import.meta.url).href;
const { treeModel, checkTrees } = (await import(/* @vite-ignore */ TREES_MJS)) as { treeModel: (json: TreesJson) => Scorer; checkTrees: (json: unknown) => void };

/** A seeded generator of numbers in [0, 1). */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296);
}

// Tree columns: 3 numbers (slots 0–2), a capped categorical (slots 3–7: the trees' bins know 3 of its 5 levels),
// and an uncapped one (slots 8–10: the bins know 2 of its 3 levels).
const WIDTH = 11;
const inputs: TreesJson['inputs'] = [
  { kind: 'numeric', name: 'a', at: 0 },
  { kind: 'numeric', name: 'b', at: 1 },
  { kind: 'numeric', name: 'c', at: 2 },
  { kind: 'categorical', name: 'd', at: 3, slots: 5, levels: ['p', 'q', 'r', 's', 'other'] },
  { kind: 'categorical', name: 'e', at: 8, slots: 3, levels: ['x', 'y', 'z'] },
];

function forest(seed: number, loss: TreesJson['loss'], outputs: number, rounds: number): TreesJson {
  const random = rng(seed);
  const edges = (k: number) => Array.from({ length: k }, () => random() * 4 - 2).sort((p, q) => p - q);
  const bins: TreesJson['bins'] = [
    { name: 'a', kind: 'numeric', edges: edges(20) },
    { name: 'b', kind: 'numeric', edges: edges(254) },
    { name: 'c', kind: 'numeric', edges: [] },
    { name: 'd', kind: 'categorical', levels: ['other', 'p', 'r'], capped: true },
    { name: 'e', kind: 'categorical', levels: ['y', 'z'], capped: false },
  ];
  const binCount = (f: number) => (bins[f]!.kind === 'numeric' ? (bins[f] as { edges: number[] }).edges.length + 1 : (bins[f] as { levels: string[] }).levels.length + 1);
  const tree = (): TreeJson => {
    const t: TreeJson = { feature: [], threshold: [], missingLeft: [], left: [], right: [], value: [], gain: [], count: [], categories: [] };
    const add = () => {
      for (const field of ['feature', 'threshold', 'missingLeft', 'left', 'right', 'value', 'gain', 'count'] as const) t[field].push(0);
      t.feature[t.feature.length - 1] = -1;
      t.value[t.value.length - 1] = random() * 2 - 1;
      return t.feature.length - 1;
    };
    const grow = (node: number, depth: number) => {
      if (depth >= 5 || random() < 0.2) return;
      const f = Math.floor(random() * bins.length);
      t.feature[node] = f;
      t.missingLeft[node] = random() < 0.5 ? 1 : 0;
      if (bins[f]!.kind === 'categorical') {
        const words = new Array(8).fill(0);
        for (let b = 0; b < binCount(f); b++) if (random() < 0.5) words[b >>> 5] |= 1 << (b & 31);
        if (words[0] === 0) words[0] = 1;
        t.categories.push({ node, words: words.map((w) => w >>> 0) });
      } else t.threshold[node] = Math.floor(random() * binCount(f));
      const left = add();
      add();
      t.left[node] = left;
      t.right[node] = left + 1;
      grow(left, depth + 1);
      grow(left + 1, depth + 1);
    };
    grow(add(), 0);
    return t;
  };
  return {
    format: 'millrace.trees/1',
    generatedBy: 'test',
    loss,
    outputs,
    baseline: Array.from({ length: outputs }, () => random() - 0.5),
    inputs,
    bins,
    trees: Array.from({ length: rounds * outputs }, tree),
    rounds,
    stoppedEarly: false,
    trainLoss: [],
    validationLoss: [],
    params: { maxLeafNodes: 32 },
    notes: [],
  };
}

/** n rows: numbers (a tenth missing), and a one-hot slot of each categorical (or none: missing). */
function matrix(seed: number, n: number): Float32Array {
  const random = rng(seed);
  const x = new Float32Array(n * WIDTH);
  for (let i = 0; i < n; i++) {
    const row = i * WIDTH;
    for (let j = 0; j < 3; j++) x[row + j] = random() < 0.1 ? NaN : random() * 5 - 2.5;
    const d = Math.floor(random() * 6);
    if (d < 5) x[row + 3 + d] = 1;
    const e = Math.floor(random() * 4);
    if (e < 3) x[row + 8 + e] = 1;
  }
  return x;
}

describe("predict.mjs's tree scorer", () => {
  for (const [loss, outputs] of [['log_loss', 1], ['softmax', 3], ['squared_error', 1]] as const) {
    it(`${loss}: the same float32 outputs as TreeModel.predict (walked and leaf-mask scoring, few and many rows)`, () => {
      for (let seed = 1; seed <= 4; seed++) {
        const json = forest(seed * 101, loss, outputs, 12);
        const reference = TreeModel.fromJson(JSON.parse(JSON.stringify(json)));
        const scorer = treeModel(JSON.parse(JSON.stringify(json)));
        for (const n of [7, 700]) {
          const x = matrix(seed + n, n);
          expect(Array.from(scorer.predict(x, n, WIDTH)), `seed ${seed}, ${n} rows`).toEqual(Array.from(reference.predict(x, n, WIDTH)));
        }
      }
    });
  }

  it('refuses a malformed tree model.json naming the field, and an infinite number naming the column and row', () => {
    const json = forest(7, 'log_loss', 1, 2);
    expect(() => checkTrees({ ...json, loss: 'hinge' })).toThrow('model.json: loss is missing or malformed in the tree model');
    expect(() => checkTrees({ ...json, trees: [{ ...json.trees[0]!, left: [] }, json.trees[1]] })).toThrow('model.json: tree 1 has node arrays of different lengths');
    const x = matrix(3, 4);
    x[2 * WIDTH + 1] = Infinity;
    expect(() => treeModel(json).predict(x, 4, WIDTH)).toThrow('Column "b" has an infinite value in row 3');
  });
});
