// The model's hyper-parameters, declared once: names, labels, defaults, ranges, CLI flags and search values.
// The Train form, the CLI's flag parser, the search space and the pipeline spec's JSON Schema all read this.
import type { ModelKind } from '../types.ts';

/** The networks trained by TF.js (a linear model is a network without hidden layers). */
const NETWORKS = ['linear', 'mlp'] as const satisfies readonly ModelKind[];

/** Bounds of a number; `below`/`above` are exclusive, `max`/`min` inclusive. */
export interface NumberRange {
  min?: number;
  above?: number;
  max?: number;
  below?: number;
}

interface ParamBase {
  /** Key in the spec's `model` object and in a search space. */
  key: string;
  /** The form field's label, in the user's words. */
  label: string;
  /** One line for the CLI's help and the form's title. */
  help: string;
  /** The CLI flag without dashes, e.g. "learning-rate". */
  flag: string;
  /** The models that use it (absent: every model); the others keep it at its default. */
  models?: readonly ModelKind[];
  /** Shown under "More options" in the Train form rather than beside the model choice. */
  advanced?: boolean;
}

export interface NumberParam extends ParamBase, NumberRange {
  kind: 'number' | 'integer';
  /** null: chosen automatically (e.g. the batch size from the row count). */
  default: number | null;
  /** Values a search tries by default; absent when searches keep the run's value. */
  search?: number[];
  /** The form's step. */
  step?: number;
}

export interface ChoiceParam extends ParamBase {
  kind: 'choice';
  values: readonly string[];
  default: string;
  search?: string[];
}

export interface SwitchParam extends ParamBase {
  kind: 'switch';
  default: boolean;
}

export interface LayersParam extends ParamBase {
  kind: 'layers';
  default: number[];
  /** Each layer's size is a whole number from 1 to this. */
  maxSize: number;
  search?: number[][];
}

export type HyperParam = NumberParam | ChoiceParam | SwitchParam | LayersParam;

/** Every hyper-parameter of a model, in the order forms and help list them. */
export const HYPER_PARAMS = [
  {
    key: 'kind',
    kind: 'choice',
    label: 'Model',
    help: 'auto | linear | mlp | gbdt (gradient-boosted trees; auto: linear for classes, an MLP for regression, or trees where they score better on validation rows)',
    flag: 'model',
    values: ['auto', 'linear', 'mlp', 'gbdt'],
    default: 'auto',
    search: ['linear', 'mlp'],
  },
  {
    key: 'epochs',
    kind: 'integer',
    label: 'Epochs',
    help: 'most passes over the training rows; training stops early on the validation loss unless early stopping is off',
    flag: 'epochs',
    models: NETWORKS,
    min: 1,
    max: 100000,
    default: 100,
  },
  {
    key: 'earlyStopping',
    kind: 'switch',
    label: 'Early stopping',
    help: 'stop when the validation loss stops improving and keep the best weights (off: every epoch on all training rows, the step decaying to 0; trees: on above 10,000 rows, scored on a tenth of the training rows)',
    flag: 'early-stopping',
    default: true,
  },
  {
    key: 'learningRate',
    kind: 'number',
    label: 'Learning rate',
    help: 'Adam step size',
    flag: 'learning-rate',
    models: NETWORKS,
    above: 0,
    below: 10,
    default: 0.01,
    step: 0.001,
    search: [0.003, 0.01, 0.03],
    advanced: true,
  },
  {
    key: 'hidden',
    kind: 'layers',
    label: 'Hidden layers',
    help: 'MLP hidden layer sizes, e.g. 64,32',
    flag: 'hidden',
    maxSize: 4096,
    default: [32],
    search: [[16], [32], [64, 32]],
    models: ['mlp'],
    advanced: true,
  },
  {
    key: 'activation',
    kind: 'choice',
    label: 'Activation',
    help: "relu | tanh | gelu for the MLP's hidden layers",
    flag: 'activation',
    values: ['relu', 'tanh', 'gelu'],
    default: 'relu',
    models: ['mlp'],
    advanced: true,
  },
  {
    key: 'dropout',
    kind: 'number',
    label: 'Dropout',
    help: 'share of each hidden layer dropped while training',
    flag: 'dropout',
    min: 0,
    below: 1,
    default: 0,
    step: 0.05,
    search: [0, 0.1, 0.2],
    models: ['mlp'],
    advanced: true,
  },
  {
    key: 'l2',
    kind: 'number',
    label: 'L2 penalty',
    help: "weight of the L2 penalty on the kernels, added to the mean loss (scikit-learn's Ridge(alpha=A) is A / rows); trees: on the leaf values (l2_regularization)",
    flag: 'l2',
    min: 0,
    default: 0,
    step: 0.0001,
    search: [0, 1e-4, 1e-3],
    advanced: true,
  },
  {
    key: 'classWeights',
    kind: 'choice',
    label: 'Class weights',
    help: 'none | balanced (weigh rare classes up)',
    flag: 'class-weights',
    values: ['none', 'balanced'],
    default: 'none',
    advanced: true,
  },
  {
    key: 'batchSize',
    kind: 'integer',
    label: 'Batch size',
    help: 'rows per optimizer step (automatic: from the number of training rows, 32 to 512)',
    flag: 'batch-size',
    models: NETWORKS,
    min: 1,
    max: 65536,
    default: null,
    advanced: true,
  },
  {
    key: 'rounds',
    kind: 'integer',
    label: 'Rounds',
    help: 'most boosting rounds, each adding one tree (one per class for more than two classes)',
    flag: 'rounds',
    models: ['gbdt'],
    min: 1,
    max: 10000,
    default: 100,
  },
  {
    key: 'leaves',
    kind: 'integer',
    label: 'Leaves per tree',
    help: 'most leaves of each tree, grown best split first',
    flag: 'leaves',
    models: ['gbdt'],
    min: 2,
    max: 4096,
    default: 31,
    search: [15, 31, 63],
    advanced: true,
  },
  {
    key: 'treeLearningRate',
    kind: 'number',
    label: 'Tree learning rate',
    help: "shrinkage of each tree's leaf values",
    flag: 'tree-learning-rate',
    models: ['gbdt'],
    above: 0,
    max: 1,
    default: 0.1,
    step: 0.01,
    search: [0.05, 0.1, 0.2],
    advanced: true,
  },
  {
    key: 'minLeafRows',
    kind: 'integer',
    label: 'Rows per leaf',
    help: 'fewest training rows in a leaf',
    flag: 'min-leaf-rows',
    models: ['gbdt'],
    min: 1,
    max: 100000,
    default: 20,
    advanced: true,
  },
  {
    key: 'maxDepth',
    kind: 'integer',
    label: 'Tree depth',
    help: 'greatest depth of a leaf (automatic: no limit beyond the leaves)',
    flag: 'max-depth',
    models: ['gbdt'],
    min: 1,
    max: 64,
    default: null,
    advanced: true,
  },
] as const satisfies readonly HyperParam[];

export type HyperParamKey = (typeof HYPER_PARAMS)[number]['key'];

type ValueOf<P> = P extends { kind: 'switch' }
  ? boolean
  : P extends { kind: 'layers' }
    ? number[]
    : P extends { kind: 'choice'; values: readonly (infer V)[] }
      ? V
      : P extends { default: null }
        ? number | null
        : number;

/** The model's hyper-parameters, every one present. */
export type HyperParams = { [P in (typeof HYPER_PARAMS)[number] as P['key']]: ValueOf<P> };

/** A search space: the values a hyper-parameter may take in a search; a missing entry keeps the run's own value. */
export type SearchSpace = Partial<{ [K in Exclude<HyperParamKey, 'kind'>]: HyperParams[K][] }> & { kind?: ModelKind[] };

/** The parameter declared under `key`. */
export function hyperParam(key: string): HyperParam | undefined {
  return (HYPER_PARAMS as readonly HyperParam[]).find((p) => p.key === key);
}

/** Whether a model of `kind` uses `param` ('auto' may become any model, so it uses every one). */
export function usesParam(param: Pick<HyperParam, 'models'>, kind: ModelKind | 'auto'): boolean {
  return kind === 'auto' || !param.models || param.models.includes(kind);
}

/** Every hyper-parameter at its default. */
export function defaultHyperParams(): HyperParams {
  const out: Record<string, unknown> = {};
  for (const p of HYPER_PARAMS as readonly HyperParam[]) out[p.key] = Array.isArray(p.default) ? [...p.default] : p.default;
  return out as HyperParams;
}

/** The parameters a default search varies (those with search values), in declaration order. */
export const SEARCHED_BY_DEFAULT: readonly HyperParam[] = (HYPER_PARAMS as readonly HyperParam[]).filter((p) => 'search' in p && p.search);

/** The default search space: the search values of every parameter that has them. */
export function defaultSearchSpace(): SearchSpace {
  const out: Record<string, unknown> = {};
  for (const p of SEARCHED_BY_DEFAULT) out[p.key] = structuredClone((p as { search: unknown[] }).search);
  return out as SearchSpace;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
// NaN and ±Infinity as themselves (JSON.stringify writes them as null).
const show = (v: unknown) => (typeof v === 'string' ? `"${v}"` : typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v)));

/** Why a number is out of range ("is not below 1"), or null when it is in range. */
export function rangeProblem(range: NumberRange, value: number): string | null {
  if (range.min !== undefined && value < range.min) return `is below ${range.min}`;
  if (range.above !== undefined && !(value > range.above)) return `is not above ${range.above}`;
  if (range.max !== undefined && value > range.max) return `is above ${range.max}`;
  if (range.below !== undefined && !(value < range.below)) return `is not below ${range.below}`;
  return null;
}

/** The range in words, e.g. "at least 0 and below 1". */
export function rangeText(range: NumberRange): string {
  const parts: string[] = [];
  if (range.min !== undefined) parts.push(`at least ${range.min}`);
  if (range.above !== undefined) parts.push(`above ${range.above}`);
  if (range.max !== undefined) parts.push(`at most ${range.max}`);
  if (range.below !== undefined) parts.push(`below ${range.below}`);
  return parts.join(' and ');
}

/**
 * Why `value` is not a valid value of `param`, as "VALUE is not below 1" (the caller puts the place in
 * front), or null when it is valid. `null` is valid only for parameters whose default is null.
 */
export function paramProblem(param: HyperParam, value: unknown): string | null {
  switch (param.kind) {
    case 'number':
    case 'integer': {
      if (value === null && param.default === null) return null;
      if (!isNumber(value)) return `${show(value)} is not a number`;
      if (param.kind === 'integer' && !Number.isInteger(value)) return `${value} is not a whole number`;
      const problem = rangeProblem(param, value);
      return problem ? `${value} ${problem}` : null;
    }
    case 'choice':
      return typeof value === 'string' && param.values.includes(value) ? null : `${show(value)} is not one of ${param.values.join(', ')}`;
    case 'switch':
      return typeof value === 'boolean' ? null : `${show(value)} is not true or false`;
    case 'layers':
      if (!Array.isArray(value) || value.length === 0) return `${show(value)} is not a list of layer sizes such as [64, 32]`;
      for (const size of value) {
        if (!(Number.isInteger(size) && size >= 1 && size <= param.maxSize)) return `layer size ${show(size)} is not a whole number from 1 to ${param.maxSize}`;
      }
      return null;
  }
}

/** Reads a CLI flag's or form field's text as a value of `param`; throws the problem text. */
export function parseParamText(param: HyperParam, text: string): HyperParams[HyperParamKey] {
  const trimmed = text.trim();
  let value: unknown = trimmed;
  if (param.kind === 'number' || param.kind === 'integer') value = trimmed === '' ? NaN : Number(trimmed);
  else if (param.kind === 'layers') value = trimmed.split(/[,-]/).map((s) => (s.trim() === '' ? NaN : Number(s.trim())));
  else if (param.kind === 'switch') value = trimmed === 'true' ? true : trimmed === 'false' ? false : trimmed;
  const problem = paramProblem(param, value);
  if (problem) throw new Error(param.kind === 'number' || param.kind === 'integer' ? problem.replace(/^(NaN|null|-?Infinity)(?= )/, `"${text}"`) : problem);
  return value as HyperParams[HyperParamKey];
}

const DEFAULT_HIDDEN: readonly number[] = (hyperParam('hidden') as LayersParam).default;

/**
 * Parameters with the knobs their model does not use at their defaults (a linear model's and the trees' hidden
 * layers empty), so equal models compare equal.
 */
export function normalizeHyperParams<T extends Pick<HyperParams, 'kind' | 'hidden'>>(params: T): T {
  const out: Record<string, unknown> = { ...params };
  for (const param of HYPER_PARAMS as readonly HyperParam[]) {
    if (param.key in out && !usesParam(param, params.kind)) out[param.key] = Array.isArray(param.default) ? [...param.default] : param.default;
  }
  out.hidden = params.kind === 'linear' || params.kind === 'gbdt' ? [] : params.hidden.length ? [...params.hidden] : [...DEFAULT_HIDDEN];
  return out as T;
}

/**
 * Checks a search space: each key a hyper-parameter, each entry a non-empty list of valid values. Throws
 * an Error whose message names the key and the bad value, e.g. 'dropout: 1.5 is not below 1'.
 */
export function searchSpaceProblem(space: unknown): string | null {
  if (!space || typeof space !== 'object' || Array.isArray(space)) return `${show(space)} is not an object of value lists`;
  for (const [key, values] of Object.entries(space)) {
    const param = hyperParam(key);
    if (!param) return `${key}: unknown hyper-parameter; the hyper-parameters are ${HYPER_PARAMS.map((p) => p.key).join(', ')}`;
    if (!Array.isArray(values) || values.length === 0) return `${key}: must be a non-empty list`;
    for (const value of values) {
      if (key === 'kind' && value === 'auto') return `${key}: "auto" is not a model a search can try; use linear, mlp or gbdt`;
      const problem = paramProblem(param, value);
      if (problem) return `${key}: ${problem}`;
    }
  }
  return null;
}
