// Scoring with fitted trees over typed arrays: the trees flattened once into one forest, rows binned, then walked block by block.
import { binColumns } from './binning.ts';
import { softmaxInto } from './loss.ts';
import { MISSING_BIN, type GbdtColumn, type GbdtModel, type GbdtTree } from './types.ts';

/** Every node of every tree in flat arrays; a node's 256-bit mask says which bins (missing included) go left. */
export interface Forest {
  outputs: number;
  baseline: Float64Array;
  /** First node of tree t; trees[t] adds to output t % outputs. */
  roots: Int32Array;
  feature: Int32Array;
  leftMask: Uint32Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

/** Rows scored together: each tree is walked over a block while the block's bins stay in cache. */
const BLOCK = 2048;

/** Flattens the first `rounds` rounds (default: all) of the model's trees. */
export function compileForest(model: Pick<GbdtModel, 'outputs' | 'baseline' | 'trees'>, rounds?: number): Forest {
  const trees = model.trees.slice(0, (rounds ?? Infinity) * model.outputs);
  let total = 0;
  for (const tree of trees) total += tree.feature.length;
  const forest: Forest = {
    outputs: model.outputs,
    baseline: Float64Array.from(model.baseline),
    roots: new Int32Array(trees.length),
    feature: new Int32Array(total),
    leftMask: new Uint32Array(total * 8),
    left: new Int32Array(total),
    right: new Int32Array(total),
    value: new Float64Array(total),
  };
  let offset = 0;
  trees.forEach((tree, t) => {
    forest.roots[t] = offset;
    appendTree(forest, tree, offset);
    offset += tree.feature.length;
  });
  return forest;
}

function appendTree(forest: Forest, tree: GbdtTree, offset: number): void {
  for (let i = 0; i < tree.feature.length; i++) {
    const node = offset + i;
    const feature = tree.feature[i]!;
    forest.feature[node] = feature;
    forest.value[node] = tree.value[i]!;
    if (feature < 0) continue;
    forest.left[node] = offset + tree.left[i]!;
    forest.right[node] = offset + tree.right[i]!;
    const mask = forest.leftMask.subarray(node * 8, node * 8 + 8);
    const categories = tree.categories.subarray(i * 8, i * 8 + 8);
    if (categories.some((word) => word !== 0)) mask.set(categories);
    else for (let b = 0; b <= tree.threshold[i]!; b++) mask[b >>> 5]! |= 1 << (b & 31);
    if (tree.missingLeft[i]) mask[MISSING_BIN >>> 5]! |= 1 << (MISSING_BIN & 31);
    else mask[MISSING_BIN >>> 5]! &= ~(1 << (MISSING_BIN & 31));
  }
}

/**
 * Raw scores (n × outputs, row-major) of binned rows: `x` column-major with n rows per column; `out` may
 * already hold values to add to (else the baseline is written first).
 */
export function predictBinned(forest: Forest, x: Uint8Array, n: number, out = new Float64Array(n * forest.outputs), addBaseline = true): Float64Array {
  const { outputs, roots, feature, leftMask, left, right, value } = forest;
  if (addBaseline) for (let i = 0; i < n; i++) for (let k = 0; k < outputs; k++) out[i * outputs + k] = forest.baseline[k]!;
  for (let start = 0; start < n; start += BLOCK) {
    const end = Math.min(n, start + BLOCK);
    for (let t = 0; t < roots.length; t++) {
      const root = roots[t]!;
      const k = t % outputs;
      for (let i = start; i < end; i++) {
        let node = root;
        let f = feature[node]!;
        while (f >= 0) {
          const b = x[f * n + i]!;
          node = (leftMask[node * 8 + (b >>> 5)]! >>> (b & 31)) & 1 ? left[node]! : right[node]!;
          f = feature[node]!;
        }
        out[i * outputs + k]! += value[node]!;
      }
    }
  }
  return out;
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
