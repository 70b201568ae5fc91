// predict.mjs, part 1: rows and CSV text into typed columns, read and typed exactly as Millrace reads a file.

const MISSING = new Set(['', 'NA', 'N/A', 'NaN', 'null']);
const INTEGER_RE = /^[+-]?\d+$/;
const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
export const DAY_MS = 86400000;
export const NUMERIC_TYPES = new Set(['integer', 'number', 'boolean', 'date']);

export function parseNumber(text) {
  const t = text.trim();
  return NUMBER_RE.test(t) ? Number(t) : NaN;
}

export function parseBoolean(text) {
  const lower = text.length === 4 || text.length === 5 ? text.toLowerCase() : '';
  return lower === 'true' ? 1 : lower === 'false' ? 0 : NaN;
}

export function parseIsoDate(value) {
  const m = ISO_RE.exec(value);
  if (!m) return NaN;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return NaN;
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'));
  if (hour > 23 || minute > 59 || second > 59) return NaN;
  let time = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (new Date(time).getUTCDate() !== day) return NaN;
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    time -= (zone[0] === '-' ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60000;
  }
  return time;
}

/** Any scalar as a number the way a numeric column holds it (number, ISO date, boolean), or NaN. */
export function parseScalar(text) {
  const n = parseNumber(text);
  if (!Number.isNaN(n)) return n;
  const d = parseIsoDate(text.trim());
  return Number.isNaN(d) ? parseBoolean(text.trim()) : d;
}

export function formatDate(ms) {
  const iso = new Date(ms).toISOString();
  return ms % DAY_MS === 0 ? iso.slice(0, 10) : iso;
}

// Dates in other formats: dd/mm/yyyy, mm/dd/yyyy, yyyy/mm/dd, "Jan 5 2020", "5 Jan 2020", each with an optional time.
const TIME = String.raw`(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?`;
const NUMERIC_DATE = new RegExp(String.raw`^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})${TIME}$`);
const YMD_DATE = new RegExp(String.raw`^(\d{4})([/.])(\d{1,2})\2(\d{1,2})${TIME}$`);
const MON_D_Y = new RegExp(String.raw`^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})${TIME}$`);
const D_MON_Y = new RegExp(String.raw`^(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{4})${TIME}$`);
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const BASE = { dmy: 'dd/mm/yyyy', mdy: 'mm/dd/yyyy', ymd: 'yyyy/mm/dd', 'mon-d-y': 'mon d yyyy', 'd-mon-y': 'd mon yyyy' };

function monthOf(name) {
  const lower = name.toLowerCase();
  const k = MONTHS.findIndex((month) => month.startsWith(lower.slice(0, 3)));
  return k >= 0 && (MONTHS[k].startsWith(lower) || (lower === 'sept' && k === 8)) ? k + 1 : 0;
}

function partsOf(value, family) {
  const time = (m, at) => ({ hour: Number(m[at] ?? 0), minute: Number(m[at + 1] ?? 0), second: Number(m[at + 2] ?? 0) });
  if (family === 'dmy' || family === 'mdy') {
    const m = NUMERIC_DATE.exec(value);
    if (!m) return null;
    const [a, b] = [Number(m[1]), Number(m[3])];
    return { year: Number(m[4]), month: family === 'dmy' ? b : a, day: family === 'dmy' ? a : b, ...time(m, 5) };
  }
  const m = (family === 'ymd' ? YMD_DATE : family === 'mon-d-y' ? MON_D_Y : D_MON_Y).exec(value);
  if (!m) return null;
  if (family === 'ymd') return { year: Number(m[1]), month: Number(m[3]), day: Number(m[4]), ...time(m, 5) };
  if (family === 'mon-d-y') return { year: Number(m[3]), month: monthOf(m[1]), day: Number(m[2]), ...time(m, 4) };
  if (family === 'd-mon-y') return { year: Number(m[3]), month: monthOf(m[2]), day: Number(m[1]), ...time(m, 4) };
  return null;
}

function toEpoch(p) {
  if (p.month < 1 || p.month > 12 || p.day < 1 || p.day > 31 || p.hour > 23 || p.minute > 59 || p.second > 59) return NaN;
  const ms = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return new Date(ms).getUTCDate() === p.day ? ms : NaN;
}

function familyOf(format) {
  const base = format.replace(/\s*\(.*\)$/, '').replace(/ hh:mm(:ss)?$/, '').trim();
  if (base === 'yyyy-mm-dd' || base.startsWith('ISO')) return 'iso';
  const slashed = base.replace(/[.-]/g, '/');
  return Object.keys(BASE).find((family) => BASE[family] === slashed) ?? null;
}

export function parseDateAs(value, format) {
  const family = familyOf(format);
  if (family === null) return NaN;
  if (family === 'iso') return parseIsoDate(value);
  const parts = partsOf(value, family);
  return parts ? toEpoch(parts) : NaN;
}

/** The one date format that reads every value (as Millrace detects it), or null. */
export function detectDateFormat(values) {
  if (values.length === 0) return null;
  const first = values[0].trim();
  let withTime = false;
  let withSeconds = false;
  if (!Number.isNaN(parseIsoDate(first))) {
    for (const raw of values) {
      if (Number.isNaN(parseIsoDate(raw.trim()))) return null;
      if (raw.trim().length > 10) withTime = true;
    }
    return withTime ? 'ISO 8601 date-time' : 'yyyy-mm-dd';
  }
  const candidates = NUMERIC_DATE.test(first) ? ['dmy', 'mdy'] : YMD_DATE.test(first) ? ['ymd'] : MON_D_Y.test(first) ? ['mon-d-y'] : D_MON_Y.test(first) ? ['d-mon-y'] : [];
  const alive = new Set(candidates);
  let separator = '';
  for (const raw of values) {
    const value = raw.trim();
    for (const family of alive) {
      const parts = partsOf(value, family);
      if (!parts || Number.isNaN(toEpoch(parts))) alive.delete(family);
    }
    if (alive.size === 0) return null;
    const m = /^\d{1,4}([/.-])/.exec(value);
    if (m) {
      if (separator && separator !== m[1]) return null;
      separator = m[1];
    }
    if (/\d:\d\d/.test(value)) withTime = true;
    if (/\d:\d\d:\d\d/.test(value)) withSeconds = true;
  }
  const [family] = alive;
  let format = BASE[family];
  if (separator && separator !== '/') format = format.replaceAll('/', separator);
  if (withTime) format += withSeconds ? ' hh:mm:ss' : ' hh:mm';
  return format;
}

/** The type Millrace infers from a column's distinct present texts. */
export function inferType(levels) {
  if (levels.length === 0) return { type: 'category' };
  let [integer, number, boolean] = [true, true, true];
  for (const raw of levels) {
    const value = raw.trim();
    if (boolean && Number.isNaN(parseBoolean(value))) boolean = false;
    if (number && !NUMBER_RE.test(value)) number = false;
    if (integer && !(INTEGER_RE.test(value) && Number.isSafeInteger(Number(value)))) integer = false;
  }
  if (boolean) return { type: 'boolean' };
  if (integer) return { type: 'integer' };
  if (number) return { type: 'number' };
  const dateFormat = detectDateFormat(levels);
  return dateFormat !== null ? { type: 'date', dateFormat } : { type: 'category' };
}

/** A cell value as the raw text Millrace reads from JSON ('' for missing). */
export function rawText(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

/** A typed column from raw texts: numeric types hold numbers (NaN: missing), others texts (null: missing). */
export function buildColumn(name, texts) {
  const levels = [...new Set(texts.filter((t) => !MISSING.has(t)))];
  const { type, dateFormat } = inferType(levels);
  if (!NUMERIC_TYPES.has(type)) return { name, type, values: texts.map((t) => (MISSING.has(t) ? null : t)) };
  const parse = type === 'boolean' ? (t) => parseBoolean(t.trim()) : type === 'date' ? (t) => parseDateAs(t.trim(), dateFormat) : parseNumber;
  return { name, type, values: texts.map((t) => (MISSING.has(t) ? NaN : parse(t))) };
}

/** Plain row objects as a table: columns in order of first appearance. */
export function tableOfRows(rows) {
  if (!Array.isArray(rows)) throw new Error('predict(rows) needs an array of row objects');
  const names = [];
  const seen = new Set();
  for (const row of rows) {
    for (const key of Object.keys(row ?? {})) {
      if (!seen.has(key)) {
        seen.add(key);
        names.push(key);
      }
    }
  }
  return { rowCount: rows.length, columns: names.map((name) => buildColumn(name, rows.map((row) => rawText(row?.[name])))) };
}

/** Header names as Millrace cleans them: empty names become column_N, repeats get _2, _3. */
export function cleanHeader(names) {
  const seen = new Set();
  return names.map((raw, i) => {
    const base = raw.trim() === '' ? `column_${i + 1}` : raw;
    let name = base;
    for (let k = 2; seen.has(name); k++) name = `${base}_${k}`;
    seen.add(name);
    return name;
  });
}

function splitRecords(text, delimiter) {
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      }
      else quoted = false;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      record.push(field);
      field = '';
    }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      if (record.length > 1 || record[0] !== '') records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** CSV/TSV text (delimiter , ; tab or |, the one splitting the header most) as a table. */
export function tableOfCsv(text, fileName = 'the file') {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLine = body.slice(0, body.search(/\r?\n|$/));
  const delimiter = [',', '\t', ';', '|'].reduce((best, d) => (firstLine.split(d).length > firstLine.split(best).length ? d : best), ',');
  const [header, ...records] = splitRecords(body, delimiter);
  if (!header) throw new Error(`${fileName} is empty`);
  records.forEach((record, r) => {
    if (record.length !== header.length) throw new Error(`${fileName}, line ${r + 2}: ${record.length} fields where the header has ${header.length}`);
  });
  return { rowCount: records.length, columns: cleanHeader(header).map((name, c) => buildColumn(name, records.map((record) => record[c]))) };
}

/** A column's numbers: numeric columns as held, texts parsed as any scalar. */
export function numbersOf(column) {
  return NUMERIC_TYPES.has(column.type) ? column.values : column.values.map((t) => (t === null ? NaN : parseScalar(t)));
}

/** A column's dates as epoch ms: date and numeric columns as held, texts read as ISO dates. */
export function datesOf(column) {
  return NUMERIC_TYPES.has(column.type) ? column.values : column.values.map((t) => (t === null ? NaN : parseIsoDate(t.trim())));
}

/** A numeric cell as Millrace writes and matches it: true/false, a date, or the number. */
export function numberText(type, v) {
  return type === 'boolean' ? (v !== 0 ? 'true' : 'false') : type === 'date' ? formatDate(v) : String(v);
}

/** A column's cells as texts (null: missing), as category levels are matched. */
export function textsOf(column) {
  return NUMERIC_TYPES.has(column.type) ? column.values.map((v) => (v !== v ? null : numberText(column.type, v))) : column.values;
}

export function getColumn(table, name) {
  const column = table.columns.find((c) => c.name === name);
  if (!column) throw new Error(`The data has no column "${name}", which the model needs`);
  return column;
}
