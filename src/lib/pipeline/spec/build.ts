// Making pipeline specs: a new one for a target, and the spec of a run stored before specs existed.
import type { FeatureSet } from '../features/types.ts';
import type { RecipeStep } from '../recipe/types.ts';
import { HYPER_PARAMS, type HyperParam } from './hyperparams.ts';
import type { PipelineSpec } from './types.ts';
import { SPEC_FORMAT } from './types.ts';
import { parseSpec } from './validate.ts';

/** A deep partial of a spec: what a caller sets; everything else takes its default. */
export type SpecDraft = { target: string } & {
  [K in Exclude<keyof PipelineSpec, 'format' | 'target'>]?: PipelineSpec[K] extends object | null ? Partial<NonNullable<PipelineSpec[K]>> | null : PipelineSpec[K];
};

/** A complete, checked spec from the parts given (the rest at their defaults); errors name the JSON path. */
export function makeSpec(draft: SpecDraft): PipelineSpec {
  return parseSpec({ format: SPEC_FORMAT, ...draft });
}

/** The fields of a training request as stored by runs before pipeline specs (format 0). */
export interface LegacyRequest {
  target: string;
  task?: PipelineSpec['task'] | undefined;
  model: string;
  seed: number;
  epochs: number;
  split?: 'random' | 'stratified' | 'time';
  timeColumn?: string;
  folds?: number;
  featureSet?: FeatureSet;
  search?: { strategy: 'random' | 'grid'; trials?: number; minutes?: number; space: Record<string, unknown> };
  [key: string]: unknown;
}

/**
 * The spec of a run stored before specs existed: its request's fields where they were given (hyper-parameters
 * by the registry's keys; the model kind was `model`, a search space's models `model` too), and its Check
 * stage's steps. Fields the old request could not hold take their defaults.
 */
export function specFromLegacyRequest(request: LegacyRequest, recipeSteps: RecipeStep[] = []): PipelineSpec {
  const model: Record<string, unknown> = { kind: request.model === 'linear' || request.model === 'mlp' ? request.model : 'auto' };
  for (const param of HYPER_PARAMS as readonly HyperParam[]) {
    if (param.key !== 'kind' && request[param.key] !== undefined) model[param.key] = request[param.key];
  }
  if (model.kind === 'linear') delete model.hidden;
  if (Array.isArray(model.hidden) && model.hidden.length === 0) delete model.hidden;
  if (request.search) {
    const { model: kinds, ...space } = request.search.space;
    model.search = {
      strategy: request.search.strategy,
      trials: request.search.trials ?? null,
      minutes: request.search.minutes ?? null,
      space: { ...space, ...(kinds ? { kind: kinds } : {}) },
    };
  }
  return makeSpec({
    target: request.target,
    task: request.task ?? null,
    features: request.featureSet ?? null,
    split: { kind: request.split ?? 'auto', seed: request.seed, timeColumn: request.timeColumn ?? null, folds: request.folds ?? null },
    model: model as Partial<PipelineSpec['model']>,
    check: { recipe: recipeSteps.length ? { version: 1, steps: recipeSteps } : null, rules: null, privacy: [] },
  });
}
