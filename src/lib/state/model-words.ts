// Models in people's words, the same on every screen: "gradient-boosted trees (100 rounds, 31 leaves)", the unit a
// run counts (epochs for networks, boosting rounds for trees), and how a prediction's explanation was computed.
import type { Attribution } from '../contracts/review.ts';
import type { HyperParams } from '../pipeline/spec/hyperparams.ts';
import type { ModelKind } from '../pipeline/types.ts';

type Params = Pick<HyperParams, 'hidden' | 'learningRate' | 'epochs' | 'l2' | 'dropout' | 'rounds' | 'leaves' | 'treeLearningRate'> & {
  kind: ModelKind | 'auto';
  activation?: string;
};

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** What a run counts: 'round' for trees, 'epoch' for networks (and for runs of unknown kind). */
export function stepUnit(kind: ModelKind | 'auto' | undefined | null): 'round' | 'epoch' {
  return kind === 'gbdt' ? 'round' : 'epoch';
}

/** "5 rounds", "1 epoch". */
export function steps(n: number, kind: ModelKind | 'auto' | undefined | null): string {
  return plural(n, stepUnit(kind));
}

/** The model in words with its size: "gradient-boosted trees (100 rounds, 31 leaves)", "MLP (64-32)", "linear model". */
export function modelWords(params: Pick<Params, 'kind' | 'hidden' | 'rounds' | 'leaves'>): string {
  switch (params.kind) {
    case 'gbdt':
      return `gradient-boosted trees (${plural(params.rounds, 'round')}, ${plural(params.leaves, 'leaf', 'leaves')})`;
    case 'mlp':
      return `MLP (${params.hidden.join('-')})`;
    case 'linear':
      return 'linear model';
    default:
      return 'automatic model';
  }
}

/**
 * A run's parameters on one line for lists: the model, then what it was trained with ("lr 0.01 · L2 0.001 · 100
 * epochs" for a network, "tree lr 0.1" for trees). `detail` adds the MLP's activation and dropout even when 0.
 */
export function paramsLine(params: Params, detail = false): string {
  const parts = [modelWords(params)];
  if (params.kind === 'gbdt') {
    parts.push(`tree lr ${params.treeLearningRate}`);
    if (params.l2 || detail) parts.push(`L2 ${params.l2}`);
    return parts.join(' · ');
  }
  parts.push(`lr ${params.learningRate}`);
  if (params.kind === 'mlp' && detail && params.activation) parts.push(params.activation);
  if (params.l2 || detail) parts.push(`L2 ${params.l2}`);
  if (params.kind === 'mlp' && (params.dropout || detail)) parts.push(`dropout ${params.dropout}`);
  if (!detail) parts.push(steps(params.epochs, params.kind));
  return parts.join(' · ');
}

type Explained = Pick<Attribution, 'method' | 'relativeGap' | 'value' | 'baselineValue'>;

/**
 * What a prediction's shares add up to and how they were computed: "23.100 against 25.400 for a typical case (training
 * medians and modes); exact for this linear model", or for trees "…; TreeSHAP, exact; against the trees' average
 * prediction over the training rows". `format` writes the two values; `noun` is what the form or the test split calls a row.
 */
export function attributionBasis(e: Explained, format: (v: number) => string, noun: 'row' | 'case'): string {
  const values = `${format(e.value)} against ${format(e.baselineValue)}`;
  if (e.method === 'tree-shap') return `${values}; TreeSHAP, exact; against the trees' average prediction over the training rows`;
  const method = e.method === 'linear' ? 'exact for this linear model' : `Integrated Gradients, within ${(e.relativeGap * 100).toFixed(2)}% of the difference`;
  return `${values} for a typical ${noun} (training medians and modes); ${method}`;
}
