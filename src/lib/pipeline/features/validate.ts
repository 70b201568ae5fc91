// Checks feature sets: the JSON shape (parseFeatureSet) and the fit against a table (checkFeatureSet).
import { AppError } from '../errors.ts';
import { isStringColumn } from '../table.ts';
import type { Column, DataTable, DatePart } from '../types.ts';
import { dateValue, levelsAreNumeric } from './columns.ts';
import { FEATURE_TRANSFORMS, type FeatureDef, type FeatureSet } from './types.ts';

const DATE_PARTS: readonly DatePart[] = ['year', 'month', 'dayOfWeek', 'hour', 'daysSince'];
/** Most hashed slots a feature can have. */
export const MAX_HASH_WIDTH = 1 << 16;
const NUMERIC_TRANSFORMS = new Set(['standardize', 'minmax', 'log1p', 'clip', 'bucketize', 'ratio', 'difference']);

const bad = (message: string, column?: string) => new AppError('bad-argument', message, column ? { column } : {});
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function checkParams(def: FeatureDef, where: string): void {
  const p = (def.params ?? {}) as Record<string, unknown>;
  if (!isObject(p)) throw bad(`${where}: "params" must be an object`);
  switch (def.transform) {
    case 'clip': {
      if (p.lower !== undefined && !isNumber(p.lower)) throw bad(`${where}: "lower" must be a number`);
      if (p.upper !== undefined && !isNumber(p.upper)) throw bad(`${where}: "upper" must be a number`);
      if (isNumber(p.lower) && isNumber(p.upper) && p.lower >= p.upper) throw bad(`${where}: "lower" must be below "upper"`);
      const q = p.quantiles;
      if (q !== undefined && !(Array.isArray(q) && q.length === 2 && q.every((x) => isNumber(x) && x >= 0 && x <= 1) && q[0] < q[1])) {
        throw bad(`${where}: "quantiles" must be two increasing numbers between 0 and 1, e.g. [0.01, 0.99]`);
      }
      return;
    }
    case 'bucketize': {
      const e = p.edges;
      if (e !== undefined && !(Array.isArray(e) && e.length > 0 && e.every((x, i) => isNumber(x) && (i === 0 || x > (e[i - 1] as number))))) {
        throw bad(`${where}: "edges" must be a non-empty list of increasing numbers`);
      }
      if (p.bins !== undefined && !(Number.isInteger(p.bins) && (p.bins as number) >= 2 && (p.bins as number) <= 1000)) {
        throw bad(`${where}: "bins" must be a whole number from 2 to 1000`);
      }
      return;
    }
    case 'onehot':
      if (p.minCount !== undefined && !(Number.isInteger(p.minCount) && (p.minCount as number) >= 1)) {
        throw bad(`${where}: "minCount" must be a whole number of at least 1`);
      }
      if (p.maxLevels !== undefined && !(Number.isInteger(p.maxLevels) && (p.maxLevels as number) >= 1)) {
        throw bad(`${where}: "maxLevels" must be a whole number of at least 1`);
      }
      if (p.unseenSlot !== undefined && typeof p.unseenSlot !== 'boolean') throw bad(`${where}: "unseenSlot" must be true or false`);
      return;
    case 'ordinal':
      if (p.order !== undefined && !(Array.isArray(p.order) && p.order.length > 0 && p.order.every((x) => typeof x === 'string'))) {
        throw bad(`${where}: "order" must be a non-empty list of strings`);
      }
      if (Array.isArray(p.order) && new Set(p.order).size !== p.order.length) throw bad(`${where}: "order" lists a level twice`);
      return;
    case 'dateparts': {
      const parts = p.parts;
      if (!(Array.isArray(parts) && parts.length > 0 && parts.every((x) => DATE_PARTS.includes(x as DatePart)))) {
        throw bad(`${where}: "parts" must list some of ${DATE_PARTS.join(', ')}`);
      }
      if (new Set(parts).size !== parts.length) throw bad(`${where}: "parts" lists a part twice`);
      if (p.reference !== undefined && (typeof p.reference !== 'string' || Number.isNaN(Date.parse(p.reference)))) {
        throw bad(`${where}: "reference" must be an ISO date such as "2020-01-01"`);
      }
      return;
    }
    case 'hash': {
      if (!(Number.isInteger(p.width) && (p.width as number) >= 1 && (p.width as number) <= MAX_HASH_WIDTH)) {
        throw bad(`${where}: "width" must be a whole number from 1 to ${MAX_HASH_WIDTH}`);
      }
      if (p.tokens !== undefined && p.tokens !== 'word' && p.tokens !== 'char') throw bad(`${where}: "tokens" must be "word" or "char"`);
      const n = p.ngrams;
      if (n !== undefined && !(Array.isArray(n) && n.length === 2 && n.every((x) => Number.isInteger(x) && x >= 1 && x <= 8) && n[0] <= n[1])) {
        throw bad(`${where}: "ngrams" must be [min, max] with 1 ≤ min ≤ max ≤ 8`);
      }
      if (p.lowercase !== undefined && typeof p.lowercase !== 'boolean') throw bad(`${where}: "lowercase" must be true or false`);
      return;
    }
    default:
      return;
  }
}

/**
 * Reads a feature set from parsed JSON and checks its shape: a name, a version (0 only with `unsaved`: an edited
 * set run without saving it), and features with unique names, a known transform, a source column (two for ratio/difference) and valid params.
 */
export function parseFeatureSet(json: unknown, source = 'the feature set', options: { unsaved?: boolean } = {}): FeatureSet {
  if (!isObject(json)) throw bad(`${source} must be a JSON object with "name", "version" and "features"`);
  if (typeof json.name !== 'string' || !json.name) throw bad(`${source} needs a "name"`);
  // A pipeline spec may carry an edited set that was never saved: version 0.
  const least = options.unsaved ? 0 : 1;
  if (!(Number.isInteger(json.version) && (json.version as number) >= least)) throw bad(`${source} needs a whole "version" of at least ${least}`);
  if (!Array.isArray(json.features) || json.features.length === 0) throw bad(`${source} needs a non-empty "features" list`);
  const names = new Set<string>();
  json.features.forEach((raw: unknown, i: number) => {
    if (!isObject(raw)) throw bad(`${source}: feature ${i + 1} must be an object`);
    const name = typeof raw.name === 'string' && raw.name ? raw.name : '';
    if (!name) throw bad(`${source}: feature ${i + 1} needs a "name"`);
    const where = `Feature "${name}"`;
    if (names.has(name)) throw bad(`${where} is defined twice`);
    names.add(name);
    if (typeof raw.column !== 'string' || !raw.column) throw bad(`${where} needs a source "column"`);
    if (!(FEATURE_TRANSFORMS as readonly unknown[]).includes(raw.transform)) {
      throw bad(`${where}: unknown transform "${String(raw.transform)}"; the transforms are ${FEATURE_TRANSFORMS.join(', ')}`);
    }
    const two = raw.transform === 'ratio' || raw.transform === 'difference';
    if (two && (typeof raw.column2 !== 'string' || !raw.column2)) throw bad(`${where}: ${raw.transform} needs a second column "column2"`);
    if ((raw.transform === 'dateparts' || raw.transform === 'hash') && !isObject(raw.params)) {
      throw bad(`${where}: ${raw.transform} needs "params"`);
    }
    checkParams(raw as unknown as FeatureDef, where);
  });
  return json as unknown as FeatureSet;
}

function columnOf(table: DataTable, def: FeatureDef, name: string): Column {
  const column = table.columns.find((c) => c.name === name);
  if (column) return column;
  const names = table.columns.map((c) => `"${c.name}"`).join(', ');
  throw new AppError('unknown-column', `Feature "${def.name}": unknown column "${name}"; the columns are ${names}`, { column: name });
}

function hasDates(column: Column, rows: Int32Array): boolean {
  if (!isStringColumn(column)) return column.type === 'date';
  const value = dateValue(column);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as number;
    if ((column.codes[row] ?? -1) >= 0 && Number.isNaN(value(row))) return false;
  }
  return true;
}

/**
 * Checks a feature set against a table: every source column exists, is not the target, and has the type
 * its transform needs (numbers, dates, text) on `rows`. Errors name the feature and the column.
 */
export function checkFeatureSet(table: DataTable, set: FeatureSet, target: string, rows: Int32Array): void {
  for (const def of set.features) {
    const sources = def.transform === 'ratio' || def.transform === 'difference' ? [def.column, def.column2] : [def.column];
    for (const name of sources) {
      const column = columnOf(table, def, name);
      if (name === target) throw bad(`Feature "${def.name}": column "${name}" is the target and cannot be a feature`, name);
      if (NUMERIC_TRANSFORMS.has(def.transform) && !levelsAreNumeric(column, rows)) {
        throw new AppError('type-conversion', `Feature "${def.name}": column "${name}" is not numeric`, { column: name });
      }
      if (def.transform === 'dateparts' && !hasDates(column, rows)) {
        throw new AppError('type-conversion', `Feature "${def.name}": column "${name}" is not a date`, { column: name });
      }
      if (def.transform === 'hash' && !isStringColumn(column)) {
        throw new AppError('type-conversion', `Feature "${def.name}": column "${name}" is not text`, { column: name });
      }
    }
  }
}
