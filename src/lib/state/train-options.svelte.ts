// The Train form's pipeline options: split, cross-validation, every hyper-parameter (from the registry) and the search with its
// space (its fields those of the models it tries; its model list follows the model choice until the person edits it).
import { AppError } from '../pipeline/errors.ts';
import {
  defaultHyperParams,
  defaultSearchSpace,
  HYPER_PARAMS,
  parseParamText,
  type HyperParam,
  type HyperParams,
  type SearchSpace,
  usesParam,
} from '../pipeline/spec/hyperparams.ts';
import type { ModelKind } from '../pipeline/types.ts';
import type { PipelineSpec, SplitChoice } from '../pipeline/spec/types.ts';

export type { SplitChoice };

/** How a value of `param` is written in a comma list: layers as sizes joined by "-" (64-32 is two layers). */
export function valueText(param: HyperParam, value: unknown): string {
  return Array.isArray(value) ? value.join('-') : String(value);
}

/** The label of a search-space field. */
export function searchLabel(param: HyperParam): string {
  return `${param.label} (search)`;
}

/** A comma list of values of `param`, each checked; names the field and the bad entry. */
export function valueList(param: HyperParam, text: string): unknown[] {
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (!parts.length) throw new AppError('bad-argument', `${searchLabel(param)}: give at least one value, or clear the search of it`);
  return parts.map((part) => {
    if (param.key === 'kind' && part === 'auto') throw new AppError('bad-argument', `${searchLabel(param)}: a search tries linear, mlp or gbdt, not auto`);
    try {
      return parseParamText(param, part);
    } catch (error) {
      throw new AppError('bad-argument', `${searchLabel(param)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}

/** The hyper-parameters a form shows a search field for: those a default search varies. */
export const SEARCH_FIELDS: readonly HyperParam[] = (HYPER_PARAMS as readonly HyperParam[]).filter((p) => 'search' in p && p.search);

const KINDS: readonly ModelKind[] = ['linear', 'mlp', 'gbdt'];
/** The model list a search tries by default (the registry's search values). */
const DEFAULT_KINDS_TEXT = (defaultSearchSpace().kind ?? []).join(', ');

/** The search's model list for a model choice: the default list for 'auto', else that model alone. */
export function kindsTextFor(kind: ModelKind | 'auto'): string {
  return kind === 'auto' ? DEFAULT_KINDS_TEXT : kind;
}

/** The models a search over `kindsText` tries (the valid names in it; none named: `chosen`, or every model for 'auto'). */
export function searchKinds(kindsText: string, chosen: ModelKind | 'auto'): readonly ModelKind[] {
  const named = kindsText.split(',').map((s) => s.trim()).filter((s): s is ModelKind => (KINDS as readonly string[]).includes(s));
  if (named.length) return named;
  return chosen === 'auto' ? KINDS : [chosen];
}

/** The form state; `specParts()` turns it into the spec's split and model or throws naming the bad field. */
export class TrainOptions {
  split = $state<SplitChoice>('auto');
  timeColumn = $state('');
  folds = $state<0 | 5>(0);
  seed = $state(42);
  /** Every hyper-parameter, at the registry's defaults. */
  params = $state<HyperParams>(defaultHyperParams());

  search = $state(false);
  strategy = $state<'random' | 'grid'>('random');
  trials = $state(6);
  minutes = $state(0);
  /** The search space as comma lists, by hyper-parameter key. */
  space = $state<Record<string, string>>(
    Object.fromEntries(
      Object.entries(defaultSearchSpace()).map(([key, values]) => [key, (values as unknown[]).map((v) => valueText(HYPER_PARAMS.find((p) => p.key === key) as HyperParam, v)).join(', ')]),
    ),
  );

  /** The search fields that matter: the model list, and the parameters of the models it tries. */
  get searchFields(): readonly HyperParam[] {
    const kinds = searchKinds(this.space.kind ?? '', this.params.kind);
    return SEARCH_FIELDS.filter((p) => p.key === 'kind' || kinds.some((k) => usesParam(p, k)));
  }

  /**
   * Sets one hyper-parameter (a form field's change). A new model choice carries the search's model list with it
   * (trees search trees) while that list is still the one the previous choice gave.
   */
  setParam(key: string, value: unknown): void {
    if (key === 'kind' && this.space.kind === kindsTextFor(this.params.kind)) {
      this.space.kind = kindsTextFor(value as ModelKind | 'auto');
    }
    (this.params as Record<string, unknown>)[key] = value;
  }

  /** The search space from the comma lists of the fields that matter (a cleared list keeps the run's own value). */
  searchSpace(): SearchSpace {
    const out: Record<string, unknown[]> = {};
    for (const param of this.searchFields) {
      const text = this.space[param.key] ?? '';
      if (text.trim()) out[param.key] = valueList(param, text);
    }
    return out as SearchSpace;
  }

  /** Takes a spec's split and model into the form (Use pipeline…). */
  load(spec: Pick<PipelineSpec, 'split' | 'model'>): void {
    this.split = spec.split.kind;
    this.timeColumn = spec.split.timeColumn ?? '';
    this.folds = spec.split.folds ? 5 : 0;
    this.seed = spec.split.seed;
    const { search, ...params } = spec.model;
    this.params = structuredClone(params);
    this.search = search !== null;
    if (search) {
      this.strategy = search.strategy;
      this.trials = search.trials ?? 0;
      this.minutes = search.minutes ?? 0;
      const space: Record<string, string> = {};
      for (const param of SEARCH_FIELDS) {
        const values = (search.space as Record<string, unknown[] | undefined>)[param.key];
        space[param.key] = values ? values.map((v) => valueText(param, v)).join(', ') : '';
      }
      this.space = space;
    }
  }

  /** The spec's split and model as the form says; throws naming the field when one is wrong. */
  specParts(): Pick<PipelineSpec, 'split' | 'model'> {
    if (this.split === 'time' && !this.timeColumn) throw new AppError('bad-argument', 'A time-based split needs a time column; choose one under Split');
    const trials = Math.round(this.trials);
    if (this.search && this.strategy === 'random' && !(trials >= 1) && !(this.minutes > 0)) {
      throw new AppError('bad-argument', `Trials must be 1 or more; got ${this.trials}`);
    }
    return {
      split: { kind: this.split, seed: Math.round(this.seed), timeColumn: this.split === 'time' ? this.timeColumn : null, folds: this.folds || null },
      model: {
        ...($state.snapshot(this.params) as HyperParams),
        search: this.search
          ? { strategy: this.strategy, trials: trials >= 1 ? trials : null, minutes: this.minutes > 0 ? this.minutes : null, space: this.searchSpace() }
          : null,
      },
    };
  }
}
