// Scoring with fitted trees over typed arrays: the trees flattened once into one forest, rows binned, then each tree's leaf found by leaf bitmasks (QuickScorer) block by block.
import { binColumns } from './binning.ts';
import { softmaxInto } from './loss.ts';
import { LeafMaskScorer } from './score-kernel.ts';
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
  /**
   * QuickScorer's form of each tree with at most 32 leaves, its leaves numbered left to right: a row's leaf is the
   * lowest bit left in the AND, over the columns the tree splits on, of tables[(used + c) · 256 + bin] — the
   * leaves the row can still reach given that column. usedStart[t]…usedStart[t + 1] index `usedColumns`; −1 in
   * usedStart[t] for a tree with more leaves (it is walked instead).
   */
  usedStart: Int32Array;
  usedColumns: Int32Array;
  tables: Int32Array;
  /** Leaf values of tree t, left to right, from t · 32. */
  leafValues: Float64Array;
}

/** Rows scored together: each tree is walked over a block while the block's bins stay in cache. */
const BLOCK = 1024;

/** Flattens the first `rounds` rounds (default: all) of the model's trees. */
export function compileForest(model: Pick<GbdtModel, 'outputs' | 'baseline' | 'trees'>, rounds?: number): Forest {
  const trees = model.trees.slice(0, (rounds ?? Infinity) * model.outputs);
  let total = 0;
  for (const tree of trees) total += tree.feature.length;
  const forest: Omit<Forest, 'usedStart' | 'usedColumns' | 'tables' | 'leafValues'> = {
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
  return withLeafMasks(forest, trees);
}

/** Adds the QuickScorer tables of every tree with at most 32 leaves (see Forest.usedStart). */
function withLeafMasks(forest: Omit<Forest, 'usedStart' | 'usedColumns' | 'tables' | 'leafValues'>, trees: GbdtTree[]): Forest {
  const usedStart = new Int32Array(trees.length + 1);
  const usedColumns: number[] = [];
  const tables: Int32Array[] = [];
  const leafValues = new Float64Array(trees.length * 32);
  trees.forEach((tree, t) => {
    usedStart[t] = usedColumns.length;
    const count = tree.feature.length;
    // Leaves numbered left to right; each inner node's left subtree holds the leaves first…end − 1.
    const first = new Int32Array(count);
    const end = new Int32Array(count);
    let leaves = 0;
    const number = (node: number): void => {
      first[node] = leaves;
      if (tree.feature[node]! < 0) {
        if (leaves < 32) leafValues[t * 32 + leaves] = tree.value[node]!;
        leaves++;
      } else {
        number(tree.left[node]!);
        end[node] = leaves;
        number(tree.right[node]!);
      }
    };
    number(0);
    if (leaves > 32) {
      usedStart[t] = -1;
      return;
    }
    const byColumn = new Map<number, Int32Array>();
    for (let node = 0; node < count; node++) {
      const feature = tree.feature[node]!;
      if (feature < 0) continue;
      let table = byColumn.get(feature);
      if (!table) byColumn.set(feature, (table = new Int32Array(256).fill(-1)));
      // Bins that go right rule out the left subtree's leaves.
      const lo = first[node]!;
      const width = end[node]! - lo;
      const ruledOut = ~((width >= 32 ? -1 : (1 << width) - 1) << lo);
      const mask = forest.leftMask.subarray((forest.roots[t]! + node) * 8, (forest.roots[t]! + node) * 8 + 8);
      for (let b = 0; b < 256; b++) if (((mask[b >>> 5]! >>> (b & 31)) & 1) === 0) table[b]! &= ruledOut;
    }
    for (const [feature, table] of [...byColumn].sort((a, b) => a[0] - b[0])) {
      usedColumns.push(feature);
      tables.push(table);
    }
  });
  usedStart[trees.length] = usedColumns.length;
  const flat = new Int32Array(tables.length * 256);
  tables.forEach((table, i) => flat.set(table, i * 256));
  return { ...forest, usedStart, usedColumns: Int32Array.from(usedColumns), tables: flat, leafValues };
}

/** Copies one tree into the forest at `offset`; returns its depth. */
function appendTree(forest: Omit<Forest, 'usedStart' | 'usedColumns' | 'tables' | 'leafValues'>, tree: GbdtTree, offset: number): number {
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
  const { outputs, roots, usedStart, usedColumns, tables, leafValues } = forest;
  if (addBaseline) for (let i = 0; i < n; i++) for (let k = 0; k < outputs; k++) out[i * outputs + k] = forest.baseline[k]!;
  const columns = n === 0 ? 0 : x.length / n;
  const walked = usedStart.some((start, t) => start < 0 && t < roots.length);
  const scorer = walked || n < 64 ? null : scorerOf(forest, columns);
  if (scorer) {
    for (let start = 0; start < n; start += BLOCK) {
      const m = Math.min(n, start + BLOCK) - start;
      for (let f = 0; f < columns; f++) scorer.block.set(x.subarray(f * n + start, f * n + start + m), f * BLOCK);
      for (let k = 0; k < outputs; k++) {
        scorer.sums.fill(0);
        scorer.score(k, roots.length, outputs, m);
        for (let j = 0; j < m; j++) out[(start + j) * outputs + k]! += scorer.sums[j]!;
      }
    }
    return out;
  }
  const block = new Uint8Array(walked ? BLOCK * columns : 0);
  const sums = new Float64Array(BLOCK);
  const masks = new Int32Array(BLOCK);
  for (let start = 0; start < n; start += BLOCK) {
    const m = Math.min(n, start + BLOCK) - start;
    // For walked trees, the block's bins row by row: a row's bins share a cache line for every tree.
    if (walked) {
      for (let f = 0; f < columns; f++) {
        const column = x.subarray(f * n + start, f * n + start + m);
        for (let j = 0, at = f; j < m; j++, at += columns) block[at] = column[j]!;
      }
    }
    for (let k = 0; k < outputs; k++) {
      sums.fill(0);
      for (let t = k; t < roots.length; t += outputs) {
        const first = usedStart[t]!;
        if (first < 0) {
          walkTree(forest, roots[t]!, block, columns, m, sums);
          continue;
        }
        // QuickScorer: AND the leaves each used column leaves reachable, then take the leftmost.
        masks.fill(-1, 0, m);
        const last = usedStart[t + 1]!;
        let u = first;
        // Four columns a pass (the masks read and written once for them), then the rest one by one.
        for (; u + 3 < last; u += 4) {
          const t0 = u * 256;
          const t1 = t0 + 256;
          const t2 = t0 + 512;
          const t3 = t0 + 768;
          const o0 = usedColumns[u]! * n + start;
          const o1 = usedColumns[u + 1]! * n + start;
          const o2 = usedColumns[u + 2]! * n + start;
          const o3 = usedColumns[u + 3]! * n + start;
          for (let j = 0; j < m; j++) {
            masks[j]! &= tables[t0 + x[o0 + j]!]! & tables[t1 + x[o1 + j]!]! & tables[t2 + x[o2 + j]!]! & tables[t3 + x[o3 + j]!]!;
          }
        }
        for (; u < last; u++) {
          const table = u * 256;
          const offset = usedColumns[u]! * n + start;
          for (let j = 0; j < m; j++) masks[j]! &= tables[table + x[offset + j]!]!;
        }
        const leaf = t * 32;
        for (let j = 0; j < m; j++) {
          const mask = masks[j]!;
          sums[j]! += leafValues[leaf + 31 - Math.clz32(mask & -mask)]!;
        }
      }
      for (let j = 0; j < m; j++) out[(start + j) * outputs + k]! += sums[j]!;
    }
  }
  return out;
}

const scorers = new WeakMap<Forest, { columns: number; scorer: LeafMaskScorer | null }>();

/** The forest's WebAssembly scorer for blocks of `columns` columns, made once; null without WebAssembly. */
function scorerOf(forest: Forest, columns: number): LeafMaskScorer | null {
  const known = scorers.get(forest);
  if (known && known.columns === columns) return known.scorer;
  const scorer = LeafMaskScorer.create(forest, columns, BLOCK);
  scorers.set(forest, { columns, scorer });
  return scorer;
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
