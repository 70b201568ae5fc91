// predict.mjs, part 3: the fitted transforms (transforms.json) turning a table into the model's input matrix.
import { datesOf, DAY_MS, getColumn, numbersOf, textsOf } from './table.mjs';

const WORD_RE = /[\p{L}\p{N}]+/gu;

const signedLog1p = (v) => (v < 0 ? -Math.log1p(-v) : Math.log1p(v));

function datePart(ms, part, reference) {
  if (ms !== ms) return NaN;
  if (part === 'daysSince') return (ms - reference) / DAY_MS;
  const date = new Date(ms);
  if (part === 'year') return date.getUTCFullYear();
  if (part === 'month') return date.getUTCMonth() + 1;
  if (part === 'hour') return date.getUTCHours();
  return (date.getUTCDay() + 6) % 7;
}

function bucketOf(v, edges) {
  let [lo, hi] = [0, edges.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

function hashText(text, f, out, offset) {
  const source = f.lowercase ? text.toLowerCase() : text;
  const units = f.tokens === 'word' ? (source.match(WORD_RE) ?? []) : Array.from(source);
  const glue = f.tokens === 'word' ? ' ' : '';
  const counts = new Map();
  for (let n = f.ngrams[0]; n <= f.ngrams[1]; n++) {
    for (let i = 0; i + n <= units.length; i++) {
      const slot = fnv1a(units.slice(i, i + n).join(glue)) % f.width;
      counts.set(slot, (counts.get(slot) ?? 0) + 1);
    }
  }
  for (const [slot, count] of counts) out[offset + slot] = Math.log1p(count);
}

/** The single value a standardized kind computes from the raw columns, before imputation and scaling. */
function derived(table, f) {
  const value = numbersOf(getColumn(table, f.column));
  if (f.kind === 'log1p') return value.map(signedLog1p);
  if (f.kind === 'clip') return value.map((v) => (v < f.lower ? f.lower : v > f.upper ? f.upper : v));
  if (f.kind === 'ratio' || f.kind === 'difference') {
    const other = numbersOf(getColumn(table, f.column2));
    if (f.kind === 'difference') return value.map((v, i) => v - other[i]);
    return value.map((v, i) => ((r) => (Number.isFinite(r) ? r : NaN))(v / other[i]));
  }
  return value;
}

/** How many matrix columns a fitted feature writes. */
export function featureWidth(f) {
  if (f.kind === 'onehot') return f.levels.length + (f.other ? 1 : 0);
  if (f.kind === 'bucketize') return f.edges.length + 1;
  if (f.kind === 'dateparts') return f.parts.length;
  if (f.kind === 'hash') return f.width;
  return 1;
}

const FEATURE_KINDS = new Set(['numeric', 'onehot', 'minmax', 'log1p', 'clip', 'bucketize', 'ordinal', 'dateparts', 'hash', 'ratio', 'difference']);

/** Refuses a transforms.json this module cannot apply, naming the feature. */
export function checkTransforms(bundle) {
  if (bundle.format !== 'millrace.transforms/1') throw new Error(`transforms.json: format ${JSON.stringify(bundle.format)} is not millrace.transforms/1`);
  let width = 0;
  for (const f of bundle.features) {
    if (!FEATURE_KINDS.has(f.kind)) throw new Error(`transforms.json: feature "${f.name ?? f.column}" has the unknown kind "${f.kind}"; this bundle needs a newer predict.mjs`);
    width += featureWidth(f);
  }
  if (width !== bundle.width) throw new Error(`transforms.json says width ${bundle.width} but its features make ${width}`);
}

/** The bundle with every fitted median NaN (bucketize keeps its own), so that a missing value stays NaN: a tree model's transforms (keepMissing). */
function withoutImputation(bundle) {
  const features = bundle.features.map((f) => {
    if (f.kind === 'dateparts') return { ...f, stats: f.stats.map((s) => ({ ...s, median: NaN })) };
    return 'median' in f && f.kind !== 'bucketize' ? { ...f, median: NaN } : f;
  });
  return { ...bundle, features };
}

/** The model's input matrix for every row of the table (row-major, rows × bundle.width, float32). */
export function applyTransforms(table, given) {
  const bundle = given.keepMissing ? withoutImputation(given) : given;
  const n = table.rowCount;
  const width = bundle.width;
  const out = new Float32Array(n * width);
  const standardized = (values, s, offset) => {
    for (let i = 0; i < n; i++) {
      const v = values[i];
      out[i * width + offset] = ((v === v ? v : s.median) - s.mean) / s.std;
    }
  };
  let offset = 0;
  for (const f of bundle.features) {
    if (f.kind === 'numeric' || f.kind === 'log1p' || f.kind === 'clip' || f.kind === 'ratio' || f.kind === 'difference') {
      standardized(derived(table, f), f, offset);
    } else if (f.kind === 'minmax') {
      const values = numbersOf(getColumn(table, f.column));
      const span = f.max - f.min || 1;
      for (let i = 0; i < n; i++) out[i * width + offset] = ((values[i] === values[i] ? values[i] : f.median) - f.min) / span;
    } else if (f.kind === 'onehot') {
      const texts = textsOf(getColumn(table, f.column));
      const slotOf = new Map(f.levels.map((level, k) => [level, k]));
      const other = f.other ? f.levels.length : -1;
      for (let i = 0; i < n; i++) {
        if (texts[i] === null) continue;
        const slot = slotOf.get(texts[i]) ?? other;
        if (slot >= 0) out[i * width + offset + slot] = 1;
      }
    } else if (f.kind === 'bucketize') {
      const values = numbersOf(getColumn(table, f.column));
      const fallback = bucketOf(f.median, f.edges);
      for (let i = 0; i < n; i++) out[i * width + offset + (values[i] === values[i] ? bucketOf(values[i], f.edges) : fallback)] = 1;
    } else if (f.kind === 'ordinal') {
      const rank = new Map(f.levels.map((level, k) => [level, k]));
      standardized(textsOf(getColumn(table, f.column)).map((t) => (t === null ? NaN : (rank.get(t) ?? NaN))), f, offset);
    } else if (f.kind === 'dateparts') {
      const dates = datesOf(getColumn(table, f.column));
      f.parts.forEach((part, p) => {
        if (!f.stats[p]) throw new Error(`transforms.json: feature "${f.name}" has no statistics for date part ${part}`);
        standardized(dates.map((ms) => datePart(ms, part, f.reference)), f.stats[p], offset + p);
      });
    } else if (f.kind === 'hash') {
      const texts = textsOf(getColumn(table, f.column));
      for (let i = 0; i < n; i++) if (texts[i] !== null) hashText(texts[i], f, out, i * width + offset);
    }
    offset += featureWidth(f);
  }
  return out;
}
