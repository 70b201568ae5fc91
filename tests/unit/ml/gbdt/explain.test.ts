// Gain importance and exact TreeSHAP of the trees: completeness against predictRaw and agreement with brute-force Shapley values.
import { describe, expect, it } from 'vitest';
import { binColumns } from '../../../../src/lib/ml/gbdt/binning.ts';
import { gainImportance } from '../../../../src/lib/ml/gbdt/importance.ts';
import { predictRaw } from '../../../../src/lib/ml/gbdt/predict.ts';
import { treeShap } from '../../../../src/lib/ml/gbdt/shap.ts';
import { trainGbdt } from '../../../../src/lib/ml/gbdt/train.ts';
import { MISSING_BIN, type GbdtColumn, type GbdtModel, type GbdtTarget, type GbdtTree } from '../../../../src/lib/ml/gbdt/types.ts';

type Kind = 'binary' | 'multiclass' | 'regression';

/** Four columns: a number with missing values, a number, a category with missing values, and noise; `kind` picks the target. */
function table(n: number, kind: Kind): { columns: GbdtColumn[]; target: GbdtTarget } {
  let s = 777;
  const random = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const a = Float64Array.from({ length: n }, () => (random() < 0.15 ? NaN : random() * 10));
  const b = Float64Array.from({ length: n }, () => random());
  const c = Int32Array.from({ length: n }, () => (random() < 0.1 ? -1 : Math.floor(random() * 5)));
  const d = Float64Array.from({ length: n }, () => random());
  const score = Float64Array.from({ length: n }, (_, i) => (Number.isNaN(a[i]!) ? 3 : Math.sin(a[i]!)) + 2 * b[i]! + (c[i]! < 0 ? -1 : c[i]! % 2) + 0.3 * random());
  const columns: GbdtColumn[] = [
    { name: 'a', kind: 'numeric', values: a },
    { name: 'b', kind: 'numeric', values: b },
    { name: 'c', kind: 'categorical', codes: c, levels: ['p', 'q', 'r', 's', 't'] },
    { name: 'd', kind: 'numeric', values: d },
  ];
  if (kind === 'regression') return { columns, target: { kind: 'values', values: score } };
  if (kind === 'binary') return { columns, target: { kind: 'classes', classes: Int32Array.from(score, (v) => +(v > 1.2)), nClasses: 2 } };
  return { columns, target: { kind: 'classes', classes: Int32Array.from(score, (v) => (v < 0.8 ? 0 : v < 1.8 ? 1 : 2)), nClasses: 3 } };
}

/** Whether bin `bin` goes left at a node, read off the tree's own fields (not the compiled forest). */
function left(tree: GbdtTree, node: number, bin: number): boolean {
  const categories = tree.categories.subarray(node * 8, node * 8 + 8);
  if (bin === MISSING_BIN) return tree.missingLeft[node] === 1;
  if (categories.some((w) => w !== 0)) return ((categories[bin >>> 5]! >>> (bin & 31)) & 1) === 1;
  return bin <= tree.threshold[node]!;
}

/** E[tree | the columns in `known` as in the row], the others averaged by node counts (TreeSHAP's conditional expectation). */
function conditional(tree: GbdtTree, node: number, bins: Uint8Array, known: number): number {
  const f = tree.feature[node]!;
  if (f < 0) return tree.value[node]!;
  const l = tree.left[node]!;
  const r = tree.right[node]!;
  if (known & (1 << f)) return conditional(tree, left(tree, node, bins[f]!) ? l : r, bins, known);
  return (tree.count[l]! * conditional(tree, l, bins, known) + tree.count[r]! * conditional(tree, r, bins, known)) / tree.count[node]!;
}

/** Shapley values by enumerating every subset of the model's columns. */
function bruteForce(model: GbdtModel, bins: Uint8Array): Float64Array {
  const m = model.columns.length;
  const k = model.outputs;
  const factorial = (x: number): number => (x <= 1 ? 1 : x * factorial(x - 1));
  const out = new Float64Array(m * k);
  model.trees.forEach((tree, t) => {
    const v = Float64Array.from({ length: 1 << m }, (_, set) => conditional(tree, 0, bins, set));
    for (let j = 0; j < m; j++) {
      for (let set = 0; set < 1 << m; set++) {
        if (set & (1 << j)) continue;
        let size = 0;
        for (let x = set; x; x &= x - 1) size++;
        out[j * k + (t % k)]! += ((factorial(size) * factorial(m - size - 1)) / factorial(m)) * (v[set | (1 << j)]! - v[set]!);
      }
    }
  });
  return out;
}

describe('gbdt explanations', () => {
  it.each(['binary', 'multiclass', 'regression'] as const)('%s: expected + Σ contributions = the raw score (1e-9), and brute-force Shapley values', (kind) => {
    const n = 400;
    const { columns, target } = table(n, kind);
    const model = trainGbdt({ columns, target }, { maxIter: 8, maxLeafNodes: 7, minSamplesLeaf: 5 });
    const raw = predictRaw(model, columns, n);
    const { values, expected } = treeShap(model, columns, n);
    const m = model.columns.length;
    const k = model.outputs;
    expect(values.length).toBe(n * m * k);
    expect(expected.length).toBe(k);
    for (let i = 0; i < n; i++) {
      for (let o = 0; o < k; o++) {
        let sum = expected[o]!;
        for (let j = 0; j < m; j++) sum += values[(i * m + j) * k + o]!;
        expect(Math.abs(sum - raw[i * k + o]!)).toBeLessThan(1e-9);
      }
    }
    // Rows with a missing number, a missing category and plain ones, picked by index: the same values as for all rows.
    const a = (columns[0] as { values: Float64Array }).values;
    const c = (columns[2] as { codes: Int32Array }).codes;
    const pick = (test: (i: number) => boolean) => Array.from({ length: n }, (_, i) => i).filter(test).slice(0, 3);
    const rows = Int32Array.from([...pick((i) => i % 37 === 0), ...pick((i) => Number.isNaN(a[i]!)), ...pick((i) => c[i]! < 0)]);
    const some = treeShap(model, columns, n, rows);
    const x = binColumns(model.columns, columns, rows);
    expect(Array.from(x.subarray(0, rows.length)).includes(MISSING_BIN)).toBe(true);
    expect(Array.from(x.subarray(2 * rows.length, 3 * rows.length)).includes(MISSING_BIN)).toBe(true);
    rows.forEach((row, r) => {
      const exact = some.values.subarray(r * m * k, (r + 1) * m * k);
      expect(Array.from(exact)).toEqual(Array.from(values.subarray(row * m * k, (row + 1) * m * k)));
      const bins = Uint8Array.from({ length: m }, (_, j) => x[j * rows.length + r]!);
      const brute = bruteForce(model, bins);
      brute.forEach((v, i) => expect(Math.abs(v - exact[i]!)).toBeLessThan(1e-12));
    });
  });

  it('gives an unseen category the missing route, as predictBinned', () => {
    const n = 300;
    const { columns, target } = table(n, 'regression');
    const model = trainGbdt({ columns, target }, { maxIter: 5, maxLeafNodes: 6 });
    const c = columns[2] as GbdtColumn & { kind: 'categorical' };
    const scoring = columns.map((col, j) => (j === 2 ? { ...c, levels: ['zz', ...c.levels], codes: Int32Array.from([0, 1, -1]) } : col));
    // The same numbers in the three rows: only the category differs (unseen, seen, missing).
    const shortened = scoring.map((col) => (col.kind === 'numeric' ? { ...col, values: new Float64Array(3).fill(col.values[7]!) } : col));
    const raw = predictRaw(model, shortened, 3);
    const { values, expected } = treeShap(model, shortened, 3);
    for (let i = 0; i < 3; i++) {
      const sum = values.subarray(i * 4, i * 4 + 4).reduce((a, v) => a + v, expected[0]!);
      expect(Math.abs(sum - raw[i]!)).toBeLessThan(1e-9);
    }
    expect(Array.from(values.subarray(0, 4))).toEqual(Array.from(values.subarray(8, 12)));
  });

  it('gain importance: the sum of split gains per column; a column that does not matter gets none', () => {
    const n = 200;
    let s = 5;
    const noise = Float64Array.from({ length: n }, () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float64Array.from({ length: n }, (_, i) => (i < 100 ? 0 : 10));
    const model = trainGbdt({ columns: [{ name: 'noise', kind: 'numeric', values: noise }, { name: 'x', kind: 'numeric', values: x }], target: { kind: 'values', values: y } }, { maxIter: 10, minSamplesLeaf: 20 });
    const importance = gainImportance(model);
    expect(importance.length).toBe(2);
    let expectedX = 0;
    for (const tree of model.trees) tree.feature.forEach((f, node) => f === 1 && (expectedX += tree.gain[node]!));
    expect(importance[1]).toBe(expectedX);
    // Round 1 splits x at 99.5: G = ±500 on 100 rows each side, gain 500²/100 · 2 = 5000.
    expect(model.trees[0]!.feature[0]).toBe(1);
    expect(model.trees[0]!.gain[0]).toBe(5000);
    expect(importance[0]! / importance[1]!).toBeLessThan(1e-9);
  });
});
