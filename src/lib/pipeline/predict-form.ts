// The single-prediction form as data: fields from a transform bundle (kind, training range, choices, default), flags on typed values, and the one-row table.
import { AppError } from './errors.ts';
import { featureSourceColumns } from './features/inputs.ts';
import { formatDate, parseIsoDate, parseNumber } from './infer.ts';
import type { ColumnType, DataTable, FittedFeature, InputSummary, TransformBundle } from './types.ts';

/** How a field is entered: a number, one of the training categories, a date, free text, or true/false. */
export type InputKind = 'number' | 'category' | 'date' | 'text' | 'boolean';

export interface InputField {
  column: string;
  kind: InputKind;
  /** The type of the column in the one-row table (the training column's type when known). */
  type: ColumnType;
  /** The training range (dates: epoch ms); absent when the bundle does not record it. */
  min?: number;
  max?: number;
  /** Categories seen in training, most frequent first when known. */
  choices?: string[];
  /** True when `choices` holds every category seen in training, so any other one was never seen. */
  complete?: boolean;
  /** The value the form starts with: the training median (numbers, dates) or mode (categories); '' when unknown. */
  default: string;
  /** Whole numbers only (an integer column). */
  integer?: boolean;
}

export type InputFlagKind = 'below-range' | 'above-range' | 'unseen-category' | 'not-a-number' | 'not-a-date' | 'missing';

/** Something to say next to a field: a value outside the training range, a category never seen, or one that cannot be read. */
export interface InputFlag {
  column: string;
  kind: InputFlagKind;
  /** Blocking flags stop the prediction (the value cannot be read); the others are warnings. */
  blocking: boolean;
  message: string;
}

/** The features that read a column. */
function featuresOf(bundle: TransformBundle, column: string): FittedFeature[] {
  return bundle.features.filter((f) => f.column === column || ((f.kind === 'ratio' || f.kind === 'difference') && f.column2 === column));
}

/** Numbers as the form shows them: up to 6 significant digits, no exponent for everyday sizes. */
export function formatInputNumber(value: number, integer = false): string {
  if (!Number.isFinite(value)) return '';
  if (integer) return String(Math.round(value));
  return String(Number(value.toPrecision(6)));
}

/** A field from what fitting recorded of the column. */
function fromSummary(summary: InputSummary, features: FittedFeature[]): InputField {
  const { column, type } = summary;
  const text = features.some((f) => f.kind === 'hash');
  const base = { column, type };
  if (type === 'category' || type === 'text') {
    if (text) return { ...base, kind: 'text', default: '' };
    return { ...base, kind: 'category', choices: summary.levels ?? [], complete: !summary.moreLevels, default: summary.levels?.[0] ?? '' };
  }
  if (type === 'boolean') return { ...base, kind: 'boolean', choices: ['false', 'true'], complete: true, default: summary.levels?.[0] ?? 'false' };
  const range = summary.min !== undefined && summary.max !== undefined ? { min: summary.min, max: summary.max } : {};
  if (type === 'date') return { ...base, kind: 'date', ...range, default: summary.median !== undefined ? formatDate(summary.median) : '' };
  const integer = type === 'integer';
  return { ...base, kind: 'number', ...range, ...(integer ? { integer } : {}), default: summary.median !== undefined ? formatInputNumber(summary.median, integer) : '' };
}

/** A field from the features alone (bundles fitted before `inputs`), with `types` from the dataset's schema when known. */
function fromFeatures(column: string, features: FittedFeature[], known?: ColumnType): InputField {
  const dates = features.find((f) => f.kind === 'dateparts');
  const oneHot = features.find((f): f is Extract<FittedFeature, { kind: 'onehot' }> => f.kind === 'onehot');
  const ordinal = features.find((f): f is Extract<FittedFeature, { kind: 'ordinal' }> => f.kind === 'ordinal');
  if (features.some((f) => f.kind === 'hash')) return { column, kind: 'text', type: 'text', default: '' };
  if (dates || known === 'date') return { column, kind: 'date', type: 'date', default: '' };
  if (known === 'boolean') return { column, kind: 'boolean', type: 'boolean', choices: ['false', 'true'], complete: true, default: 'false' };
  if (oneHot || ordinal) {
    // One-hot levels are the kept ones, most frequent first; with an "other" slot some seen levels may be pooled.
    const choices = oneHot ? oneHot.levels : (ordinal?.levels ?? []);
    const mode = oneHot ? (oneHot.levels[0] ?? '') : (ordinal?.levels[Math.round(ordinal.median)] ?? '');
    const type = known === 'integer' || known === 'number' ? known : 'category';
    return { column, kind: 'category', type, choices: [...choices], complete: oneHot ? !oneHot.other : true, default: mode };
  }
  const numeric = features.find((f) => 'median' in f && f.kind !== 'log1p' && f.kind !== 'clip' && f.kind !== 'ratio' && f.kind !== 'difference') as
    | { median: number }
    | undefined;
  const minmax = features.find((f): f is Extract<FittedFeature, { kind: 'minmax' }> => f.kind === 'minmax');
  const integer = known === 'integer';
  return {
    column,
    kind: 'number',
    type: integer ? 'integer' : 'number',
    ...(minmax ? { min: minmax.min, max: minmax.max } : {}),
    ...(integer ? { integer } : {}),
    default: numeric ? formatInputNumber(numeric.median, integer) : '',
  };
}

/**
 * The form's fields, one per source column the model reads, in the order the features first read them: numbers
 * with their training range and median, categories with their choices and mode, dates, free text. Bundles fitted
 * before fitting recorded `inputs` give what their features hold (ranges only for min-max features); `types`
 * (the dataset's column types) then tells dates and booleans apart.
 */
export function inputFields(bundle: TransformBundle, types: Readonly<Record<string, ColumnType>> = {}): InputField[] {
  const summaries = new Map((bundle.inputs ?? []).map((s) => [s.column, s]));
  return featureSourceColumns(bundle.features).map((column) => {
    const features = featuresOf(bundle, column);
    const summary = summaries.get(column);
    return summary ? fromSummary(summary, features) : fromFeatures(column, features, types[column]);
  });
}

const shown = (field: InputField, v: number) => (field.kind === 'date' ? formatDate(v) : formatInputNumber(v, field.integer));

/** The value of a number or date field as stored in a table (NaN when missing), or a flag saying why it cannot be read. */
function readValue(field: InputField, text: string): number | InputFlag {
  const t = text.trim();
  if (t === '') return NaN;
  if (field.kind === 'date') {
    const ms = parseIsoDate(t);
    if (Number.isNaN(ms)) return { column: field.column, kind: 'not-a-date', blocking: true, message: `“${t}” is not a date (write it as yyyy-mm-dd)` };
    return ms;
  }
  const n = parseNumber(t);
  if (Number.isNaN(n)) return { column: field.column, kind: 'not-a-number', blocking: true, message: `“${t}” is not a number` };
  return n;
}

/**
 * Flags per field for the values typed (text by column; a column not given counts as empty): a number or date
 * outside the training range (below or above), a category never seen in training, a value that cannot be read
 * (blocking), and an empty field (filled with the training median or mode, as a missing value is).
 */
export function checkInputs(fields: readonly InputField[], values: Readonly<Record<string, string>>): InputFlag[] {
  const flags: InputFlag[] = [];
  for (const field of fields) {
    const text = (values[field.column] ?? '').trim();
    const { column } = field;
    if (text === '') {
      if (field.kind !== 'text') flags.push({ column, kind: 'missing', blocking: false, message: 'Empty: treated as missing, as in training (filled with the training median or mode)' });
      continue;
    }
    if (field.kind === 'category' || field.kind === 'boolean') {
      if (field.kind === 'boolean' && !/^(true|false)$/i.test(text)) {
        flags.push({ column, kind: 'not-a-number', blocking: true, message: `“${text}” is not true or false` });
      } else if (field.complete && field.choices && !field.choices.includes(text) && field.kind === 'category') {
        flags.push({ column, kind: 'unseen-category', blocking: false, message: `“${text}” was never seen in training` });
      }
      continue;
    }
    if (field.kind === 'text') continue;
    const value = readValue(field, text);
    if (typeof value !== 'number') {
      flags.push(value);
      continue;
    }
    if (field.integer && !Number.isInteger(value)) {
      flags.push({ column, kind: 'not-a-number', blocking: true, message: `“${text}” is not a whole number` });
    } else if (field.min !== undefined && value < field.min) {
      flags.push({ column, kind: 'below-range', blocking: false, message: `Below the training range (${shown(field, field.min)} to ${shown(field, field.max ?? field.min)})` });
    } else if (field.max !== undefined && value > field.max) {
      flags.push({ column, kind: 'above-range', blocking: false, message: `Above the training range (${shown(field, field.min ?? field.max)} to ${shown(field, field.max)})` });
    }
  }
  return flags;
}

/** The values every field starts with. */
export function defaultInputs(fields: readonly InputField[]): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [f.column, f.default]));
}

/**
 * The one-row table of the values typed, each column of its field's type (empty: missing). A value that cannot
 * be read is AppError 'bad-argument' naming the column; a column the fields do not have is refused the same way.
 */
export function oneRowTable(fields: readonly InputField[], values: Readonly<Record<string, string>>): DataTable {
  const known = new Set(fields.map((f) => f.column));
  const unknown = Object.keys(values).find((column) => !known.has(column));
  if (unknown !== undefined) throw new AppError('unknown-column', `The model has no input "${unknown}"`, { column: unknown });
  const columns = fields.map((field): DataTable['columns'][number] => {
    const text = (values[field.column] ?? '').trim();
    const { column: name } = field;
    if (field.type === 'category' || field.type === 'text') {
      return text === '' ? { name, type: field.type, codes: Int32Array.of(-1), levels: [] } : { name, type: field.type, codes: Int32Array.of(0), levels: [text] };
    }
    if (field.type === 'boolean' || field.kind === 'boolean') {
      const lower = text.toLowerCase();
      if (text !== '' && lower !== 'true' && lower !== 'false') throw new AppError('bad-argument', `${name}: “${text}” is not true or false`, { column: name });
      return { name, type: 'boolean', values: Float64Array.of(text === '' ? NaN : lower === 'true' ? 1 : 0) };
    }
    const value = readValue(field.kind === 'date' ? field : { ...field, kind: 'number' }, text);
    if (typeof value !== 'number') throw new AppError('bad-argument', `${name}: ${value.message}`, { column: name });
    return { name, type: field.type, values: Float64Array.of(value) };
  });
  return { rowCount: 1, columns };
}
