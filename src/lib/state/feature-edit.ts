// Editing one feature definition from form fields: switching its transform and reading/writing params as text.
import type { FeatureDef, FeatureTransform } from '../pipeline/features/types.ts';

/** The transforms in the order the picker shows them, with the words a person uses. */
export const TRANSFORM_LABELS: Record<FeatureTransform, string> = {
  standardize: 'Standardize',
  minmax: 'Min-max',
  log1p: 'log1p',
  clip: 'Clip',
  bucketize: 'Bucketize',
  onehot: 'One-hot',
  ordinal: 'Ordinal',
  dateparts: 'Date parts',
  hash: 'Text hashing',
  ratio: 'Ratio',
  difference: 'Difference',
};

/** One editable parameter of a transform. */
export interface ParamField {
  key: string;
  label: string;
  kind: 'number' | 'text' | 'column' | 'choice';
  placeholder?: string;
  choices?: string[];
}

const FIELDS: Partial<Record<FeatureTransform, ParamField[]>> = {
  clip: [
    { key: 'lower', label: 'Lower', kind: 'number', placeholder: '1st pct' },
    { key: 'upper', label: 'Upper', kind: 'number', placeholder: '99th pct' },
  ],
  bucketize: [
    { key: 'bins', label: 'Bins', kind: 'number', placeholder: '10' },
    { key: 'edges', label: 'Edges', kind: 'text', placeholder: 'e.g. 190, 200, 210' },
  ],
  onehot: [{ key: 'minCount', label: 'Min count', kind: 'number', placeholder: '5' }],
  ordinal: [{ key: 'order', label: 'Order', kind: 'text', placeholder: 'low, mid, high' }],
  dateparts: [{ key: 'parts', label: 'Parts', kind: 'text', placeholder: 'year, month, dayOfWeek, hour, daysSince' }],
  hash: [
    { key: 'width', label: 'Width', kind: 'number', placeholder: '32' },
    { key: 'tokens', label: 'Tokens', kind: 'choice', choices: ['word', 'char'] },
  ],
  ratio: [{ key: 'column2', label: 'Divided by', kind: 'column' }],
  difference: [{ key: 'column2', label: 'Minus', kind: 'column' }],
};

/** The parameter fields a transform shows. */
export function paramFields(transform: FeatureTransform): ParamField[] {
  return FIELDS[transform] ?? [];
}

const listOf = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);

/** A feature switched to another transform, with that transform's required params filled in. */
export function withTransform(def: FeatureDef, transform: FeatureTransform, columns: string[]): FeatureDef {
  const base = { name: def.name, column: def.column };
  switch (transform) {
    case 'dateparts':
      return { ...base, transform, params: { parts: ['year', 'month', 'dayOfWeek'] } };
    case 'hash':
      return { ...base, transform, params: { width: 32, tokens: 'word' } };
    case 'ratio':
    case 'difference': {
      const column2 = 'column2' in def ? def.column2 : (columns.find((c) => c !== def.column) ?? def.column);
      return { ...base, transform, column2 };
    }
    default:
      return { ...base, transform } as FeatureDef;
  }
}

/** A param as the text its field shows ('' when unset). */
export function paramText(def: FeatureDef, key: string): string {
  if (key === 'column2') return 'column2' in def ? def.column2 : '';
  const value = (def.params as Record<string, unknown> | undefined)?.[key];
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** The feature with one param set from its field's text; an empty field removes the param. */
export function withParam(def: FeatureDef, key: string, text: string): FeatureDef {
  if (key === 'column2') return { ...def, column2: text } as FeatureDef;
  const params: Record<string, unknown> = { ...(def.params ?? {}) };
  const trimmed = text.trim();
  if (!trimmed) delete params[key];
  else if (key === 'edges') params[key] = listOf(trimmed).map(Number);
  else if (key === 'order' || key === 'parts') params[key] = listOf(trimmed);
  else if (key === 'tokens') params[key] = trimmed;
  else params[key] = Number(trimmed);
  if (key === 'edges' && trimmed) delete params.bins;
  if (key === 'bins' && trimmed) delete params.edges;
  return { ...def, params } as FeatureDef;
}

/** A feature name not yet used in the set, e.g. "Body Mass (g) 2". */
export function freshName(column: string, taken: string[]): string {
  let name = column;
  for (let k = 2; taken.includes(name); k++) name = `${column} ${k}`;
  return name;
}
