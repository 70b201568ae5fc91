// Fairness disparities between the compared groups (demographic parity, equalized odds), as a bootstrap statistic.
import { nan } from './fairness-groups.ts';

/** Smallest and largest of the values of the compared groups where defined; NaN when fewer than two are. */
function spread(values: Float64Array, judged: Uint8Array): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  let count = 0;
  for (let g = 0; g < values.length; g++) {
    const v = values[g] as number;
    if (!judged[g] || v !== v) continue;
    count++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return count >= 2 ? { min, max } : { min: NaN, max: NaN };
}

function nanMax(a: number, b: number): number {
  if (a !== a) return b;
  if (b !== b) return a;
  return Math.max(a, b);
}

function nanMin(a: number, b: number): number {
  if (a !== a) return b;
  if (b !== b) return a;
  return Math.min(a, b);
}

/** How many of `rows` have each code, split over two int32 tables (cleared first). */
function countCodes(code: Uint8Array | Uint16Array | Int32Array, rows: Int32Array, even: Int32Array, odd: Int32Array): void {
  even.fill(0);
  odd.fill(0);
  const n = rows.length;
  let j = 0;
  for (; j + 1 < n; j += 2) {
    const a = code[rows[j] as number] as number;
    const b = code[rows[j + 1] as number] as number;
    even[a] = (even[a] as number) + 1;
    odd[b] = (odd[b] as number) + 1;
  }
  if (j < n) {
    const a = code[rows[j] as number] as number;
    even[a] = (even[a] as number) + 1;
  }
}

type DisparityKey = 'demographicParityRatio' | 'demographicParityDifference' | 'equalizedOddsDifference' | 'equalizedOddsRatio';

/**
 * The disparities over rows `rows` (indices into the compact arrays): counts per group of the four cells
 * (2·actual + predicted), then rates of the compared groups. Each row's group and cell are packed into one small code
 * beforehand, and a resample is counted in whole numbers into two tables (even and odd positions, so consecutive rows
 * of one code do not wait on each other), added together: the same counts as one float64 table.
 */
export function disparityStatistic(group: Int32Array, cell: Uint8Array, groupCount: number, judged: Uint8Array) {
  const cells = groupCount * 4;
  const code = cells <= 256 ? new Uint8Array(group.length) : cells <= 65536 ? new Uint16Array(group.length) : new Int32Array(group.length);
  for (let i = 0; i < group.length; i++) code[i] = (group[i] as number) * 4 + (cell[i] as number);
  const even = new Int32Array(cells);
  const odd = new Int32Array(cells);
  const counts = new Float64Array(cells);
  const selection = new Float64Array(groupCount);
  const tpr = new Float64Array(groupCount);
  const fpr = new Float64Array(groupCount);
  return (rows: Int32Array): Record<DisparityKey, number> => {
    countCodes(code, rows, even, odd);
    for (let c = 0; c < cells; c++) counts[c] = (even[c] as number) + (odd[c] as number);
    for (let g = 0; g < groupCount; g++) {
      const tn = counts[g * 4] as number;
      const fp = counts[g * 4 + 1] as number;
      const fn = counts[g * 4 + 2] as number;
      const tp = counts[g * 4 + 3] as number;
      selection[g] = nan(tp + fp, tn + fp + fn + tp);
      tpr[g] = nan(tp, tp + fn);
      fpr[g] = nan(fp, fp + tn);
    }
    const sel = spread(selection, judged);
    const t = spread(tpr, judged);
    const f = spread(fpr, judged);
    return {
      demographicParityRatio: sel.max > 0 ? sel.min / sel.max : NaN,
      demographicParityDifference: sel.max - sel.min,
      equalizedOddsDifference: nanMax(t.max - t.min, f.max - f.min),
      equalizedOddsRatio: nanMin(t.max > 0 ? t.min / t.max : NaN, f.max > 0 ? f.min / f.max : NaN),
    };
  };
}
