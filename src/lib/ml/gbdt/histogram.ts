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
 * Fills `hist` with the rows `indices[start…end)` of the row-major bins `x` (`columns` bins per row), `gh`
 * holding each row's gradient and hessian side by side (gh[2r], gh[2r + 1]). The plain definition the
 * kernel's record loops (kernel.ts) are tested against.
 */
export function buildHistogram(hist: Float64Array, x: Uint8Array, columns: number, gh: Float32Array, indices: Uint32Array, start: number, end: number): void {
  hist.fill(0);
  const stride = BINS * SLOTS;
  for (let i = start; i < end; i++) {
    const row = indices[i]!;
    const g = gh[2 * row]!;
    const h = gh[2 * row + 1]!;
    const base = row * columns;
    for (let j = 0, offset = 0; j < columns; j++, offset += stride) {
      const slot = offset + x[base + j]! * SLOTS;
      hist[slot]! += g;
      hist[slot + 1]! += h;
      hist[slot + 2]!++;
    }
  }
}

/** `out = parent − child`: the sibling's histogram without reading its rows (LightGBM's subtraction trick). */
export function subtractHistogram(out: Float64Array, parent: Float64Array, child: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = parent[i]! - child[i]!;
}
