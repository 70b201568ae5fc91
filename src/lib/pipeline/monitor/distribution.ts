// A column's reference and batch distributions side by side for the Monitor view's overlay chart: shares per bin (numbers) or per category.
import type { ColumnSketch } from '../drift/types.ts';
import { isStringColumn } from '../table.ts';
import type { Column } from '../types.ts';

export interface DistributionBin {
  label: string;
  /** Numeric bins: the bin's edges (values below x0 of the first bin or above x1 of the last are counted in it). */
  x0?: number;
  x1?: number;
  /** Shares of non-missing values. */
  reference: number;
  current: number;
}

export interface Distribution {
  kind: 'number' | 'category';
  bins: DistributionBin[];
}

/** Categories shown by name; the rest are summed as "(other)". */
export const TOP_CATEGORIES = 12;
/** Equal-width bins between the 0.5% and 99.5% points of either side. */
export const NUMBER_BINS = 20;

/** The q-quantile of ascending values (linear interpolation). */
function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const at = q * (n - 1);
  const lo = Math.floor(at);
  const hi = Math.min(n - 1, lo + 1);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (at - lo);
}

/** Up to `most` evenly spaced non-missing values of `values`, ascending. */
function sampleSorted(values: Float64Array, most: number): Float64Array {
  const kept: number[] = [];
  const step = Math.max(1, Math.floor(values.length / most));
  for (let i = 0; i < values.length; i += step) {
    const v = values[i] as number;
    if (v === v) kept.push(v);
  }
  return Float64Array.from(kept).sort();
}

function numberDistribution(reference: Float64Array, current: Float64Array): Distribution {
  const sample = sampleSorted(current, 20_000);
  const lo = Math.min(quantile(reference, 0.005), quantile(sample, 0.005));
  const hi = Math.max(quantile(reference, 0.995), quantile(sample, 0.995));
  if (!(lo === lo) && !(hi === hi)) return { kind: 'number', bins: [] };
  const low = lo === lo ? lo : hi;
  const high = hi === hi ? hi : lo;
  const count = high > low ? NUMBER_BINS : 1;
  const width = high > low ? (high - low) / count : 1;
  const tally = (values: Float64Array) => {
    const counts = new Float64Array(count);
    let n = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (v !== v) continue;
      const b = Math.min(count - 1, Math.max(0, Math.floor((v - low) / width)));
      counts[b] = (counts[b] as number) + 1;
      n++;
    }
    return Array.from(counts, (c) => (n > 0 ? c / n : 0));
  };
  const ref = tally(reference);
  const cur = tally(current);
  const format = (x: number) => String(Number(x.toPrecision(4)));
  return {
    kind: 'number',
    bins: ref.map((share, b) => {
      const x0 = low + b * width;
      const x1 = high > low ? low + (b + 1) * width : high;
      return { label: `${format(x0)}–${format(x1)}`, x0, x1, reference: share, current: cur[b] as number };
    }),
  };
}

function categoryDistribution(levels: readonly string[], counts: readonly number[], current: Column): Distribution {
  const ref = new Map<string, number>();
  let refTotal = 0;
  levels.forEach((level, i) => {
    ref.set(level, counts[i] ?? 0);
    refTotal += counts[i] ?? 0;
  });
  const cur = new Map<string, number>();
  let curTotal = 0;
  if (isStringColumn(current)) {
    const tally = new Float64Array(current.levels.length);
    for (let i = 0; i < current.codes.length; i++) {
      const code = current.codes[i] as number;
      if (code >= 0) tally[code] = (tally[code] as number) + 1;
    }
    current.levels.forEach((level, i) => {
      const c = tally[i] as number;
      if (c > 0) cur.set(level, (cur.get(level) ?? 0) + c);
      curTotal += c;
    });
  }
  const share = (map: Map<string, number>, total: number, level: string) => (total > 0 ? (map.get(level) ?? 0) / total : 0);
  const all = [...new Set([...ref.keys(), ...cur.keys()])];
  const weight = (level: string) => Math.max(share(ref, refTotal, level), share(cur, curTotal, level));
  all.sort((a, b) => weight(b) - weight(a) || a.localeCompare(b));
  const shown = all.slice(0, TOP_CATEGORIES);
  const bins: DistributionBin[] = shown.map((level) => ({ label: level, reference: share(ref, refTotal, level), current: share(cur, curTotal, level) }));
  if (all.length > shown.length) {
    const rest = all.slice(TOP_CATEGORIES);
    bins.push({
      label: `(${rest.length} others)`,
      reference: rest.reduce((s, l) => s + share(ref, refTotal, l), 0),
      current: rest.reduce((s, l) => s + share(cur, curTotal, l), 0),
    });
  }
  return { kind: 'category', bins };
}

/**
 * The reference sketch's and the batch column's distributions over the same bins; null when they cannot be drawn
 * together (the batch lacks the column or holds another kind of values).
 */
export function columnDistribution(sketch: ColumnSketch, column: Column | undefined): Distribution | null {
  if (!column) return null;
  if (sketch.kind === 'number') return isStringColumn(column) ? null : numberDistribution(sketch.values, column.values);
  return isStringColumn(column) ? categoryDistribution(sketch.levels, sketch.counts, column) : null;
}
