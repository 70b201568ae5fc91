// A batch against a reference sketch (or a table against another): every column's figures, both verdicts and the dataset verdict.
import { AppError } from '../errors.ts';
import { isMissing, isStringColumn } from '../table.ts';
import type { Column, DataTable } from '../types.ts';
import { categoryFigures } from './category.ts';
import { categoryNoise95, noiseScale, NOISE_RESAMPLES, numericNoise95 } from './noise.ts';
import { numericFigures, standardDeviation, STD_FLOOR } from './numeric.ts';
import { levelCounts, sketchTable, SKETCH_SEED } from './sketch.ts';
import { sortedFinite } from './sort.ts';
import type { CategorySketch, ColumnDrift, ColumnSketch, DriftOptions, DriftReport, NumericSketch, ReferenceSketch } from './types.ts';
import { autoMethod, checkOverride, classicVerdict, columnVerdict, P_VALUE, PRACTICAL_THRESHOLD, RELIABLE_MIN_VALUES } from './verdict.ts';

/** Dataset drift when at least this share of the compared columns drifted. */
export const SHARE_THRESHOLD = 0.5;

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

interface Settings {
  practical: number;
  pValue: number;
  resamples: number;
  seed: number;
  /** The reference sketch's own seed: its stored noise bars were drawn with it. */
  sketchSeed: number;
}

/**
 * The noise bar from the one the sketch stored (drawn at its making with the same seed, stream and resamples), scaled to a
 * batch of `m` values against `n`; null when it cannot stand in (none stored, a smaller batch, other settings).
 */
function cachedNoise(sketch: ColumnSketch, m: number, n: number, settings: Settings): number | null {
  const noise = sketch.noise;
  if (!noise || m < noise.draw || noise.resamples !== settings.resamples || settings.seed !== settings.sketchSeed) return null;
  return noise.p95 * noiseScale(m, noise.draw, n);
}

function describe(type: string): string {
  return type === 'category' || type === 'text' ? `a ${type} column` : `a numeric (${type}) column`;
}

/** A column with no figures: missing in the batch, of another type, or without values on one side. */
function unmatched(sketch: ColumnSketch, status: ColumnDrift['status'], drifted: boolean, note: string, base: Pick<ColumnDrift, 'missingReference' | 'missingCurrent' | 'referenceRows' | 'currentRows'>, settings: Settings): ColumnDrift {
  const method = autoMethod(sketch.kind);
  const classic = classicVerdict(sketch.kind, 0, null, { pValue: settings.pValue, practical: settings.practical });
  return { column: sketch.name, kind: sketch.kind, status, drifted, method, value: null, threshold: settings.practical, practical: settings.practical, noise95: null, classic: { ...classic, drifted }, figures: null, ...base, note };
}

/** Category counts of a batch column (a numeric batch column of a category reference never gets here). */
function batchCounts(column: Column & { codes: Int32Array; levels: string[] }): { levels: string[]; counts: number[]; missing: number } {
  return { levels: column.levels, ...levelCounts(column.codes, column.levels.length) };
}

function compareColumn(sketch: ColumnSketch, column: Column | undefined, rows: number, referenceRows: number, position: number, options: DriftOptions, settings: Settings): ColumnDrift {
  const override = checkOverride(sketch.name, sketch.kind, options.columns?.[sketch.name]);
  const practical = override.threshold !== undefined && (!override.method || override.method === 'auto') ? override.threshold : settings.practical;
  const local = { ...settings, practical };
  const missingReference = referenceRows > 0 ? sketch.missing / referenceRows : 0;
  const base = { missingReference, missingCurrent: 1, referenceRows, currentRows: rows };
  if (!column) return unmatched(sketch, 'missing-in-batch', true, `"${sketch.name}" is not in the batch (counted as drifted)`, base, local);
  const isCategory = isStringColumn(column);
  if (isCategory !== (sketch.kind === 'category')) {
    let missing = 0;
    for (let i = 0; i < rows; i++) if (isMissing(column, i)) missing++;
    return unmatched(sketch, 'type-changed', true, `"${sketch.name}" was ${describe(sketch.type)} in the reference and is ${describe(column.type)} in the batch (counted as drifted)`, { ...base, missingCurrent: rows > 0 ? missing / rows : 0 }, local);
  }
  const noiseOptions = { resamples: settings.resamples, seed: settings.seed, stream: position };
  const classicOptions = { pValue: settings.pValue, practical };
  const notes: string[] = [];
  if (sketch.kind === 'number') {
    const current = sortedFinite((column as { values: Float64Array }).values);
    const reference = (sketch as NumericSketch).values;
    base.missingCurrent = rows > 0 ? (rows - current.length) / rows : 0;
    if (reference.length === 0 || current.length === 0) {
      const drifted = reference.length > 0;
      const side = reference.length === 0 ? (current.length === 0 ? 'in the reference and in the batch' : 'in the reference') : 'in the batch';
      return unmatched(sketch, 'all-missing', drifted, `"${sketch.name}" has no values ${side}${drifted ? ' (counted as drifted)' : ''}`, base, local);
    }
    const std = standardDeviation(reference);
    const figures = numericFigures(reference, current, std);
    const noise95 = cachedNoise(sketch, current.length, reference.length, settings) ?? numericNoise95(reference, std > 0 ? std : STD_FLOOR, current.length, noiseOptions);
    if (!(std > 0)) notes.push(`the reference is constant (standard deviation 0): the normed Wasserstein distance divides by ${STD_FLOOR}, Evidently's floor`);
    if (current.length < RELIABLE_MIN_VALUES) notes.push(`only ${plural(current.length, 'value')} in the batch: distances below ${RELIABLE_MIN_VALUES} values are unreliable (the noise bar allows for it)`);
    const numbers = { psi: figures.psi, ks: figures.ks, ksP: figures.ksP, wasserstein: figures.wasserstein, wassersteinNormed: figures.wassersteinNormed, jensenShannon: figures.jensenShannon };
    const verdict = columnVerdict({ kind: 'number', figures: numbers, noise95, practical, pValue: settings.pValue, override });
    const classic = classicVerdict('number', reference.length, numbers, classicOptions);
    return { column: sketch.name, kind: 'number', status: 'compared', ...verdict, noise95, classic, figures: numbers, ...base, ...(notes.length ? { note: notes.join('; ') } : {}) };
  }
  const reference = sketch as CategorySketch;
  const current = batchCounts(column as Column & { codes: Int32Array; levels: string[] });
  base.missingCurrent = rows > 0 ? current.missing / rows : 0;
  const referenceValues = reference.counts.reduce((a, b) => a + b, 0);
  const currentValues = rows - current.missing;
  if (referenceValues === 0 || currentValues === 0) {
    const drifted = referenceValues > 0;
    const side = referenceValues === 0 ? (currentValues === 0 ? 'in the reference and in the batch' : 'in the reference') : 'in the batch';
    return unmatched(sketch, 'all-missing', drifted, `"${sketch.name}" has no values ${side}${drifted ? ' (counted as drifted)' : ''}`, base, local);
  }
  const all = categoryFigures(reference, current);
  const figures = { psi: all.psi, chi2: all.chi2, chi2P: all.chi2P, jensenShannon: all.jensenShannon, newCategories: all.newCategories, vanishedCategories: all.vanishedCategories };
  const referenceCounts = all.referenceCounts;
  const noise95 = cachedNoise(sketch, currentValues, referenceValues, settings) ?? categoryNoise95(referenceCounts.filter((c) => c > 0), currentValues, noiseOptions);
  if (currentValues < RELIABLE_MIN_VALUES) notes.push(`only ${plural(currentValues, 'value')} in the batch: distances below ${RELIABLE_MIN_VALUES} values are unreliable (the noise bar allows for it)`);
  const verdict = columnVerdict({ kind: 'category', figures, noise95, practical, pValue: settings.pValue, override });
  const classic = classicVerdict('category', referenceValues, figures, classicOptions);
  return { column: sketch.name, kind: 'category', status: 'compared', ...verdict, noise95, classic, figures, ...base, ...(notes.length ? { note: notes.join('; ') } : {}) };
}

/**
 * Compares a batch with a reference sketch: every column of the reference (or `options.only`), each with its figures,
 * the one rule's verdict (or the person's method) and Evidently's classic one. A reference column the batch lacks or
 * holds with another kind of type counts as drifted and is marked; so is a column with no values in the batch (not
 * drifted when the reference has none either). A batch without rows is AppError 'bad-argument' (nothing to compare: a
 * report would read as "no drift"); `only` naming a column the reference lacks is AppError 'unknown-column'.
 */
export function compareWithSketch(reference: ReferenceSketch, current: DataTable, options: DriftOptions = {}): DriftReport {
  const settings: Settings = {
    practical: options.practicalThreshold ?? PRACTICAL_THRESHOLD,
    pValue: options.pValue ?? P_VALUE,
    resamples: options.resamples ?? NOISE_RESAMPLES,
    seed: options.seed ?? reference.seed ?? SKETCH_SEED,
    sketchSeed: reference.seed ?? SKETCH_SEED,
  };
  const shareThreshold = options.shareThreshold ?? SHARE_THRESHOLD;
  if (!(settings.practical > 0)) throw new AppError('bad-argument', `The practical threshold must be above 0; got ${settings.practical}`);
  if (!(settings.pValue > 0 && settings.pValue < 1)) throw new AppError('bad-argument', `The p-value bar must be between 0 and 1; got ${settings.pValue}`);
  if (!(Number.isInteger(settings.resamples) && settings.resamples >= 1)) throw new AppError('bad-argument', `Resamples must be a whole number of at least 1; got ${settings.resamples}`);
  if (current.rowCount === 0) throw new AppError('bad-argument', 'The batch has no rows: nothing to compare with the reference');
  const byName = new Map(reference.columns.map((c) => [c.name, c]));
  const unknown = (options.only ?? []).filter((name) => !byName.has(name));
  if (unknown.length) throw new AppError('unknown-column', `The reference has no column ${unknown.map((n) => `"${n}"`).join(', ')}; it has ${reference.columns.map((c) => `"${c.name}"`).join(', ')}`, { column: unknown[0] as string });
  const sketches = options.only ? options.only.map((name) => byName.get(name) as ColumnSketch) : reference.columns;
  const batch = new Map(current.columns.map((c) => [c.name, c]));
  const columns = sketches.map((sketch) => compareColumn(sketch, batch.get(sketch.name), current.rowCount, reference.rows, reference.columns.indexOf(sketch), options, settings));
  const drifted = columns.filter((c) => c.drifted).length;
  const driftShare = columns.length ? drifted / columns.length : 0;
  return {
    format: 'millrace.drift/1',
    datasetDrift: columns.length > 0 && driftShare >= shareThreshold,
    driftShare,
    shareThreshold,
    referenceRows: reference.rows,
    currentRows: current.rowCount,
    columns,
    extraColumns: current.columns.map((c) => c.name).filter((name) => !byName.has(name)),
  };
}

/** Compares two tables: the reference is sketched first (sketchTable's defaults: 100,000 sampled rows, seed 42). */
export function compareTables(reference: DataTable, current: DataTable, options: DriftOptions = {}): DriftReport {
  const sketch = sketchTable(reference, { ...(options.only ? { columns: options.only } : {}), ...(options.seed !== undefined ? { seed: options.seed } : {}) });
  return compareWithSketch(sketch, current, options);
}
