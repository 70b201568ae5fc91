// Fits a feature set on the training rows only, giving a TransformBundle that applyTransforms applies everywhere.
import { AppError } from '../errors.ts';
import { compareStrings } from '../profile.ts';
import { getColumn } from '../table.ts';
import { fittedFeatureNames, RARE_LEVEL_COUNT, sortClasses, targetClasses } from '../transforms.ts';
import type { ColumnType, DataTable, FeaturePlan, FittedFeature, TaskKind, TransformBundle } from '../types.ts';
import { datePart, derivedValue } from './apply.ts';
import { summarizeInputs } from './inputs.ts';
import { dateValue, medianOf, numericStats, numericValue, quantileOf, sortedPresent, stringCodes } from './columns.ts';
import type { FeatureDef, FeatureSet } from './types.ts';
import { checkFeatureSet } from './validate.ts';

/** Default quantiles of a clip without fixed bounds. */
export const DEFAULT_CLIP_QUANTILES: [number, number] = [0.01, 0.99];
/** Default number of quantile buckets. */
export const DEFAULT_BINS = 10;

/** Level counts of a column on the training rows, by level index. */
function levelCounts(table: DataTable, column: string, rows: Int32Array) {
  const view = stringCodes(getColumn(table, column));
  const counts: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const code = view.code(rows[i] as number);
    if (code >= 0) counts[code] = (counts[code] ?? 0) + 1;
  }
  return { view, counts };
}

function fitOneHot(table: DataTable, def: Extract<FeatureDef, { transform: 'onehot' }>, rows: Int32Array): FittedFeature {
  const minCount = def.params?.minCount ?? RARE_LEVEL_COUNT;
  const { view, counts } = levelCounts(table, def.column, rows);
  const kept: number[] = [];
  let rare = false;
  counts.forEach((count, code) => {
    if (count >= minCount) kept.push(code);
    else if (count > 0) rare = true;
  });
  kept.sort((a, b) => (counts[b] ?? 0) - (counts[a] ?? 0) || compareStrings(view.levels[a] ?? '', view.levels[b] ?? ''));
  const most = def.params?.maxLevels;
  if (most !== undefined && kept.length > most) {
    kept.length = most;
    rare = true;
  }
  const fitted: FittedFeature = {
    kind: 'onehot',
    column: def.column,
    levels: kept.map((k) => view.levels[k] ?? ''),
    other: rare || (def.params?.unseenSlot ?? true),
  };
  if (def.name !== def.column) fitted.name = def.name;
  return fitted;
}

function fitOrdinal(table: DataTable, def: Extract<FeatureDef, { transform: 'ordinal' }>, rows: Int32Array): FittedFeature {
  let levels = def.params?.order;
  if (!levels) {
    const { view, counts } = levelCounts(table, def.column, rows);
    levels = sortClasses(view.levels.filter((_, k) => (counts[k] ?? 0) > 0));
  }
  const rank = new Map(levels.map((level, k) => [level, k]));
  const view = stringCodes(getColumn(table, def.column));
  const stats = numericStats((row) => {
    const code = view.code(row);
    return code < 0 ? NaN : (rank.get(view.levels[code] ?? '') ?? NaN);
  }, rows);
  return { kind: 'ordinal', name: def.name, column: def.column, levels: [...levels], ...stats };
}

function fitDateParts(table: DataTable, def: Extract<FeatureDef, { transform: 'dateparts' }>, rows: Int32Array): FittedFeature {
  const value = dateValue(getColumn(table, def.column));
  const reference = def.params.reference !== undefined ? Date.parse(def.params.reference) : (sortedPresent(value, rows)[0] ?? 0);
  const parts = [...def.params.parts];
  const stats = parts.map((part) => numericStats((row) => datePart(value(row), part, reference), rows));
  return { kind: 'dateparts', name: def.name, column: def.column, parts, reference, stats };
}

/** Fits one feature definition on the training rows. */
export function fitFeature(table: DataTable, def: FeatureDef, rows: Int32Array): FittedFeature {
  const { name, column } = def;
  switch (def.transform) {
    case 'standardize': {
      const fitted: FittedFeature = { kind: 'numeric', column, ...numericStats(numericValue(getColumn(table, column)), rows) };
      if (name !== column) fitted.name = name;
      return fitted;
    }
    case 'minmax': {
      const sorted = sortedPresent(numericValue(getColumn(table, column)), rows);
      return { kind: 'minmax', name, column, median: medianOf(sorted), min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0 };
    }
    case 'log1p': {
      const base = { kind: 'log1p' as const, name, column };
      return { ...base, ...numericStats(derivedValue(table, { ...base, median: 0, mean: 0, std: 1 }), rows) };
    }
    case 'clip': {
      const sorted = sortedPresent(numericValue(getColumn(table, column)), rows);
      const [qLo, qHi] = def.params?.quantiles ?? DEFAULT_CLIP_QUANTILES;
      const lower = def.params?.lower ?? quantileOf(sorted, qLo);
      const upper = def.params?.upper ?? quantileOf(sorted, qHi);
      const base = { kind: 'clip' as const, name, column, lower, upper };
      return { ...base, ...numericStats(derivedValue(table, { ...base, median: 0, mean: 0, std: 1 }), rows) };
    }
    case 'bucketize': {
      const sorted = sortedPresent(numericValue(getColumn(table, column)), rows);
      let edges = def.params?.edges;
      if (!edges) {
        const bins = def.params?.bins ?? DEFAULT_BINS;
        const cuts = Array.from({ length: bins - 1 }, (_, k) => quantileOf(sorted, (k + 1) / bins));
        edges = cuts.filter((edge, k) => k === 0 || edge > (cuts[k - 1] as number));
      }
      const median = medianOf(sorted);
      return { kind: 'bucketize', name, column, edges: [...edges], median };
    }
    case 'onehot':
      return fitOneHot(table, def, rows);
    case 'ordinal':
      return fitOrdinal(table, def, rows);
    case 'dateparts':
      return fitDateParts(table, def, rows);
    case 'hash': {
      const tokens = def.params.tokens ?? 'word';
      const ngrams: [number, number] = def.params.ngrams ? [def.params.ngrams[0], def.params.ngrams[1]] : tokens === 'word' ? [1, 1] : [3, 3];
      return { kind: 'hash', name, column, tokens, ngrams, width: def.params.width, lowercase: def.params.lowercase ?? true };
    }
    case 'ratio':
    case 'difference': {
      const base = { kind: def.transform, name, column, column2: def.column2 };
      return { ...base, ...numericStats(derivedValue(table, { ...base, median: 0, mean: 0, std: 1 }), rows) };
    }
  }
}

/**
 * Fits every feature of `set` on the training rows only (test rows never change the bundle) and returns
 * the bundle for predicting `goal.target`. Checks the set against the table first; errors name the
 * feature and the column.
 */
export function fitFeatureSet(
  table: DataTable,
  set: FeatureSet,
  trainRows: Int32Array,
  goal: { target: string; task: TaskKind },
): TransformBundle {
  if (trainRows.length === 0) throw new AppError('too-few-rows', 'There are no training rows to fit the features on');
  getColumn(table, goal.target);
  checkFeatureSet(table, set, goal.target, trainRows);
  const features = set.features.map((def) => fitFeature(table, def, trainRows));
  const featureNames = features.flatMap(fittedFeatureNames);
  const bundle: TransformBundle = {
    format: 'millrace.transforms/1',
    target: goal.target,
    task: goal.task,
    features,
    featureNames,
    width: featureNames.length,
  };
  if (goal.task !== 'regression') bundle.classes = targetClasses(table, goal.target, trainRows);
  // Recorded for the single-prediction form (ranges, medians, levels); applyTransforms never reads it.
  bundle.inputs = summarizeInputs(table, features, trainRows);
  return bundle;
}

/**
 * The automatic features of a plan as a feature set: numbers standardized (median imputed), strings one-hot
 * with levels seen fewer than 5 times pooled (and no "other" slot unless some were). `source` is the table
 * or its profile (only the column types are read).
 */
export function featureSetFromPlan(plan: FeaturePlan, source: { columns: readonly { name: string; type: ColumnType }[] }): FeatureSet {
  const profile = source;
  const features: FeatureDef[] = plan.features.map((column) => {
    const type = profile.columns.find((c) => c.name === column)?.type;
    if (!type) throw new AppError('unknown-column', `The feature plan names column "${column}", which the table does not have`, { column });
    return type === 'category' || type === 'text'
      ? { name: column, column, transform: 'onehot', params: { minCount: RARE_LEVEL_COUNT, unseenSlot: false } }
      : { name: column, column, transform: 'standardize' };
  });
  return { name: `auto: ${plan.target}`, version: 1, features };
}

/** Fits a plan's automatic features (see `featureSetFromPlan`) on the training rows only. */
export function fitPlan(table: DataTable, plan: FeaturePlan, trainRows: Int32Array): TransformBundle {
  return fitFeatureSet(table, featureSetFromPlan(plan, table), trainRows, plan);
}

/** The feature plan a feature set implies: its source columns, and every other column dropped with the reason. */
export function planFromFeatureSet(table: DataTable, set: FeatureSet, target: string, task: TaskKind): FeaturePlan {
  const used = new Set(set.features.flatMap((def) => ('column2' in def ? [def.column, def.column2] : [def.column])));
  const features = table.columns.filter((c) => used.has(c.name)).map((c) => c.name);
  const dropped = table.columns
    .filter((c) => c.name !== target && !used.has(c.name))
    .map((c) => ({ column: c.name, reason: `is not in feature set "${set.name}" v${set.version}` }));
  return { target, task, features, dropped };
}
