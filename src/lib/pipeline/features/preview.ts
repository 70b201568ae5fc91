// A preview of a fitted feature set on the training rows: the matrix width, per-feature summaries and correlations.
import { getColumn } from '../table.ts';
import { applyTransforms, encodeTarget, fittedFeatureNames } from '../transforms.ts';
import type { DataTable, FittedKind, TransformBundle } from '../types.ts';
import { numericValue, stringCodes } from './columns.ts';

/** Summary of one matrix column. */
export interface MatrixColumnSummary {
  name: string;
  min: number;
  max: number;
  mean: number;
  /** Pearson correlation with the target; null for a multiclass target or a constant column. */
  correlation: number | null;
}

/** Summary of one feature: its source-column missing count and the range of the values it makes. */
export interface FeatureSummary {
  name: string;
  kind: FittedKind;
  columns: string[];
  width: number;
  /** Training rows where a source column is missing (they get the imputed value). */
  missing: number;
  min: number;
  max: number;
  mean: number;
  /** The correlation of largest magnitude among its matrix columns. */
  correlation: number | null;
  matrix: MatrixColumnSummary[];
}

export interface FeaturePreview {
  width: number;
  rows: number;
  features: FeatureSummary[];
}

function pearson(x: Float32Array, width: number, col: number, y: Float64Array): number | null {
  const n = y.length;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i * width + col] as number;
    sy += y[i] as number;
  }
  const mx = sx / n;
  const my = sy / n;
  let cov = 0;
  let vx = 0;
  let vy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i * width + col] as number) - mx;
    const dy = (y[i] as number) - my;
    cov += dx * dy;
    vx += dx * dx;
    vy += dy * dy;
  }
  return vx > 0 && vy > 0 ? cov / Math.sqrt(vx * vy) : null;
}

/** The target as numbers for correlation: values (numeric), class index (binary), or null (multiclass). */
function targetNumbers(table: DataTable, bundle: TransformBundle, rows: Int32Array, targetColumn: string): Float64Array | null {
  if (targetColumn === bundle.target && bundle.task === 'binary') return Float64Array.from(encodeTarget(table, bundle, rows));
  if (targetColumn === bundle.target && bundle.task === 'multiclass') return null;
  const value = numericValue(getColumn(table, targetColumn));
  const y = Float64Array.from(rows, (row) => value(row));
  return y.some((v) => Number.isNaN(v)) ? null : y;
}

function missingCount(table: DataTable, columns: string[], rows: Int32Array): number {
  const views = columns.map((name) => stringCodes(getColumn(table, name)));
  let missing = 0;
  for (let i = 0; i < rows.length; i++) if (views.some((v) => v.code(rows[i] as number) < 0)) missing++;
  return missing;
}

/**
 * Applies the bundle to the training rows and summarizes each feature (missing sources, min/max/mean of its
 * values) with the Pearson correlation of each matrix column with `targetColumn` (numeric, or the class
 * index of a binary target).
 */
export function featurePreview(table: DataTable, bundle: TransformBundle, trainRows: Int32Array, targetColumn: string): FeaturePreview {
  const width = bundle.width;
  const n = trainRows.length;
  const x = applyTransforms(table, bundle, trainRows);
  const y = n > 1 ? targetNumbers(table, bundle, trainRows, targetColumn) : null;
  let offset = 0;
  const features = bundle.features.map((feature): FeatureSummary => {
    const names = fittedFeatureNames(feature);
    const columns = 'column2' in feature ? [feature.column, feature.column2] : [feature.column];
    const matrix = names.map((name, k): MatrixColumnSummary => {
      let min = Infinity;
      let max = -Infinity;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const v = x[i * width + offset + k] as number;
        if (v < min) min = v;
        if (v > max) max = v;
        sum += v;
      }
      return { name, min: n ? min : NaN, max: n ? max : NaN, mean: n ? sum / n : NaN, correlation: y ? pearson(x, width, offset + k, y) : null };
    });
    offset += names.length;
    let strongest: number | null = null;
    for (const m of matrix) if (m.correlation !== null && (strongest === null || Math.abs(m.correlation) > Math.abs(strongest))) strongest = m.correlation;
    return {
      name: feature.name ?? feature.column,
      kind: feature.kind,
      columns,
      width: names.length,
      missing: missingCount(table, columns, trainRows),
      min: Math.min(...matrix.map((m) => m.min)),
      max: Math.max(...matrix.map((m) => m.max)),
      mean: matrix.reduce((s, m) => s + m.mean, 0) / Math.max(1, matrix.length),
      correlation: strongest,
      matrix,
    };
  });
  return { width, rows: n, features };
}
