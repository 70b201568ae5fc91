// Exact TreeSHAP (Lundberg et al., path-dependent, Algorithm 2) of the trees' raw scores, rows binned first so missing values and categories route as predictBinned's.
import { binColumns } from './binning.ts';
import { compileForest, type Forest } from './predict.ts';
import type { GbdtColumn, GbdtModel, GbdtTree } from './types.ts';

export interface TreeShapValues {
  /** rows × model.columns.length × model.outputs (row-major): each column's contribution to each raw (margin) score. */
  values: Float64Array;
  /** Per output: the baseline plus every tree's expected value (leaf values weighed by their training rows). */
  expected: Float64Array;
}

/** The unique path of Algorithm 2, one segment per recursion level, as flat arrays (shap's PathElement). */
interface Path {
  feature: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  weight: Float64Array;
}

/** A tree's expected value: its leaves' values weighed by the training rows that reached them (node counts as cover). */
export function expectedTreeValue(tree: GbdtTree): number {
  let sum = 0;
  for (let node = 0; node < tree.feature.length; node++) if (tree.feature[node]! < 0) sum += tree.value[node]! * tree.count[node]!;
  return sum / tree.count[0]!;
}

/**
 * SHAP values of the raw scores of `rows` (default all `rowCount` rows) of `columns` (the model's columns in its
 * order): for every row, expected + Σ contributions = predictRaw's score per output. Exact TreeSHAP with the node
 * counts as cover (the path-dependent conditional expectation); rows are binned with binColumns and walked on
 * bins, so a missing value or an unseen category goes where predictBinned sends it.
 */
export function treeShap(model: GbdtModel, columns: GbdtColumn[], rowCount: number, rows?: Int32Array): TreeShapValues {
  const n = rows ? rows.length : rowCount;
  const x = binColumns(model.columns, columns, rows ?? null, rowCount);
  const m = model.columns.length;
  const k = model.outputs;
  const expected = Float64Array.from(model.baseline);
  model.trees.forEach((tree, t) => (expected[t % k]! += expectedTreeValue(tree)));
  const values = new Float64Array(n * m * k);
  const forest = compileForest(model);
  const depth = Math.max(0, ...forest.depths) + 3;
  const size = ((depth + 1) * (depth + 2)) / 2;
  const path: Path = { feature: new Int32Array(size), zero: new Float64Array(size), one: new Float64Array(size), weight: new Float64Array(size) };
  const bins = new Uint8Array(m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) bins[j] = x[j * n + i]!;
    model.trees.forEach((tree, t) => {
      const phi = values.subarray(i * m * k + (t % k));
      recurse(tree, forest, forest.roots[t]!, bins, phi, k, path, 0, 0, 0, 1, 1, -1);
    });
  }
  return { values, expected };
}

/** Whether a row with `bin` in the node's column goes left (the compiled forest's mask: the same routing as predictBinned). */
function goesLeft(forest: Forest, node: number, bin: number): boolean {
  return ((forest.leftMask[(node << 3) + (bin >>> 5)]! >>> (bin & 31)) & 1) === 1;
}

/**
 * Algorithm 2's RECURSE at tree node `node` (forest node root + node): `at` is where the parent's path segment
 * starts, `depth` the path's length − 1 after extending it with the parent's split. Adds to phi[column · stride].
 */
function recurse(tree: GbdtTree, forest: Forest, root: number, bins: Uint8Array, phi: Float64Array, stride: number, path: Path, node: number, parentAt: number, depth: number, zeroFraction: number, oneFraction: number, feature: number): void {
  const at = parentAt + depth + 1;
  path.feature.copyWithin(at, parentAt, parentAt + depth + 1);
  path.zero.copyWithin(at, parentAt, parentAt + depth + 1);
  path.one.copyWithin(at, parentAt, parentAt + depth + 1);
  path.weight.copyWithin(at, parentAt, parentAt + depth + 1);
  extend(path, at, depth, zeroFraction, oneFraction, feature);
  const split = tree.feature[node]!;
  if (split < 0) {
    const value = tree.value[node]!;
    for (let i = 1; i <= depth; i++) {
      const w = unwoundSum(path, at, depth, i);
      phi[path.feature[at + i]! * stride]! += w * (path.one[at + i]! - path.zero[at + i]!) * value;
    }
    return;
  }
  const left = tree.left[node]!;
  const right = tree.right[node]!;
  const [hot, cold] = goesLeft(forest, root + node, bins[split]!) ? [left, right] : [right, left];
  const cover = tree.count[node]!;
  let incomingZero = 1;
  let incomingOne = 1;
  let d = depth;
  let k = 0;
  while (k <= d && path.feature[at + k] !== split) k++;
  if (k <= d) {
    incomingZero = path.zero[at + k]!;
    incomingOne = path.one[at + k]!;
    unwind(path, at, d, k);
    d--;
  }
  recurse(tree, forest, root, bins, phi, stride, path, hot, at, d + 1, (tree.count[hot]! / cover) * incomingZero, incomingOne, split);
  recurse(tree, forest, root, bins, phi, stride, path, cold, at, d + 1, (tree.count[cold]! / cover) * incomingZero, 0, split);
}

function extend(path: Path, at: number, depth: number, zeroFraction: number, oneFraction: number, feature: number): void {
  const { weight } = path;
  path.feature[at + depth] = feature;
  path.zero[at + depth] = zeroFraction;
  path.one[at + depth] = oneFraction;
  weight[at + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    weight[at + i + 1]! += (oneFraction * weight[at + i]! * (i + 1)) / (depth + 1);
    weight[at + i] = (zeroFraction * weight[at + i]! * (depth - i)) / (depth + 1);
  }
}

function unwind(path: Path, at: number, depth: number, index: number): void {
  const { weight } = path;
  const one = path.one[at + index]!;
  const zero = path.zero[at + index]!;
  let next = weight[at + depth]!;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = weight[at + i]!;
      weight[at + i] = (next * (depth + 1)) / ((i + 1) * one);
      next = tmp - (weight[at + i]! * zero * (depth - i)) / (depth + 1);
    } else {
      weight[at + i] = (weight[at + i]! * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = index; i < depth; i++) {
    path.feature[at + i] = path.feature[at + i + 1]!;
    path.zero[at + i] = path.zero[at + i + 1]!;
    path.one[at + i] = path.one[at + i + 1]!;
  }
}

/** The total weight of the path with element `index` unwound, without changing the path. */
function unwoundSum(path: Path, at: number, depth: number, index: number): number {
  const { weight } = path;
  const one = path.one[at + index]!;
  const zero = path.zero[at + index]!;
  let next = weight[at + depth]!;
  let total = 0;
  if (one !== 0) {
    for (let i = depth - 1; i >= 0; i--) {
      const tmp = next / ((i + 1) * one);
      total += tmp;
      next = weight[at + i]! - tmp * zero * (depth - i);
    }
  } else {
    for (let i = depth - 1; i >= 0; i--) total += weight[at + i]! / (zero * (depth - i));
  }
  return total * (depth + 1);
}
