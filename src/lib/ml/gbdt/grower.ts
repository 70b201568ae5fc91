// Grows one tree leaf-wise (best gain first) over the binned rows, as scikit-learn's TreeGrower, with the histogram subtraction trick.
import { BINS, SLOTS, subtractHistogram, toRowMajor } from './histogram.ts';
import { HistogramKernel } from './kernel.ts';
import { findBestSplit, inLeftBins, nodeValue, type SplitContext, type SplitInfo } from './split.ts';
import { MISSING_BIN, type GbdtTree } from './types.ts';

export interface GrowerLimits {
  maxLeafNodes: number;
  maxDepth: number | null;
  minSamplesLeaf: number;
  learningRate: number;
}

/**
 * Buffers reused from tree to tree: the row-major bins, the partition of row positions, gradients side by side,
 * spare histograms. They live in the histogram kernel's WebAssembly memory (plain arrays without it).
 */
export class GrowerWorkspace {
  readonly kernel: HistogramKernel;
  readonly partition: Uint32Array;
  readonly buffer: Uint32Array;
  /** Where each bin goes at the split being applied (1: left). */
  readonly goesLeft = new Uint8Array(256);
  /** Gradient and hessian of each row side by side, for the tree being grown. */
  readonly gh: Float32Array;
  readonly #spare: Float64Array[] = [];
  readonly #columns: number;
  readonly #rows: number;
  /** Milliseconds by part (histograms, splits, partition), when asked for. */
  readonly timings: Record<string, number> | null;

  constructor(rows: number, columns: number, maxLeafNodes: number, timings: Record<string, number> | null = null) {
    const histogramBytes = columns * BINS * SLOTS * 8;
    // Histograms alive at once: one per splittable leaf, plus the node being split and its two children.
    this.kernel = new HistogramKernel(rows * columns + rows * 12 + (maxLeafNodes + 3) * histogramBytes + 64);
    this.#rows = rows;
    this.#columns = columns;
    this.gh = this.kernel.float32(rows * 2);
    this.partition = this.kernel.uint32(rows);
    this.buffer = new Uint32Array(rows);
    this.timings = timings;
  }

  /** The bins row-major, in the kernel's memory (call once). */
  rowMajor(byColumn: Uint8Array): Uint8Array {
    return toRowMajor(byColumn, this.#rows, this.#columns, this.kernel.bytes(this.#rows * this.#columns));
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
  /** The node's rows are partition[start…end). */
  start: number;
  end: number;
  g: number;
  h: number;
  hist: Float64Array | null;
  split: SplitInfo | null;
  left: number;
  right: number;
}

/** A grown tree and where its leaves' rows sit in the workspace's partition (to update the training predictions). */
export interface GrownTree {
  tree: GbdtTree;
  leaves: { start: number; end: number; value: number }[];
}

/** The training rows' bins twice: row-major for histograms (a row's bins in one read), column-major for partitioning. */
export interface TrainingBins {
  byRow: Uint8Array;
  byColumn: Uint8Array;
}

/**
 * Grows one tree on the bins `x` (n rows × ctx.columns) for the gradients and hessians of one output.
 * Leaves hold −G/(H + λ) × learningRate. Deterministic: rows keep their order inside each node, ties between
 * equal gains go to the node made first.
 */
export function growTree(x: TrainingBins, n: number, gradient: Float32Array, hessian: Float32Array, ctx: SplitContext, limits: GrowerLimits, ws: GrowerWorkspace): GrownTree {
  const { partition, gh } = ws;
  let g = 0;
  let h = 0;
  for (let i = 0; i < n; i++) {
    partition[i] = i;
    g += gh[2 * i] = gradient[i]!;
    h += gh[2 * i + 1] = hessian[i]!;
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
    ws.kernel.build(root.hist, x.byRow, ctx.columns, gh, partition, 0, n);
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
    const middle = partitionRows(x.byColumn.subarray(split.feature * n, (split.feature + 1) * n), node, split, ws);
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
      ws.kernel.build(small.hist, x.byRow, ctx.columns, gh, partition, small.start, small.end);
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
 * Reorders partition[start…end) (split on the column's bins) into the rows going left, then right (each in
 * their former order); returns the boundary. Branch-free: a 256-entry table says where each bin goes, and
 * every row is written to both sides with only the side it belongs to advancing.
 */
function partitionRows(column: Uint8Array, node: Node, split: SplitInfo, ws: GrowerWorkspace): number {
  const { partition, buffer } = ws;
  const goesLeft = ws.goesLeft;
  for (let b = 0; b < 256; b++) {
    goesLeft[b] = split.leftBins ? +inLeftBins(split.leftBins, b) : b === MISSING_BIN ? +split.missingLeft : +(b <= split.bin);
  }
  let l = node.start;
  let r = 0;
  for (let i = node.start; i < node.end; i++) {
    const row = partition[i]!;
    const left = goesLeft[column[row]!]!;
    partition[l] = row;
    buffer[r] = row;
    l += left;
    r += 1 - left;
  }
  partition.set(buffer.subarray(0, r), l);
  return l;
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
      leaves.push({ start: node.start, end: node.end, value });
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
