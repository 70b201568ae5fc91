// Hyper-parameter search: random or grid over a declared space, with a trial or time budget, and a leaderboard.
import type { HeadlineKey, SearchCheckpoint, TrialParams, TrialRecord } from '../contracts/training.ts';
import { AppError } from '../pipeline/errors.ts';
import { defaultSearchSpace, HYPER_PARAMS, searchSpaceProblem, type SearchSpace } from '../pipeline/spec/hyperparams.ts';
import type { SpecSearch } from '../pipeline/spec/types.ts';
import { mulberry32 } from '../pipeline/split.ts';
import type { Evaluation, FeaturePlan, TaskKind, TransformBundle } from '../pipeline/types.ts';
import { modelFromArtifacts, modelToArtifacts } from './artifacts.ts';
import type { TrainHooks } from './train.ts';
import type { TrainCheckpoint, TreesCheckpoint } from '../contracts/training.ts';
import type { Predictor } from './predictor.ts';
import { fitBundle, headlineMetrics, normalizeParams, primaryMetric, runTrial, type TrialContext } from './trial.ts';

export type { SearchCheckpoint, SearchSpace, SpecSearch, TrialRecord };

/** A search's default space (the CLI's --search N): linear or MLP, learning rate, layers, L2, dropout. */
export const DEFAULT_SEARCH_SPACE: SearchSpace = defaultSearchSpace();

/** Checks a space: non-empty lists of valid values, naming the bad key. */
export function checkSearchSpace(space: SearchSpace): void {
  const problem = searchSpaceProblem(space);
  if (problem) throw new AppError('bad-argument', `Search space ${problem}`);
}

/** The grid's dimensions, in the registry's order (the last varies fastest). */
const DIMENSIONS = HYPER_PARAMS.map((p) => p.key);

function withChoice(base: TrialParams, space: SearchSpace, pick: (values: unknown[], dim: string) => unknown): TrialParams {
  const params: Record<string, unknown> = { ...base };
  for (const dim of DIMENSIONS) {
    const values = (space as Record<string, unknown[] | undefined>)[dim];
    if (values?.length) params[dim] = pick(values, dim);
  }
  return normalizeParams(params as unknown as TrialParams);
}

/** Every distinct point of the grid, in order (the last dimension varies fastest). */
export function gridPoints(base: TrialParams, space: SearchSpace): TrialParams[] {
  const lists = space as Record<string, unknown[] | undefined>;
  const dims = DIMENSIONS.filter((d) => lists[d]?.length);
  const sizes = dims.map((d) => (lists[d] as unknown[]).length);
  const total = sizes.reduce((a, b) => a * b, 1);
  const seen = new Set<string>();
  const out: TrialParams[] = [];
  for (let i = 0; i < total; i++) {
    let rest = i;
    const index = new Map<string, number>();
    for (let d = dims.length - 1; d >= 0; d--) {
      index.set(dims[d] as string, rest % (sizes[d] as number));
      rest = Math.floor(rest / (sizes[d] as number));
    }
    const params = withChoice(base, space, (values, dim) => values[index.get(dim) ?? 0]);
    const key = JSON.stringify(params);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(params);
    }
  }
  return out;
}

/** `count` distinct random points of the space (fewer when the space has fewer), seeded. */
export function randomPoints(base: TrialParams, space: SearchSpace, count: number, seed: number): TrialParams[] {
  const all = gridPoints(base, space);
  const random = mulberry32(seed ^ 0x5eed);
  const order = all.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order.slice(0, count).map((i) => all[i] as TrialParams);
}

/** Sorts trials best first by the task's metric, then by the tie-breaker (lower log loss or MAE), then trial number. */
export function rankTrials(trials: TrialRecord[], task: TaskKind): TrialRecord[] {
  const { key, tieBreak, higherIsBetter } = primaryMetric(task);
  const value = (t: TrialRecord, k: HeadlineKey, worst: number) => {
    const v = t.metrics[k];
    return v === undefined || Number.isNaN(v) ? worst : v;
  };
  const sorted = [...trials].sort((a, b) => {
    const worst = higherIsBetter ? -Infinity : Infinity;
    const d = higherIsBetter ? value(b, key, worst) - value(a, key, worst) : value(a, key, worst) - value(b, key, worst);
    return d || value(a, tieBreak, Infinity) - value(b, tieBreak, Infinity) || a.trial - b.trial;
  });
  return sorted.map((t, i) => ({ ...t, rank: i + 1 }));
}

/** What a trial was fitted and scored on, for callers that store each trial as a run. */
export interface TrialDetails {
  bundle: TransformBundle;
  plan: FeaturePlan;
  /** Metrics on the validation slice next to the dummy baseline. */
  evaluation: Evaluation;
  /** Rows fitted on, and validation rows scored on (stored as `test`). */
  split: { train: number; test: number };
}

export interface SearchHooks extends TrainHooks {
  /** Called after each trial with its record and model (disposed after the call unless it is the best so far). */
  onTrial?(record: TrialRecord, model: Predictor, details: TrialDetails): Promise<void> | void;
  /**
   * The search's state: after each finished trial (but the last) and whenever the trial in progress writes
   * a training checkpoint (throttled; always before a cancel).
   */
  onSearchCheckpoint?(checkpoint: SearchCheckpoint): Promise<void> | void;
}

export interface SearchResult {
  leaderboard: TrialRecord[];
  best: { record: TrialRecord; model: Predictor; bundle: TransformBundle };
  cancelled: boolean;
  durationMs: number;
}

/**
 * Trains one model per point of the space on `fitRows` and scores it on `validationRows` (a slice of the
 * training split). Keeps the best model; disposes the others. Stops at the trial or minute budget or on cancel.
 * With `resume` (a checkpoint of the same search on the same rows) the finished trials are taken as they
 * were, the interrupted trial continues from its training state, and the rest run as they would have.
 */
export async function runSearch(
  context: TrialContext,
  base: TrialParams,
  search: SpecSearch,
  fitRows: Int32Array,
  validationRows: Int32Array,
  hooks: SearchHooks = {},
  resume?: SearchCheckpoint,
): Promise<SearchResult> {
  checkSearchSpace(search.space);
  if (search.trials !== null && !(Number.isInteger(search.trials) && search.trials >= 1)) {
    throw new AppError('bad-argument', `Search trials must be a whole number of at least 1; got ${search.trials}`);
  }
  if (search.minutes !== null && !(search.minutes > 0)) {
    throw new AppError('bad-argument', `Search minutes must be above 0; got ${search.minutes}`);
  }
  if (search.strategy === 'random' && search.trials === null && search.minutes === null) {
    throw new AppError('bad-argument', 'A random search needs a budget: trials or minutes');
  }
  const points =
    search.strategy === 'grid'
      ? gridPoints(base, search.space).slice(0, search.trials ?? Infinity)
      : randomPoints(base, search.space, search.trials ?? Number.MAX_SAFE_INTEGER, context.seed);
  const started = performance.now() - (resume?.elapsedMs ?? 0);
  const deadline = search.minutes === null ? Infinity : started + search.minutes * 60_000;
  const metric = primaryMetric(context.plan.task);
  const records: TrialRecord[] = resume ? resume.trials.map((t) => ({ ...t })) : [];
  records.forEach((record, i) => {
    if (record.trial !== i + 1 || JSON.stringify(record.params) !== JSON.stringify(points[i])) {
      throw new AppError('bad-argument', `The checkpoint's trial ${record.trial} does not match this search; start it again`);
    }
  });
  let best: SearchResult['best'] | null = null;
  let savedBest = resume?.best;
  if (savedBest) {
    const { trial } = savedBest;
    const record = records.find((t) => t.trial === trial);
    if (!record) throw new AppError('bad-argument', `The checkpoint's best trial ${trial} is not among its finished trials`);
    const model = await modelFromArtifacts(savedBest.model.modelJson, savedBest.model.weights);
    best = { record, model, bundle: savedBest.bundle };
  }
  const total = search.minutes === null ? points.length : undefined;
  const onSearchCheckpoint = hooks.onSearchCheckpoint;
  const checkpoint = (trial: number, train?: TrainCheckpoint | TreesCheckpoint): SearchCheckpoint => ({
    trials: [...records],
    ...(savedBest ? { best: savedBest } : {}),
    trial,
    ...(train ? { train } : {}),
    ...(total !== undefined ? { total } : {}),
    elapsedMs: performance.now() - started,
  });
  let cancelled = false;
  const first = records.length;
  for (let i = first; i < points.length; i++) {
    const params = points[i] as TrialParams;
    // The interrupted trial had started within the budget: it finishes whatever the clock says now.
    const continuing = resume !== undefined && i === first;
    if (i > 0 && !continuing && performance.now() >= deadline) break;
    const trialHooks: SearchHooks = onSearchCheckpoint
      ? { ...hooks, onCheckpoint: (train: TrainCheckpoint | TreesCheckpoint) => onSearchCheckpoint(checkpoint(i + 1, train)) }
      : hooks;
    const saved = continuing && resume.trial === i + 1 ? resume.train : undefined;
    const start = saved ? { bundle: fitBundle(context, fitRows, params.kind), train: saved } : undefined;
    const { bundle, outcome, evaluation, durationMs } = await runTrial(context, params, fitRows, validationRows, trialHooks, start);
    const metrics = evaluation ? headlineMetrics(evaluation.metrics) : {};
    const record: TrialRecord = {
      trial: i + 1,
      rank: 0,
      params,
      seed: context.seed,
      durationMs: durationMs + (saved ? saved.epochMs.reduce((a, b) => a + b, 0) : 0),
      epochsRun: outcome.history.length,
      bestEpoch: outcome.bestEpoch,
      history: outcome.history,
      meanEpochMs: outcome.epochMs.length ? outcome.epochMs.reduce((a, b) => a + b, 0) / outcome.epochMs.length : 0,
      metrics,
      score: metrics[metric.key] ?? NaN,
      metric: metric.key,
    };
    records.push(record);
    if (evaluation) {
      const split = { train: fitRows.length, test: validationRows.length };
      await hooks.onTrial?.(record, outcome.model, { bundle, plan: context.plan, evaluation, split });
    }
    const isBest = !best || rankTrials([best.record, record], context.plan.task)[0]?.trial === record.trial;
    if (isBest) {
      best?.model.dispose();
      best = { record, model: outcome.model, bundle };
      // A cancelled trial is not finished: the checkpoint keeps the previous best and continues this one.
      if (onSearchCheckpoint && !outcome.cancelled) savedBest = { trial: record.trial, model: await modelToArtifacts(outcome.model), bundle };
    } else {
      outcome.model.dispose();
    }
    if (outcome.cancelled) {
      cancelled = true;
      break;
    }
    if (onSearchCheckpoint && i + 1 < points.length) await onSearchCheckpoint(checkpoint(i + 2));
  }
  if (!best) throw new AppError('cancelled', 'The search ended before any trial finished');
  const leaderboard = rankTrials(records, context.plan.task);
  const bestRecord = leaderboard.find((t) => t.trial === best.record.trial) ?? best.record;
  return { leaderboard, best: { ...best, record: bestRecord }, cancelled, durationMs: performance.now() - started };
}
