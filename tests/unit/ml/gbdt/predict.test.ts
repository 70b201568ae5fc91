// Scoring: the QuickScorer leaf masks (trees of ≤ 32 leaves) and the walk (larger trees) give a plain tree walk's raw scores bit for bit.
import { describe, expect, it } from 'vitest';
import { binColumns } from '../../../../src/lib/ml/gbdt/binning.ts';
import { compileForest, predictBinned, predictRaw } from '../../../../src/lib/ml/gbdt/predict.ts';
import { trainGbdt } from '../../../../src/lib/ml/gbdt/train.ts';
import { MISSING_BIN, type GbdtColumn, type GbdtModel } from '../../../../src/lib/ml/gbdt/types.ts';

function table(n: number): GbdtColumn[] {
  let s = 99;
  const random = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  return [
    { name: 'a', kind: 'numeric', values: Float64Array.from({ length: n }, () => (random() < 0.1 ? NaN : random() * 100)) },
    { name: 'b', kind: 'numeric', values: Float64Array.from({ length: n }, () => random()) },
    { name: 'c', kind: 'categorical', codes: Int32Array.from({ length: n }, () => (random() < 0.1 ? -1 : Math.floor(random() * 8))), levels: ['p', 'q', 'r', 's', 't', 'u', 'v', 'w'] },
  ];
}

/** Raw scores by walking each tree's own fields row by row (baseline + the trees' sum, added tree by tree). */
function plainWalk(model: GbdtModel, x: Uint8Array, n: number): Float64Array {
  const k = model.outputs;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let o = 0; o < k; o++) {
      let sum = 0;
      for (let t = o; t < model.trees.length; t += k) {
        const tree = model.trees[t]!;
        let node = 0;
        while (tree.feature[node]! >= 0) {
          const bin = x[tree.feature[node]! * n + i]!;
          const categories = tree.categories.subarray(node * 8, node * 8 + 8);
          const left = bin === MISSING_BIN ? tree.missingLeft[node] === 1 : categories.some((w) => w !== 0) ? ((categories[bin >>> 5]! >>> (bin & 31)) & 1) === 1 : bin <= tree.threshold[node]!;
          node = left ? tree.left[node]! : tree.right[node]!;
        }
        sum += tree.value[node]!;
      }
      out[i * k + o] = model.baseline[o]! + sum;
    }
  }
  return out;
}

describe('gbdt scoring', () => {
  it.each([
    { leaves: 31, classes: 2 },
    { leaves: 32, classes: 3 },
    { leaves: 45, classes: 2 },
  ])('$leaves leaves, $classes classes: the same raw scores as a plain walk', ({ leaves, classes }) => {
    const n = 3000;
    const columns = table(n);
    const a = (columns[0] as { values: Float64Array }).values;
    const target = { kind: 'classes' as const, classes: Int32Array.from(a, (v, i) => (Number.isNaN(v) ? i % classes : Math.floor(v / (100 / classes) + (i % 7) / 10) % classes)), nClasses: classes };
    const model = trainGbdt({ columns, target }, { maxIter: 6, maxLeafNodes: leaves, minSamplesLeaf: 5 });
    expect(Math.max(...model.trees.map((t) => t.feature.filter((f) => f < 0).length))).toBe(leaves);
    const forest = compileForest(model);
    expect(forest.usedStart[0]! < 0).toBe(leaves > 32);
    const x = binColumns(model.columns, columns, null, n);
    const expected = plainWalk(model, x, n);
    const got = predictBinned(forest, x, n);
    expect(got.every((v, i) => Object.is(v, expected[i]))).toBe(true);
    expect(predictRaw(model, columns, n).every((v, i) => Object.is(v, expected[i]))).toBe(true);
  });
});
