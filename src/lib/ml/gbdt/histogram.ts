// Gradient histograms of a node: per column and bin the sums of gradients, hessians and rows, built or got by subtraction.

/** Slots per bin in a histogram: gradient sum, hessian sum, row count. */
export const SLOTS = 3;
/** Bins per column in a histogram (255 value bins and the missing bin). */
export const BINS = 256;

/** A histogram of every column: column j's bin b starts at (j·BINS + b)·SLOTS. */
export function newHistogram(columns: number): Float64Array {
  return new Float64Array(columns * BINS * SLOTS);
}

/**
 * Adds the rows `indices[start…end)` of the column-major bins `x` (n rows per column) to `hist`. `gradient`
 * and `hessian` are indexed by row; the rows of a node are gathered first so the inner loop reads them in order.
 */
export function buildHistogram(
  hist: Float64Array,
  x: Uint8Array,
  n: number,
  columns: number,
  indices: Uint32Array,
  start: number,
  end: number,
  gradient: Float32Array,
  hessian: Float32Array,
  orderedGradient: Float32Array,
  orderedHessian: Float32Array,
): void {
  hist.fill(0);
  const m = end - start;
  const whole = start === 0 && m === n;
  if (!whole) {
    for (let i = 0; i < m; i++) {
      const row = indices[start + i]!;
      orderedGradient[i] = gradient[row]!;
      orderedHessian[i] = hessian[row]!;
    }
  }
  const g = whole ? gradient : orderedGradient;
  const h = whole ? hessian : orderedHessian;
  for (let j = 0; j < columns; j++) {
    const base = j * n;
    const offset = j * BINS * SLOTS;
    if (whole) {
      for (let i = 0; i < m; i++) {
        const slot = offset + x[base + i]! * SLOTS;
        hist[slot]! += g[i]!;
        hist[slot + 1]! += h[i]!;
        hist[slot + 2]!++;
      }
    } else {
      for (let i = 0; i < m; i++) {
        const slot = offset + x[base + indices[start + i]!]! * SLOTS;
        hist[slot]! += g[i]!;
        hist[slot + 1]! += h[i]!;
        hist[slot + 2]!++;
      }
    }
  }
}

/** `out = parent − child`: the sibling's histogram without reading its rows (LightGBM's subtraction trick). */
export function subtractHistogram(out: Float64Array, parent: Float64Array, child: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = parent[i]! - child[i]!;
}
