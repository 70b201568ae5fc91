// predict.mjs, part 2: the model's recipe steps (recipe.json), applied to a table exactly as Millrace applies them.
import { detectDateFormat, numberText, NUMERIC_TYPES, parseBoolean, parseDateAs, parseNumber, parseScalar } from './table.mjs';

const stepColumns = (step) => ('columns' in step ? (step.columns ?? []) : 'column' in step ? [step.column] : []);
const isNumericColumn = (column) => NUMERIC_TYPES.has(column.type);
const present = (values) => values.filter((v) => v === v && v !== null);
const byNumber = (a, b) => a - b;
const byText = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/** Refuses, before any data is read, the steps this module cannot run: filters (Arquero expressions) and salted hashes. */
export function checkSteps(steps) {
  steps.forEach((step, i) => {
    const where = `Step ${i + 1} (${step.kind}) of the model's recipe`;
    if (step.kind === 'hash') throw new Error(`${where} hashes "${step.column}" with the salt of the workspace the model was trained in, which is not in the bundle; predict.mjs cannot reproduce it (score this model in Millrace)`);
    if (step.kind === 'filter') throw new Error(`${where} is an Arquero expression (${step.expression}), which predict.mjs does not evaluate (score this model in Millrace)`);
    if (!STEP_KINDS.has(step.kind)) throw new Error(`${where}: unknown step kind "${step.kind}"; this bundle needs a newer predict.mjs`);
  });
}

/** The steps as they apply to data without the target: the target is taken out, steps naming only it skipped. */
export function stepsForScoring(steps, table, target) {
  const names = new Set(table.columns.map((c) => c.name));
  const out = [];
  steps.forEach((step, i) => {
    const named = stepColumns(step);
    const missing = named.filter((name) => !names.has(name) && name !== target);
    if (missing.length > 0) throw new Error(`The data has no column "${missing[0]}", which step ${i + 1} (${step.kind}) of the model's recipe needs`);
    if (names.has(target) || !named.includes(target)) out.push(step);
    else if ('columns' in step && named.length > 1) out.push({ ...step, columns: named.filter((name) => name !== target) });
  });
  return out;
}

function column(table, name) {
  return table.columns.find((c) => c.name === name);
}

function replaceColumn(table, next) {
  return { ...table, columns: table.columns.map((c) => (c.name === next.name ? next : c)) };
}

function keepRows(table, keep) {
  return { rowCount: keep.filter(Boolean).length, columns: table.columns.map((c) => ({ ...c, values: c.values.filter((_, i) => keep[i]) })) };
}

function median(sorted) {
  const n = sorted.length;
  return n === 0 ? 0 : n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

function quantile(sorted, q) {
  const pos = Math.min(1, Math.max(0, q)) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function statistic(values, method) {
  const sorted = present(values).sort(byNumber);
  if (sorted.length === 0) return NaN;
  if (method === 'mean') return present(values).reduce((a, b) => a + b, 0) / sorted.length;
  if (method === 'median') return median(sorted);
  let [best, bestRun] = [sorted[0], 0];
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    if (j - i > bestRun) [best, bestRun] = [sorted[i], j - i];
    i = j;
  }
  return best;
}

function modeText(values) {
  const counts = new Map();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = null;
  for (const [level, count] of counts) {
    const top = best === null ? 0 : counts.get(best);
    if (count > top || (count === top && byText(level, best) < 0)) best = level;
  }
  return best;
}

function impute(table, step) {
  let out = table;
  for (const name of step.columns) {
    const c = column(out, name);
    const missing = c.values.some((v) => v === null || v !== v);
    if (!missing) continue;
    const given = step.method === 'constant' ? step.value : step.fitted?.[name];
    if (!isNumericColumn(c)) {
      const fill = given !== undefined ? String(given) : step.method === 'mode' ? modeText(c.values) : null;
      if (given === undefined && step.method !== 'mode') throw new Error(`Step impute: the ${step.method} needs a numeric column; "${name}" is ${c.type}`);
      if (fill !== null) out = replaceColumn(out, { ...c, values: c.values.map((v) => v ?? fill) });
      continue;
    }
    let fill = given !== undefined ? (typeof given === 'number' ? given : parseScalar(given.trim())) : statistic(c.values, step.method);
    if (given === undefined && (c.type === 'boolean' || c.type === 'date')) fill = Math.round(fill);
    if (fill !== fill) continue;
    const type = c.type === 'integer' && !Number.isInteger(fill) ? 'number' : c.type;
    out = replaceColumn(out, { ...c, type, values: c.values.map((v) => (v !== v ? fill : v)) });
  }
  return out;
}

function replace(table, step) {
  let out = table;
  const from = new Set(step.from);
  for (const name of step.columns) {
    const c = column(out, name);
    if (!isNumericColumn(c)) {
      const to = step.to === null ? null : String(step.to);
      out = replaceColumn(out, { ...c, values: c.values.map((v) => (v !== null && from.has(v) ? to : v)) });
      continue;
    }
    const targets = step.from.map((text) => parseScalar(text.trim())).filter((v) => v === v && from.has(numberText(c.type, v)));
    if (targets.length === 0) continue;
    const to = step.to === null ? NaN : typeof step.to === 'number' ? step.to : parseScalar(step.to.trim());
    const type = c.type === 'integer' && to === to && !Number.isInteger(to) ? 'number' : c.type;
    out = replaceColumn(out, { ...c, type, values: c.values.map((v) => (targets.includes(v) ? to : v)) });
  }
  return out;
}

function normalizeText(table, step) {
  let out = table;
  for (const name of step.columns) {
    const c = column(out, name);
    if (isNumericColumn(c)) throw new Error(`Step normalize-text: column "${name}" is ${c.type}; normalize-text changes text or category columns`);
    const values = c.values.map((v) => {
      if (v === null) return null;
      let text = step.trim !== false ? v.trim() : v;
      if (step.case === 'lower') text = text.toLowerCase();
      else if (step.case === 'upper') text = text.toUpperCase();
      return text === '' ? null : text;
    });
    out = replaceColumn(out, { ...c, values });
  }
  return out;
}

function readTexts(c, type, format) {
  const parse = type === 'boolean' ? parseBoolean : type === 'integer' ? (t) => ((n) => (Number.isSafeInteger(n) ? n : NaN))(parseNumber(t)) : type === 'number' ? parseNumber : (t) => parseDateAs(t, format);
  return { name: c.name, type, values: c.values.map((v) => (v === null || v.trim() === '' ? NaN : parse(v.trim()))) };
}

function dateFormatOf(texts) {
  const levels = [...new Set(texts.filter((t) => t !== null).map((t) => t.trim()).filter((t) => t !== ''))];
  return detectDateFormat(levels) ?? detectDateFormat(levels.slice(0, 1)) ?? 'yyyy-mm-dd';
}

function cast(table, step) {
  const c = column(table, step.column);
  if (c.type === step.type) return table;
  if (step.type === 'category' || step.type === 'text') {
    const values = isNumericColumn(c) ? c.values.map((v) => (v !== v ? null : numberText(c.type, v))) : c.values;
    return replaceColumn(table, { name: c.name, type: step.type, values });
  }
  if (!isNumericColumn(c)) return replaceColumn(table, readTexts(c, step.type, step.type === 'date' ? dateFormatOf(c.values) : ''));
  if (step.type === 'date') {
    const texts = c.values.map((v) => (v !== v ? null : numberText(c.type, v)));
    return replaceColumn(table, readTexts({ ...c, values: texts }, 'date', dateFormatOf(texts)));
  }
  const ok = (v) => (step.type === 'integer' ? Number.isSafeInteger(v) : step.type === 'boolean' ? v === 0 || v === 1 : true);
  return replaceColumn(table, { name: c.name, type: step.type, values: c.values.map((v) => (v === v && ok(v) ? v : NaN)) });
}

function clip(table, step) {
  const c = column(table, step.column);
  if (!isNumericColumn(c) || c.type === 'boolean') throw new Error(`Step clip-outliers: column "${step.column}" is ${c.type}; clip-outliers needs numbers or dates`);
  let bounds = step.bounds;
  if (!bounds) {
    const sorted = present(c.values).sort(byNumber);
    if (sorted.length === 0) return table;
    bounds = { low: quantile(sorted, step.lower), high: quantile(sorted, step.upper) };
  }
  const values = c.values.map((v) => (v < bounds.low ? bounds.low : v > bounds.high ? bounds.high : v));
  const fraction = values.some((v, i) => v !== c.values[i] && !Number.isInteger(v));
  return replaceColumn(table, { ...c, type: c.type === 'integer' && fraction ? 'number' : c.type, values });
}

function mask(table, step) {
  const c = column(table, step.column);
  const texts = isNumericColumn(c) ? c.values.map((v) => (v !== v ? null : numberText(c.type, v))) : c.values;
  const values = texts.map((level) => {
    if (level === null) return null;
    const chars = [...level];
    if (chars.length <= step.keep) return level;
    const hidden = '*'.repeat(chars.length - step.keep);
    return step.from === 'end' ? hidden + chars.slice(chars.length - step.keep).join('') : chars.slice(0, step.keep).join('') + hidden;
  });
  return replaceColumn(table, { name: c.name, type: isNumericColumn(c) ? 'category' : c.type, values });
}

function dropDuplicates(table, step) {
  const columns = step.columns ? step.columns.map((name) => column(table, name)) : table.columns;
  const seen = new Set();
  const keep = Array.from({ length: table.rowCount }, (_, i) => {
    const key = JSON.stringify(columns.map((c) => { const v = c.values[i]; return v !== v ? 'NaN' : v; }));
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return { table: keepRows(table, keep), keep };
}

function dropMissing(table, step) {
  const columns = step.columns.map((name) => column(table, name));
  const limit = step.how === 'all' ? columns.length : 1;
  const keep = Array.from({ length: table.rowCount }, (_, i) => columns.filter((c) => c.values[i] === null || c.values[i] !== c.values[i]).length < limit);
  return { table: keepRows(table, keep), keep };
}

const STEP_KINDS = new Set(['drop-duplicates', 'drop-missing', 'impute', 'cast', 'normalize-text', 'parse-dates', 'clip-outliers', 'replace', 'drop-columns', 'mask']);

/** Runs the steps in order; returns the table and, per output row, the index of the input row it came from. */
export function applySteps(table, steps) {
  let current = table;
  let rows = Array.from({ length: table.rowCount }, (_, i) => i);
  for (const step of steps) {
    for (const name of stepColumns(step)) if (!column(current, name)) throw new Error(`Step ${step.kind} names the column "${name}", which the data lacks`);
    if (step.kind === 'drop-duplicates' || step.kind === 'drop-missing') {
      const out = step.kind === 'drop-duplicates' ? dropDuplicates(current, step) : dropMissing(current, step);
      rows = rows.filter((_, i) => out.keep[i]);
      current = out.table;
    } else if (step.kind === 'impute') current = impute(current, step);
    else if (step.kind === 'cast') current = cast(current, step);
    else if (step.kind === 'parse-dates') {
      const c = column(current, step.column);
      if (c.type !== 'date') {
        if (isNumericColumn(c)) throw new Error(`Step parse-dates: column "${step.column}" is ${c.type}; parse-dates reads text or category columns`);
        current = replaceColumn(current, readTexts(c, 'date', step.format));
      }
    } else if (step.kind === 'normalize-text') current = normalizeText(current, step);
    else if (step.kind === 'clip-outliers') current = clip(current, step);
    else if (step.kind === 'replace') current = replace(current, step);
    else if (step.kind === 'mask') current = mask(current, step);
    else if (step.kind === 'drop-columns') {
      const drop = new Set(step.columns);
      current = { rowCount: current.rowCount, columns: current.columns.filter((c) => !drop.has(c.name)) };
    } else throw new Error(`Unknown recipe step kind "${step.kind}"`);
  }
  return { table: current, rows };
}
