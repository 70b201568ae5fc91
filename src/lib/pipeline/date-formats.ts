// Date and date-time formats a column can be written in: detection from its distinct values, and parsing.

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Parses an ISO date (yyyy-mm-dd) or date-time (yyyy-mm-ddThh:mm[:ss][Z|±hh:mm]) to epoch ms UTC, or NaN. */
export function parseIsoDate(value: string): number {
  const m = ISO_RE.exec(value);
  if (!m) return NaN;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return NaN;
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'));
  if (hour > 23 || minute > 59 || second > 59) return NaN;
  let time = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 2023-02-30 over to March: reject such dates.
  if (new Date(time).getUTCDate() !== day) return NaN;
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    time -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return time;
}

/** A date format family; `dmy`/`mdy` are day-first and month-first numeric dates. */
type Family = 'iso' | 'dmy' | 'mdy' | 'ymd' | 'mon-d-y' | 'd-mon-y';

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const TIME = String.raw`(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?`;
const NUMERIC_RE = new RegExp(String.raw`^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})${TIME}$`);
const YMD_RE = new RegExp(String.raw`^(\d{4})([/.])(\d{1,2})\2(\d{1,2})${TIME}$`);
const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MON_D_Y_RE = new RegExp(String.raw`^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})${TIME}$`);
const D_MON_Y_RE = new RegExp(String.raw`^(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{4})${TIME}$`);

function monthOf(name: string): number {
  const lower = name.toLowerCase();
  const k = MONTH_NAMES.indexOf(lower.slice(0, 3));
  if (k < 0) return 0;
  // Accept "Jan", "January", "Sept" but not "Janxyz".
  const full = new Date(Date.UTC(2000, k, 1)).toLocaleString('en-US', { month: 'long', timeZone: 'UTC' }).toLowerCase();
  return full.startsWith(lower) || (lower === 'sept' && k === 8) ? k + 1 : 0;
}

function time(m: RegExpExecArray, at: number): Pick<Parts, 'hour' | 'minute' | 'second'> {
  return {
    hour: m[at] === undefined ? 0 : Number(m[at]),
    minute: m[at + 1] === undefined ? 0 : Number(m[at + 1]),
    second: m[at + 2] === undefined ? 0 : Number(m[at + 2]),
  };
}

/** Splits a value into the numbers of a family, without checking ranges; null when it does not match. */
function partsOf(value: string, family: Family): Parts | null {
  if (family === 'dmy' || family === 'mdy') {
    const m = NUMERIC_RE.exec(value);
    if (!m) return null;
    const a = Number(m[1]);
    const b = Number(m[3]);
    return { year: Number(m[4]), month: family === 'dmy' ? b : a, day: family === 'dmy' ? a : b, ...time(m, 5) };
  }
  if (family === 'ymd') {
    const m = YMD_RE.exec(value);
    return m ? { year: Number(m[1]), month: Number(m[3]), day: Number(m[4]), ...time(m, 5) } : null;
  }
  if (family === 'mon-d-y') {
    const m = MON_D_Y_RE.exec(value);
    return m ? { year: Number(m[3]), month: monthOf(m[1] as string), day: Number(m[2]), ...time(m, 4) } : null;
  }
  if (family === 'd-mon-y') {
    const m = D_MON_Y_RE.exec(value);
    return m ? { year: Number(m[3]), month: monthOf(m[2] as string), day: Number(m[1]), ...time(m, 4) } : null;
  }
  return null;
}

function toEpoch(p: Parts): number {
  if (p.month < 1 || p.month > 12 || p.day < 1 || p.day > 31 || p.hour > 23 || p.minute > 59 || p.second > 59) return NaN;
  const ms = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return new Date(ms).getUTCDate() === p.day ? ms : NaN;
}

const BASE: Record<Exclude<Family, 'iso'>, string> = {
  dmy: 'dd/mm/yyyy',
  mdy: 'mm/dd/yyyy',
  ymd: 'yyyy/mm/dd',
  'mon-d-y': 'mon d yyyy',
  'd-mon-y': 'd mon yyyy',
};

function familyOf(format: string): Family | null {
  const base = format.replace(/\s*\(.*\)$/, '').replace(/ hh:mm(:ss)?$/, '').trim();
  if (base === 'yyyy-mm-dd' || base.startsWith('ISO')) return 'iso';
  const slashed = base.replace(/[.-]/g, '/');
  for (const [family, name] of Object.entries(BASE)) if (name === slashed) return family as Family;
  return null;
}

/** True when `format` is one that `parseDateAs` understands (the strings `detectDateFormat` returns). */
export function isKnownDateFormat(format: string): boolean {
  return familyOf(format) !== null;
}

/**
 * Parses a date or date-time in a detected format (see `detectDateFormat`) to epoch ms UTC, or NaN.
 * Times without a zone are read as UTC, like ISO values without one.
 * @example parseDateAs('05/01/2020', 'dd/mm/yyyy') // Date.UTC(2020, 0, 5)
 */
export function parseDateAs(value: string, format: string): number {
  const family = familyOf(format);
  if (family === null) return NaN;
  if (family === 'iso') return parseIsoDate(value);
  const parts = partsOf(value, family);
  return parts ? toEpoch(parts) : NaN;
}

/**
 * Finds the one date format that reads every value (trimmed), or null. Numeric day/month dates are decided by a
 * value above 12 in either place; when none is, the format says it is ambiguous and day-first is used.
 * @example detectDateFormat(['13/01/2020', '02/03/2020']) // 'dd/mm/yyyy'
 */
export function detectDateFormat(values: readonly string[]): string | null {
  if (values.length === 0) return null;
  const first = (values[0] as string).trim();
  let withTime = false;
  let withSeconds = false;
  if (!Number.isNaN(parseIsoDate(first))) {
    for (const raw of values) {
      const value = raw.trim();
      if (Number.isNaN(parseIsoDate(value))) return null;
      if (value.length > 10) withTime = true;
    }
    return withTime ? 'ISO 8601 date-time' : 'yyyy-mm-dd';
  }
  const candidates: Exclude<Family, 'iso'>[] = NUMERIC_RE.test(first)
    ? ['dmy', 'mdy']
    : YMD_RE.test(first)
      ? ['ymd']
      : MON_D_Y_RE.test(first)
        ? ['mon-d-y']
        : D_MON_Y_RE.test(first)
          ? ['d-mon-y']
          : [];
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
      separator = m[1] as string;
    }
    if (/\d:\d\d/.test(value)) withTime = true;
    if (/\d:\d\d:\d\d/.test(value)) withSeconds = true;
  }
  const [family] = alive;
  if (family === undefined) return null;
  let format = BASE[family];
  if (separator && separator !== '/') format = format.replaceAll('/', separator);
  if (withTime) format += withSeconds ? ' hh:mm:ss' : ' hh:mm';
  if (alive.size > 1) {
    const other = BASE.mdy.replaceAll('/', separator || '/');
    format += ` (ambiguous: no day above 12, could be ${other})`;
  }
  return format;
}
