// Fairness per group: which groups are compared, and the metrics of each group for classification and regression.
import { AppError } from '../errors.ts';
import type { SensitiveGroups } from './sensitive.ts';
import type { ClassificationFairnessInput, GroupMetrics, RegressionFairnessInput } from './fairness-types.ts';

export const nan = (num: number, den: number) => (den > 0 ? num / den : NaN);

/** Why the groups cannot be compared (fewer than two have minRows rows, naming the sizes), or null. */
function tooFewToCompare(groups: SensitiveGroups, sizes: number[], judged: boolean[], minRows: number): string | null {
  const count = judged.filter(Boolean).length;
  if (count >= 2) return null;
  const listing = groups.labels.map((label, g) => `${label} ${sizes[g]}`).join(', ');
  const why = count === 0 ? `every group has fewer` : `only ${groups.labels[judged.indexOf(true)]} has that many`;
  return `Too few rows to compare the groups of "${groups.column}": a group needs at least ${minRows} rows and ${why} (rows per group: ${listing})`;
}

/**
 * The groups with at least minRows rows. With `strict` (disparities required), fewer than two is refused
 * naming the sizes; otherwise the report marks them and says why it has no disparities.
 */
function comparedGroups(groups: SensitiveGroups, sizes: number[], minRows: number, strict: boolean): { judged: boolean[]; notComparable: string | null } {
  const judged = sizes.map((n) => n >= minRows);
  const notComparable = tooFewToCompare(groups, sizes, judged, minRows);
  if (notComparable && strict) throw new AppError('too-few-rows', notComparable, { column: groups.column });
  return { judged, notComparable };
}

export function classificationGroups(input: ClassificationFairnessInput, positive: number | null, minRows: number, strict: boolean) {
  const { groups, classes, labels, predicted } = input;
  const k = classes.length;
  const G = groups.labels.length;
  const n = labels.length;
  // Compact arrays of the rows with a known actual class.
  const keep = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const p = predicted[i] as number;
    if (!(Number.isInteger(p) && p >= 0 && p < k)) throw new AppError('bad-argument', `The predicted class ${p} in row ${i + 1} is not a class index from 0 to ${k - 1}`, { row: i + 1 });
    const y = labels[i] as number;
    if (y >= 0 && y < k) keep[m++] = i;
  }
  if (m === 0) throw new AppError('bad-argument', 'No evaluated row has a known actual class');
  const group = new Int32Array(m);
  const cell = new Uint8Array(m);
  const sizes = new Array<number>(G).fill(0);
  const correct = new Float64Array(G);
  // Per group and class: true, predicted and correct counts (macro-F1).
  const truth = new Float64Array(G * k);
  const said = new Float64Array(G * k);
  const hit = new Float64Array(G * k);
  for (let j = 0; j < m; j++) {
    const i = keep[j] as number;
    const g = groups.codes[i] as number;
    const y = labels[i] as number;
    const p = predicted[i] as number;
    group[j] = g;
    sizes[g]!++;
    truth[g * k + y]!++;
    said[g * k + p]!++;
    if (y === p) {
      correct[g]!++;
      hit[g * k + y]!++;
    }
    if (positive !== null) cell[j] = (y === positive ? 2 : 0) + (p === positive ? 1 : 0);
  }
  const { judged, notComparable } = comparedGroups(groups, sizes, minRows, strict);
  const metrics: GroupMetrics[] = groups.labels.map((label, g) => {
    const size = sizes[g] as number;
    const row: GroupMetrics = { group: label, n: size, tooFew: size < minRows, missing: g === groups.missingGroup };
    if (positive !== null) {
      const tp = hit[g * k + positive] as number;
      const actual = truth[g * k + positive] as number;
      const chosen = said[g * k + positive] as number;
      const fp = chosen - tp;
      row.baseRate = nan(actual, size);
      row.selectionRate = nan(chosen, size);
      row.tpr = nan(tp, actual);
      row.fpr = nan(fp, size - actual);
      row.precision = nan(tp, chosen);
    }
    row.accuracy = nan(correct[g] as number, size);
    if (input.task === 'multiclass') {
      let sum = 0;
      let present = 0;
      for (let c = 0; c < k; c++) {
        const t = truth[g * k + c] as number;
        const s = said[g * k + c] as number;
        if (t === 0 && s === 0) continue;
        present++;
        const h = hit[g * k + c] as number;
        // F1 = 2TP / (2TP + FP + FN) = 2h / (t + s); 0 when the class is only in the labels or only predicted.
        sum += (2 * h) / (t + s);
      }
      row.macroF1 = nan(sum, present);
    }
    return row;
  });
  return { metrics, sizes, judged, notComparable, group, cell, excluded: n - m };
}

export function regressionGroups(input: RegressionFairnessInput, minRows: number) {
  const { groups, actual, predicted } = input;
  const G = groups.labels.length;
  const sizes = new Array<number>(G).fill(0);
  const se = new Float64Array(G);
  const err = new Float64Array(G);
  for (let i = 0; i < actual.length; i++) {
    const d = (actual[i] as number) - (predicted[i] as number);
    if (!Number.isFinite(d)) {
      const what = !Number.isFinite(actual[i] as number) ? `The actual value ${actual[i]}` : `The prediction ${predicted[i]}`;
      throw new AppError('bad-argument', `${what} in row ${i + 1} is not a finite number`, { row: i + 1 });
    }
    const g = groups.codes[i] as number;
    sizes[g]!++;
    se[g]! += d * d;
    err[g]! += d;
  }
  const { judged } = comparedGroups(groups, sizes, minRows, false);
  const metrics: GroupMetrics[] = groups.labels.map((label, g) => {
    const size = sizes[g] as number;
    return {
      group: label,
      n: size,
      tooFew: size < minRows,
      missing: g === groups.missingGroup,
      rmse: Math.sqrt(nan(se[g] as number, size)),
      meanError: nan(err[g] as number, size),
    };
  });
  return { metrics, judged };
}

export function names(groups: SensitiveGroups, mask: boolean[], want: boolean): string[] {
  return groups.labels.filter((_, g) => mask[g] === want);
}
