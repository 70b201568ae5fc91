// Applies a fitted transform bundle identically at training, scoring and export; class labels and feature names.
import { AppError } from './errors.ts';
import { applyFittedFeature } from './features/apply.ts';
import { numericValue, stringCodes } from './features/columns.ts';
import { compareStrings } from './profile.ts';
import { getColumn } from './table.ts';
import type { DataTable, FittedFeature, TransformBundle } from './types.ts';

/** Levels seen fewer times than this in training share the "other" slot. */
export const RARE_LEVEL_COUNT = 5;

/** The matrix column names a fitted feature makes, in order: "name", "name=level" or "name:part". */
export function fittedFeatureNames(f: FittedFeature): string[] {
  const base = f.name ?? f.column;
  switch (f.kind) {
    case 'onehot':
      return [...f.levels, ...(f.other ? ['other'] : [])].map((level) => `${base}=${level}`);
    case 'bucketize':
      return Array.from({ length: f.edges.length + 1 }, (_, k) => `${base}=bucket${k}`);
    case 'dateparts':
      return f.parts.map((part) => `${base}:${part}`);
    case 'hash':
      return Array.from({ length: f.width }, (_, k) => `${base}#${k}`);
    default:
      return [base];
  }
}

/** Orders class labels: numerically when every label is a number, else by code point. */
export function sortClasses(labels: string[]): string[] {
  const numeric = labels.every((l) => !Number.isNaN(Number(l)) && l.trim() !== '');
  return labels.sort(numeric ? (a, b) => Number(a) - Number(b) : compareStrings);
}

/** The class labels of `target` seen on the training rows, in output order (see `sortClasses`). */
export function targetClasses(table: DataTable, target: string, trainRows: Int32Array): string[] {
  const view = stringCodes(getColumn(table, target));
  const seen = new Set<string>();
  for (let i = 0; i < trainRows.length; i++) {
    const code = view.code(trainRows[i] as number);
    if (code >= 0) seen.add(view.levels[code] ?? '');
  }
  return sortClasses([...seen]);
}

function allRows(table: DataTable): Int32Array {
  const rows = new Int32Array(table.rowCount);
  for (let r = 0; r < rows.length; r++) rows[r] = r;
  return rows;
}

/**
 * Turns rows into the model's input matrix (row-major, rows × bundle.width). Columns are matched by name and
 * category levels by their text, so a different file with the same columns gives the same numbers.
 * An unseen level goes to "other" when the bundle has that slot, else it is all zeros like a missing value.
 */
export function applyTransforms(table: DataTable, given: TransformBundle, rows: Int32Array = allRows(table), reuse?: Float32Array): Float32Array {
  const bundle = given.keepMissing ? withoutImputation(given) : given;
  const width = bundle.width;
  // `reuse`: a buffer of at least rows × width to write into (cleared first) instead of a new one, so that a
  // caller transforming batch after batch makes no garbage.
  const out = reuse && reuse.length >= rows.length * width ? reuse.subarray(0, rows.length * width).fill(0) : new Float32Array(rows.length * width);
  let offset = 0;
  for (const feature of bundle.features) {
    if (feature.kind !== 'numeric' && feature.kind !== 'onehot') {
      offset += applyFittedFeature(table, feature, rows, out, width, offset);
      continue;
    }
    const column = getColumn(table, feature.column);
    if (feature.kind === 'numeric') {
      const value = numericValue(column);
      const { median, mean, std } = feature;
      for (let i = 0; i < rows.length; i++) {
        const v = value(rows[i] as number);
        out[i * width + offset] = ((v === v ? v : median) - mean) / std;
      }
      offset += 1;
      continue;
    }
    const view = stringCodes(column);
    const slotOf = new Map(feature.levels.map((level, k) => [level, k]));
    const otherSlot = feature.other ? feature.levels.length : -1;
    const slotCache: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      const code = view.code(rows[i] as number);
      if (code < 0) continue;
      let slot = slotCache[code];
      if (slot === undefined) slotCache[code] = slot = slotOf.get(view.levels[code] ?? '') ?? otherSlot;
      if (slot >= 0) out[i * width + offset + slot] = 1;
    }
    offset += feature.levels.length + (feature.other ? 1 : 0);
  }
  if (offset !== width) throw new AppError('bad-bundle', `The transform bundle says width ${width} but its features make ${offset}`);
  return out;
}

/** The bundle with every fitted median NaN, so that a missing value stays NaN (see TransformBundle.keepMissing). */
export function withoutImputation(bundle: TransformBundle): TransformBundle {
  const features = bundle.features.map((f): FittedFeature => {
    if (f.kind === 'dateparts') return { ...f, stats: f.stats.map((s) => ({ ...s, median: NaN })) };
    return 'median' in f && f.kind !== 'bucketize' ? { ...f, median: NaN } : f;
  });
  return { ...bundle, features };
}

/** The target of each row: a class index into bundle.classes (-1 for an unseen or missing class), or the value. */
export function encodeTarget(table: DataTable, bundle: TransformBundle, rows: Int32Array): Float32Array {
  const column = getColumn(table, bundle.target);
  const out = new Float32Array(rows.length);
  if (bundle.task === 'regression') {
    const value = numericValue(column);
    for (let i = 0; i < rows.length; i++) out[i] = value(rows[i] as number);
    return out;
  }
  if (!bundle.classes) throw new AppError('bad-bundle', `The transform bundle for "${bundle.target}" has no classes`);
  const classIndex = new Map(bundle.classes.map((c, k) => [c, k]));
  const view = stringCodes(column);
  for (let i = 0; i < rows.length; i++) {
    const code = view.code(rows[i] as number);
    out[i] = code < 0 ? -1 : (classIndex.get(view.levels[code] ?? '') ?? -1);
  }
  return out;
}
