// From a spec's model to the hyper-parameters of one training: 'auto' chosen for the task, unused knobs cleared.
import type { ModelKind, TaskKind } from '../types.ts';
import { normalizeHyperParams, type HyperParams } from './hyperparams.ts';
import type { SpecModel, SpecSearch } from './types.ts';

/** Every hyper-parameter of one training, resolved ('auto' chosen). */
export type ResolvedParams = Omit<HyperParams, 'kind'> & { kind: ModelKind };

/**
 * 'auto' without a comparison (runSearchOf compares this model with trees): a linear model for classification (strong on tabular data, fast, easy to read); an MLP with one
 * hidden layer of 32 for regression, where targets often bend against their inputs (mpg against weight).
 */
export function resolveModelKind(requested: ModelKind | 'auto', task: TaskKind): { kind: ModelKind; reason: string } {
  if (requested !== 'auto') return { kind: requested, reason: `${requested} requested` };
  return task === 'regression'
    ? { kind: 'mlp', reason: 'auto: an MLP for regression, where the target may bend against its inputs' }
    : { kind: 'linear', reason: 'auto: a linear (logistic/softmax) model for classification' };
}

/** The spec's model as the hyper-parameters of one training, and why that model kind. */
export function resolveParams(model: SpecModel, task: TaskKind): { params: ResolvedParams; reason: string } {
  const { search: _search, kind: requested, ...rest } = model;
  const { kind, reason } = resolveModelKind(requested, task);
  return { params: normalizeHyperParams({ ...rest, kind }), reason };
}

/**
 * The search a run makes: the spec's own, or for 'auto' a grid of two trials on the validation slice, the rule's
 * model (see resolveModelKind) against gradient-boosted trees, the better one refitted on the whole training
 * split. null: a plain run of one model.
 */
/** Trials 'auto' trains before its refit: the rule's model and the trees. */
export const AUTO_TRIALS = 2;

export function runSearchOf(model: SpecModel, task: TaskKind): SpecSearch | null {
  if (model.search) return model.search;
  if (model.kind !== 'auto') return null;
  return { strategy: 'grid', trials: null, minutes: null, space: { kind: [resolveModelKind('auto', task).kind, 'gbdt'] } };
}
