// Fairness disparities between the compared groups (demographic parity, equalized odds), as a bootstrap statistic. [bench peer: src/lib/pipeline/review/fairness-disparities.ts as of commit 623ec30, before the review speed work]
import { nan } from '../../../src/lib/pipeline/review/fairness-groups.ts';

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

type DisparityKey = 'demographicParityRatio' | 'demographicParityDifference' | 'equalizedOddsDifference' | 'equalizedOddsRatio';

/**
 * The disparities over rows `rows` (indices into the compact arrays): counts per group of the four cells
 * (2·actual + predicted), then rates of the compared groups.
 */
export function disparityStatistic(group: Int32Array, cell: Uint8Array, groupCount: number, judged: Uint8Array) {
  const counts = new Float64Array(groupCount * 4);
  const selection = new Float64Array(groupCount);
  const tpr = new Float64Array(groupCount);
  const fpr = new Float64Array(groupCount);
  return (rows: Int32Array): Record<DisparityKey, number> => {
    counts.fill(0);
    for (let j = 0; j < rows.length; j++) {
      const i = rows[j] as number;
      counts[(group[i] as number) * 4 + (cell[i] as number)]!++;
    }
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
