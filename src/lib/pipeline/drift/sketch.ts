// Reference sketches: a table's numeric columns as sorted (seeded-sampled) values, its category columns as level counts, each with its noise bar at the largest draw; and their JSON form.
import { AppError } from '../errors.ts';
import { getColumn, isStringColumn } from '../table.ts';
import type { Column, DataTable } from '../types.ts';
import { sketchNoise } from './noise.ts';
import { standardDeviation, STD_FLOOR } from './numeric.ts';
import { DriftRandom } from './random.ts';
import { sortedFinite } from './sort.ts';
import type { CategorySketch, ColumnSketch, NumericSketch, ReferenceSketch, SketchNoise } from './types.ts';

/** Rows whose numeric values a sketch keeps; a seeded sample without replacement beyond. */
export const SKETCH_MAX_ROWS = 100_000;
export const SKETCH_SEED = 42;

export interface SketchOptions {
  maxRows?: number;
  seed?: number;
  /** Only these columns (default every column); an unknown name is AppError 'unknown-column'. */
  columns?: readonly string[];
}

/** `k` distinct row indices of `n`, ascending, drawn with a seeded partial Fisher–Yates shuffle. */
export function sampleRows(n: number, k: number, seed: number): Int32Array {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  const random = new DriftRandom(seed);
  for (let i = 0; i < k; i++) {
    const j = i + random.below(n - i);
    const t = rows[i] as number;
    rows[i] = rows[j] as number;
    rows[j] = t;
  }
  return rows.slice(0, k).sort();
}

/** How many cells hold each level of a string column, and how many are missing. */
export function levelCounts(codes: Int32Array, levelCount: number): { counts: number[]; missing: number } {
  const counts = new Array<number>(levelCount).fill(0);
  let missing = 0;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i] as number;
    if (code < 0) missing++;
    else counts[code] = (counts[code] as number) + 1;
  }
  return { counts, missing };
}

/** The sketch of one column: sorted non-missing values of `rows` (all rows when null), or level counts over all rows. */
export function sketchColumn(column: Column, rows: Int32Array | null): ColumnSketch {
  if (isStringColumn(column)) {
    const { counts, missing } = levelCounts(column.codes, column.levels.length);
    const kept = column.levels.map((_, k) => k).filter((k) => (counts[k] as number) > 0);
    return { name: column.name, kind: 'category', type: column.type, missing, levels: kept.map((k) => column.levels[k] as string), counts: kept.map((k) => counts[k] as number) };
  }
  let missing = 0;
  for (let i = 0; i < column.values.length; i++) if (Number.isNaN(column.values[i])) missing++;
  let source: ArrayLike<number> = column.values;
  if (rows) {
    const picked = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) picked[i] = column.values[rows[i] as number] as number;
    source = picked;
  }
  return { name: column.name, kind: 'number', type: column.type, missing, values: sortedFinite(source) };
}

/**
 * Sketches a table: numeric columns (number, integer, date as epoch ms, boolean 0/1) keep the non-missing values of
 * at most `maxRows` rows (a seeded sample without replacement beyond), sorted; category and text columns keep the
 * count of every level over all rows. Missing counts are over all rows.
 */
export function sketchTable(table: DataTable, options: SketchOptions = {}): ReferenceSketch {
  const maxRows = options.maxRows ?? SKETCH_MAX_ROWS;
  const seed = options.seed ?? SKETCH_SEED;
  if (!(maxRows >= 1)) throw new AppError('bad-argument', `sketch: maxRows must be at least 1; got ${maxRows}`);
  const columns = options.columns ? options.columns.map((name) => getColumn(table, name)) : table.columns;
  const rows = table.rowCount > maxRows ? sampleRows(table.rowCount, maxRows, seed) : null;
  // Each column's noise bar at the largest draw, made once here (the column's position is its stream, as compareWithSketch draws).
  const sketches = columns.map((c, position) => withNoise(sketchColumn(c, rows), position, seed));
  return { format: 'millrace.sketch/1', rows: table.rowCount, sampledRows: rows ? rows.length : table.rowCount, seed, columns: sketches };
}

/** A column sketch with its noise bar at the largest draw (none when it has fewer than two values or levels, or the bar is not finite: infinite values). */
function withNoise(sketch: ColumnSketch, position: number, seed: number): ColumnSketch {
  let noise: SketchNoise | null = null;
  if (sketch.kind === 'number' && sketch.values.length >= 2) {
    const std = standardDeviation(sketch.values);
    noise = sketchNoise({ kind: 'number', values: sketch.values, norm: std > 0 ? std : STD_FLOOR }, position, seed);
  } else if (sketch.kind === 'category' && sketch.counts.length >= 2) noise = sketchNoise({ kind: 'category', counts: sketch.counts }, position, seed);
  return noise && Number.isFinite(noise.p95) ? { ...sketch, noise } : sketch;
}

/**
 * Sketches one plain list as a one-column reference (e.g. a model's predictions on its test rows, or its labels):
 * numbers (NaN missing) or labels (null missing).
 */
export function sketchValues(name: string, values: ArrayLike<number> | readonly (string | null)[], options: Omit<SketchOptions, 'columns'> = {}): ReferenceSketch {
  const n = values.length;
  let column: Column;
  if (n > 0 && Array.from({ length: Math.min(n, 1000) }, (_, i) => values[i]).some((v) => typeof v === 'string')) {
    const index = new Map<string, number>();
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = values[i] as string | null;
      if (v === null || v === undefined) codes[i] = -1;
      else {
        let code = index.get(v);
        if (code === undefined) index.set(v, (code = index.size));
        codes[i] = code;
      }
    }
    column = { name, type: 'category', codes, levels: [...index.keys()] };
  } else column = { name, type: 'number', values: Float64Array.from(values as ArrayLike<number>, (v) => (typeof v === 'number' ? v : NaN)) };
  return sketchTable({ rowCount: n, columns: [column] }, options);
}

const encodeNumber = (v: number) => (Number.isFinite(v) ? v : String(v));

/** A sketch as plain JSON (numeric values as a list; ±Infinity as strings). */
export function sketchToJson(sketch: ReferenceSketch): unknown {
  return { ...sketch, columns: sketch.columns.map((c) => (c.kind === 'number' ? { ...c, values: Array.from(c.values, encodeNumber) } : { ...c })) };
}

function bad(path: string, what: string): AppError {
  return new AppError('bad-argument', `sketch: ${path} ${what}`);
}

function count(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw bad(path, `is not a count (${JSON.stringify(value)})`);
  return value;
}

/** A stored noise bar, checked; absent stays absent (it is then drawn at comparison). */
function noiseFromJson(value: unknown, where: string): { noise?: SketchNoise } {
  if (value === undefined) return {};
  const n = value as Record<string, unknown> | null;
  if (!n || typeof n !== 'object' || typeof n.p95 !== 'number' || !(n.p95 >= 0)) throw bad(`${where}.noise`, `is not a noise bar (${JSON.stringify(value)})`);
  return { noise: { draw: count(n.draw, `${where}.noise.draw`), resamples: count(n.resamples, `${where}.noise.resamples`), p95: n.p95 } };
}

function columnFromJson(value: unknown, path: string): ColumnSketch {
  const c = value as Record<string, unknown> | null;
  if (!c || typeof c !== 'object' || typeof c.name !== 'string') throw bad(`${path}.name`, 'is missing');
  const where = `${path} ("${c.name}")`;
  const missing = count(c.missing, `${where}.missing`);
  if (c.kind === 'number') {
    if (!['integer', 'number', 'boolean', 'date'].includes(c.type as string)) throw bad(`${where}.type`, `is not a numeric type (${JSON.stringify(c.type)})`);
    if (!Array.isArray(c.values)) throw bad(`${where}.values`, 'is not a list');
    const values = Float64Array.from(c.values as unknown[], (v, i) => {
      const x = typeof v === 'string' && (v === 'Infinity' || v === '-Infinity') ? Number(v) : v;
      if (typeof x !== 'number' || Number.isNaN(x)) throw bad(`${where}.values[${i}]`, `is not a number (${JSON.stringify(v)})`);
      return x;
    });
    for (let i = 1; i < values.length; i++) if ((values[i] as number) < (values[i - 1] as number)) throw bad(`${where}.values`, `is not ascending at ${i}`);
    return { name: c.name, kind: 'number', type: c.type as NumericSketch['type'], missing, values, ...noiseFromJson(c.noise, where) };
  }
  if (c.kind === 'category') {
    if (c.type !== 'category' && c.type !== 'text') throw bad(`${where}.type`, `is not category or text (${JSON.stringify(c.type)})`);
    if (!Array.isArray(c.levels) || !c.levels.every((l) => typeof l === 'string')) throw bad(`${where}.levels`, 'is not a list of strings');
    if (!Array.isArray(c.counts) || c.counts.length !== c.levels.length) throw bad(`${where}.counts`, 'is not a list as long as levels');
    const counts = (c.counts as unknown[]).map((v, i) => count(v, `${where}.counts[${i}]`));
    return { name: c.name, kind: 'category', type: c.type, missing, levels: [...(c.levels as string[])], counts, ...noiseFromJson(c.noise, where) } satisfies CategorySketch;
  }
  throw bad(`${where}.kind`, `is not "number" or "category" (${JSON.stringify(c.kind)})`);
}

/** Reads a sketch written by sketchToJson; anything else is AppError 'bad-argument' naming the first bad field. */
export function sketchFromJson(value: unknown): ReferenceSketch {
  const s = value as Record<string, unknown> | null;
  if (!s || typeof s !== 'object' || s.format !== 'millrace.sketch/1') throw bad('format', `is not "millrace.sketch/1" (${JSON.stringify(s && typeof s === 'object' ? s.format : s)})`);
  if (!Array.isArray(s.columns)) throw bad('columns', 'is not a list');
  const seed = typeof s.seed === 'number' ? s.seed : SKETCH_SEED;
  return { format: 'millrace.sketch/1', rows: count(s.rows, 'rows'), sampledRows: count(s.sampledRows, 'sampledRows'), seed, columns: s.columns.map((c, i) => columnFromJson(c, `columns[${i}]`)) };
}
