// Scoring with fitted trees over typed arrays: the trees flattened once into one forest, rows binned, then walked block by block.
import { binColumns } from './binning.ts';
import { softmaxInto } from './loss.ts';
import { MISSING_BIN, type GbdtColumn, type GbdtModel, type GbdtTree } from './types.ts';

/**
 * Every node of every tree in flat arrays. A node's 256-bit mask says which bins (missing included) go left;
 * its right child is left + 1. A leaf points to itself with an all-ones mask, so a row can take `depths[t]`
 * steps down tree t whatever leaf it reaches first.
 */
export interface Forest {
  outputs: number;
  baseline: Float64Array;
  /** First node of tree t; trees[t] adds to output t % outputs. */
  roots: Int32Array;
  /** Depth of the deepest leaf of tree t. */
  depths: Int32Array;
  feature: Int32Array;
  leftMask: Uint32Array;
  left: Int32Array;
  value: Float64Array;
}

/** Rows scored together: each tree is walked over a block while the block's bins stay in cache. */
const BLOCK = 1024;

/** Flattens the first `rounds` rounds (default: all) of the model's trees. */
export function compileForest(model: Pick<GbdtModel, 'outputs' | 'baseline' | 'trees'>, rounds?: number): Forest {
  const trees = model.trees.slice(0, (rounds ?? Infinity) * model.outputs);
  let total = 0;
  for (const tree of trees) total += tree.feature.length;
  const forest: Forest = {
    outputs: model.outputs,
    baseline: Float64Array.from(model.baseline),
    roots: new Int32Array(trees.length),
    depths: new Int32Array(trees.length),
    feature: new Int32Array(total),
    leftMask: new Uint32Array(total * 8),
    left: new Int32Array(total),
    value: new Float64Array(total),
  };
  let offset = 0;
  trees.forEach((tree, t) => {
    forest.roots[t] = offset;
    forest.depths[t] = appendTree(forest, tree, offset);
    offset += tree.feature.length;
  });
  return forest;
}

/** Copies one tree into the forest at `offset`; returns its depth. */
function appendTree(forest: Forest, tree: GbdtTree, offset: number): number {
  const depth = new Int32Array(tree.feature.length);
  let deepest = 0;
  for (let i = 0; i < tree.feature.length; i++) {
    const node = offset + i;
    const feature = tree.feature[i]!;
    forest.value[node] = tree.value[i]!;
    const mask = forest.leftMask.subarray(node * 8, node * 8 + 8);
    if (feature < 0) {
      forest.feature[node] = 0;
      forest.left[node] = node;
      mask.fill(0xffffffff);
      deepest = Math.max(deepest, depth[i]!);
      continue;
    }
    if (tree.right[i] !== tree.left[i]! + 1) throw new Error(`gbdt: node ${i}'s children are not adjacent`);
    forest.feature[node] = feature;
    forest.left[node] = offset + tree.left[i]!;
    depth[tree.left[i]!] = depth[tree.right[i]!] = depth[i]! + 1;
    const categories = tree.categories.subarray(i * 8, i * 8 + 8);
    if (categories.some((word) => word !== 0)) mask.set(categories);
    else for (let b = 0; b <= tree.threshold[i]!; b++) mask[b >>> 5]! |= 1 << (b & 31);
    if (tree.missingLeft[i]) mask[MISSING_BIN >>> 5]! |= 1 << (MISSING_BIN & 31);
    else mask[MISSING_BIN >>> 5]! &= ~(1 << (MISSING_BIN & 31));
  }
  return deepest;
}

/**
 * Raw scores (n × outputs, row-major) of binned rows: `x` column-major with n rows per column; `out` may
 * already hold values to add to (else the baseline is written first).
 */
export function predictBinned(forest: Forest, x: Uint8Array, n: number, out = new Float64Array(n * forest.outputs), addBaseline = true): Float64Array {
  const { outputs, roots } = forest;
  if (addBaseline) for (let i = 0; i < n; i++) for (let k = 0; k < outputs; k++) out[i * outputs + k] = forest.baseline[k]!;
  const columns = n === 0 ? 0 : x.length / n;
  const block = new Uint8Array(BLOCK * columns);
  const sums = new Float64Array(BLOCK);
  for (let start = 0; start < n; start += BLOCK) {
    const m = Math.min(n, start + BLOCK) - start;
    // The block's bins row by row: a row's bins share a cache line for every tree.
    for (let f = 0; f < columns; f++) {
      const column = x.subarray(f * n + start, f * n + start + m);
      for (let j = 0, at = f; j < m; j++, at += columns) block[at] = column[j]!;
    }
    for (let k = 0; k < outputs; k++) {
      sums.fill(0);
      for (let t = k; t < roots.length; t += outputs) walkTree(forest, roots[t]!, block, columns, m, sums);
      for (let j = 0; j < m; j++) out[(start + j) * outputs + k]! += sums[j]!;
    }
  }
  return out;
}

/**
 * Adds tree `root`'s leaf value of each of the block's m rows to `sums`. Four rows walk down together (their
 * loads overlap); a leaf points to itself, so a row that is done waits there for the other three.
 */
function walkTree(forest: Forest, root: number, block: Uint8Array, columns: number, m: number, sums: Float64Array): void {
  const { feature, leftMask, left, value } = forest;
  let j = 0;
  for (; j + 3 < m; j += 4) {
    const r = j * columns;
    let a = root;
    let b = root;
    let c = root;
    let d = root;
    for (;;) {
      const la = left[a]!;
      const lb = left[b]!;
      const lc = left[c]!;
      const ld = left[d]!;
      if (la === a && lb === b && lc === c && ld === d) break;
      const ba = block[r + feature[a]!]!;
      const bb = block[r + columns + feature[b]!]!;
      const bc = block[r + 2 * columns + feature[c]!]!;
      const bd = block[r + 3 * columns + feature[d]!]!;
      a = la + 1 - ((leftMask[(a << 3) + (ba >>> 5)]! >>> (ba & 31)) & 1);
      b = lb + 1 - ((leftMask[(b << 3) + (bb >>> 5)]! >>> (bb & 31)) & 1);
      c = lc + 1 - ((leftMask[(c << 3) + (bc >>> 5)]! >>> (bc & 31)) & 1);
      d = ld + 1 - ((leftMask[(d << 3) + (bd >>> 5)]! >>> (bd & 31)) & 1);
    }
    sums[j]! += value[a]!;
    sums[j + 1]! += value[b]!;
    sums[j + 2]! += value[c]!;
    sums[j + 3]! += value[d]!;
  }
  for (; j < m; j++) {
    const r = j * columns;
    let a = root;
    for (let la = left[a]!; la !== a; la = left[a]!) {
      const ba = block[r + feature[a]!]!;
      a = la + 1 - ((leftMask[(a << 3) + (ba >>> 5)]! >>> (ba & 31)) & 1);
    }
    sums[j]! += value[a]!;
  }
}

/** Raw scores of `rowCount` rows of `columns` (the model's columns in its order; categorical ones matched by level name). */
export function predictRaw(model: GbdtModel, columns: GbdtColumn[], rowCount: number, forest = compileForest(model)): Float64Array {
  const x = binColumns(model.columns, columns, null, rowCount);
  return predictBinned(forest, x, rowCount);
}

/** Turns raw scores into what the task reports: probabilities (n × classes) for classification, the values for regression. */
export function rawToOutput(model: Pick<GbdtModel, 'loss' | 'outputs'>, raw: Float64Array, n: number): Float64Array {
  if (model.loss === 'squared_error') return raw;
  if (model.loss === 'log_loss') {
    const out = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      const r = raw[i]!;
      const p = r >= 0 ? 1 / (1 + Math.exp(-r)) : Math.exp(r) / (1 + Math.exp(r));
      out[i * 2] = 1 - p;
      out[i * 2 + 1] = p;
    }
    return out;
  }
  const k = model.outputs;
  const out = new Float64Array(n * k);
  const p = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    softmaxInto(raw, i * k, k, p);
    out.set(p, i * k);
  }
  return out;
}
