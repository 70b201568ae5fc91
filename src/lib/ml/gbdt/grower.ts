// Grows one tree leaf-wise (best gain first) over the binned rows, as scikit-learn's TreeGrower, with the histogram subtraction trick.
import { BINS, SLOTS, subtractHistogram } from './histogram.ts';
import { HistogramKernel, RECORD_BINS, recordBytes } from './kernel.ts';
import { findBestSplit, inLeftBins, nodeValue, type SplitContext, type SplitInfo } from './split.ts';
import { MISSING_BIN, type GbdtTree } from './types.ts';

export interface GrowerLimits {
  maxLeafNodes: number;
  maxDepth: number | null;
  minSamplesLeaf: number;
  learningRate: number;
}

/**
 * Buffers reused from tree to tree, in the kernel's WebAssembly memory (plain arrays without it): the training
 * rows as records (gradient, hessian, row index, bins; see kernel.ts) in row order — the root's — and two more
 * sets the tree's nodes are partitioned into by turns (depth 1, 3, … in one, 2, 4, … in the other; each node's
 * rows one run, in row order within it, at the same indices as its parent's), and spare histograms.
 */
export class GrowerWorkspace {
  readonly kernel: HistogramKernel;
  /** Bytes per record. */
  readonly stride: number;
  /** The records in row order: the root's (gradients and hessians written for each tree). */
  readonly pristine: Uint8Array;
  /** Where the nodes of odd and even depth (≥ 2) keep their records. */
  readonly #odd: Uint8Array;
  readonly #even: Uint8Array;
  /** Where each bin goes at the split being applied (1: left). */
  readonly goesLeft: Uint8Array;
  readonly #spare: Float64Array[] = [];
  readonly #columns: number;
  readonly #rows: number;
  /** Milliseconds by part (histograms, splits, partition), when asked for. */
  readonly timings: Record<string, number> | null;

  constructor(rows: number, columns: number, maxLeafNodes: number, timings: Record<string, number> | null = null, kernel: 'simd' | 'wasm' | 'js' = 'simd') {
    const histogramBytes = columns * BINS * SLOTS * 8;
    this.stride = recordBytes(columns);
    // Histograms alive at once: one per splittable leaf, plus the node being split and its two children.
    this.kernel = new HistogramKernel(3 * rows * this.stride + (maxLeafNodes + 3) * histogramBytes + 1024, kernel);
    this.#rows = rows;
    this.#columns = columns;
    this.pristine = this.kernel.bytes(rows * this.stride);
    this.#odd = this.kernel.bytes(rows * this.stride);
    this.#even = this.kernel.bytes(rows * this.stride);
    this.goesLeft = this.kernel.bytes(256);
    this.timings = timings;
  }

  /** Writes the bins (column-major, `rows` per column) and row indices into the pristine records (call once). */
  load(byColumn: Uint8Array): void {
    const { pristine, stride } = this;
    const n = this.#rows;
    const ids = new Uint32Array(pristine.buffer, pristine.byteOffset, pristine.byteLength >> 2);
    for (let i = 0, at = 2; i < n; i++, at += stride >> 2) ids[at] = i;
    for (let j = 0; j < this.#columns; j++) {
      const column = byColumn.subarray(j * n, (j + 1) * n);
      for (let i = 0, at = RECORD_BINS + j; i < n; i++, at += stride) pristine[at] = column[i]!;
    }
  }

  /** The records of the nodes at `depth`. */
  recordsAt(depth: number): Uint8Array {
    return depth === 0 ? this.pristine : depth % 2 === 1 ? this.#odd : this.#even;
  }

  /** The row index of each record of the nodes at `depth` (record p's at p · stride/4 + 2). */
  rowIds(depth: number): Uint32Array {
    const records = this.recordsAt(depth);
    return new Uint32Array(records.buffer, records.byteOffset, records.byteLength >> 2);
  }

  /** Splits a node at `depth` into its children's records (the left ones from start, the right ones from middle). */
  partition(depth: number, column: number, start: number, end: number, middle: number): void {
    const found = this.kernel.partition(this.recordsAt(depth), this.recordsAt(depth + 1), this.stride, this.goesLeft, column, start, end, middle);
    if (found !== middle) throw new Error(`gbdt: the split sent ${found - start} rows left, its histogram ${middle - start}`);
  }

  /** Adds the time since `start` to `part` when timing. */
  lap(part: string, start: number): void {
    if (this.timings) this.timings[part] = (this.timings[part] ?? 0) + performance.now() - start;
  }

  takeHistogram(): Float64Array {
    return this.#spare.pop() ?? this.kernel.float64(this.#columns * BINS * SLOTS);
  }

  giveHistogram(hist: Float64Array | null): void {
    if (hist) this.#spare.push(hist);
  }
}

interface Node {
  id: number;
  depth: number;
  /** The node's rows are records start…end. */
  start: number;
  end: number;
  g: number;
  h: number;
  hist: Float64Array | null;
  split: SplitInfo | null;
  left: number;
  right: number;
}

/** A grown tree and where its leaves' rows sit among the workspace's records (to update the training predictions). */
export interface GrownTree {
  tree: GbdtTree;
  /** Records start…end of `ws.recordsAt(depth)`. */
  leaves: { start: number; end: number; depth: number; value: number }[];
}

/**
 * Grows one tree on the workspace's n records (loaded with `ws.load`) for the gradients and hessians of one
 * output. Leaves hold −G/(H + λ) × learningRate. Deterministic: rows keep their order inside each node, ties
 * between equal gains go to the node made first.
 */
export function growTree(n: number, gradient: Float32Array, hessian: Float32Array, ctx: SplitContext, limits: GrowerLimits, ws: GrowerWorkspace): GrownTree {
  const { stride } = ws;
  const records = ws.pristine;
  const gh = new Float32Array(records.buffer, records.byteOffset, records.byteLength >> 2);
  let g = 0;
  let h = 0;
  for (let i = 0, at = 0; i < n; i++, at += stride >> 2) {
    g += gh[at] = gradient[i]!;
    h += gh[at + 1] = hessian[i]!;
  }
  const nodes: Node[] = [];
  const make = (depth: number, start: number, end: number, gs: number, hs: number): Node => {
    const node: Node = { id: nodes.length, depth, start, end, g: gs, h: hs, hist: null, split: null, left: -1, right: -1 };
    nodes.push(node);
    return node;
  };
  const root = make(0, 0, n, g, h);
  const splittable: Node[] = [];
  const canSplit = (node: Node) => node.end - node.start >= 2 * limits.minSamplesLeaf && node.h >= ctx.minHessian && (limits.maxDepth === null || node.depth < limits.maxDepth);
  const consider = (node: Node) => {
    const start = performance.now();
    node.split = findBestSplit(node.hist!, ctx, node.g, node.h, node.end - node.start);
    ws.lap('splits', start);
    if (node.split.gain > 0) splittable.push(node);
    else {
      ws.giveHistogram(node.hist);
      node.hist = null;
    }
  };
  if (canSplit(root) && limits.maxLeafNodes > 1) {
    root.hist = ws.takeHistogram();
    const start = performance.now();
    ws.kernel.build(root.hist, records, stride, ctx.columns, 0, n);
    ws.lap('histograms', start);
    consider(root);
  }
  let leaves = 1;
  while (splittable.length > 0 && leaves < limits.maxLeafNodes) {
    let pick = 0;
    for (let i = 1; i < splittable.length; i++) {
      const a = splittable[i]!;
      const b = splittable[pick]!;
      if (a.split!.gain > b.split!.gain || (a.split!.gain === b.split!.gain && a.id < b.id)) pick = i;
    }
    const node = splittable.splice(pick, 1)[0]!;
    const split = node.split!;
    const partitionStart = performance.now();
    const middle = node.start + split.countLeft;
    partitionRows(node, split, middle, ws);
    ws.lap('partition', partitionStart);
    const left = make(node.depth + 1, node.start, middle, split.gradientLeft, split.hessianLeft);
    const right = make(node.depth + 1, middle, node.end, split.gradientRight, split.hessianRight);
    node.left = left.id;
    node.right = right.id;
    if (!ctx.hasMissing[split.feature]) split.missingLeft = middle - node.start > node.end - middle;
    leaves++;
    const splitLeft = leaves < limits.maxLeafNodes && canSplit(left);
    const splitRight = leaves < limits.maxLeafNodes && canSplit(right);
    if (splitLeft || splitRight) {
      const [small, large] = middle - node.start < node.end - middle ? [left, right] : [right, left];
      const start = performance.now();
      small.hist = ws.takeHistogram();
      ws.kernel.build(small.hist, ws.recordsAt(small.depth), stride, ctx.columns, small.start, small.end);
      large.hist = ws.takeHistogram();
      subtractHistogram(large.hist, node.hist!, small.hist);
      ws.lap('histograms', start);
      for (const child of [left, right]) {
        if (child === left ? splitLeft : splitRight) consider(child);
        else {
          ws.giveHistogram(child.hist);
          child.hist = null;
        }
      }
    }
    ws.giveHistogram(node.hist);
    node.hist = null;
  }
  for (const node of splittable) {
    ws.giveHistogram(node.hist);
    node.hist = null;
  }
  return flatten(nodes, ctx, limits);
}

/**
 * Copies the node's records (split on the column's bins) to its children's: the rows going left, then from
 * `middle` those going right (each in their former order). A 256-entry table says where each bin goes.
 */
function partitionRows(node: Node, split: SplitInfo, middle: number, ws: GrowerWorkspace): void {
  const goesLeft = ws.goesLeft;
  for (let b = 0; b < 256; b++) {
    goesLeft[b] = split.leftBins ? +inLeftBins(split.leftBins, b) : b === MISSING_BIN ? +split.missingLeft : +(b <= split.bin);
  }
  ws.partition(node.depth, split.feature, node.start, node.end, middle);
}

function flatten(nodes: Node[], ctx: SplitContext, limits: GrowerLimits): GrownTree {
  const count = nodes.length;
  const tree: GbdtTree = {
    feature: new Int32Array(count).fill(-1),
    threshold: new Uint8Array(count),
    missingLeft: new Uint8Array(count),
    categories: new Uint32Array(count * 8),
    left: new Int32Array(count).fill(-1),
    right: new Int32Array(count).fill(-1),
    value: new Float64Array(count),
    gain: new Float64Array(count),
    count: new Int32Array(count),
  };
  const leaves: GrownTree['leaves'] = [];
  for (const node of nodes) {
    const value = nodeValue(node.g, node.h, ctx.l2) * limits.learningRate;
    tree.value[node.id] = value;
    tree.count[node.id] = node.end - node.start;
    if (node.left < 0) {
      leaves.push({ start: node.start, end: node.end, depth: node.depth, value });
      continue;
    }
    const split = node.split!;
    tree.feature[node.id] = split.feature;
    tree.threshold[node.id] = split.bin;
    tree.missingLeft[node.id] = split.missingLeft ? 1 : 0;
    tree.left[node.id] = node.left;
    tree.right[node.id] = node.right;
    tree.gain[node.id] = split.gain;
    if (split.leftBins) tree.categories.set(split.leftBins, node.id * 8);
  }
  return { tree, leaves };
}
