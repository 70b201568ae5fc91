// The pipeline spec: one versioned JSON document naming the input, the Check stage, features, target, split and model of a run.
import type { FeatureSet } from '../features/types.ts';
import type { PrivacyDecision } from '../privacy/types.ts';
import type { Rule } from '../quality/types.ts';
import type { RecipeStep } from '../recipe/types.ts';
import type { ColumnType, TaskKind } from '../types.ts';
import type { ReviewPolicy } from '../review/policy.ts';
import type { MonitorPolicy } from '../monitor/policy.ts';
import type { HyperParams, SearchSpace } from './hyperparams.ts';

export const SPEC_FORMAT = 'millrace.pipeline/1';

/** The data a pipeline ran on, and how its columns are read. */
export interface SpecInput {
  /** The studio's dataset name (the file's name in the CLI). */
  dataset: string | null;
  /** The dataset version number in the studio; null in the CLI. */
  version: number | null;
  /** SHA-256 of the version's content (the file's bytes); a run on other data says so. */
  sha256: string | null;
  /** Column types chosen instead of the inferred ones. */
  types: Record<string, ColumnType>;
  /** Date columns and the format their values are written in, e.g. "dd/mm/yyyy". */
  dateFormats: Record<string, string>;
}

/** The Check stage: the cleaning recipe, the rule suite and the personal-data decisions. */
export interface SpecCheck {
  /** null: no recipe. */
  recipe: { version: number; steps: RecipeStep[] } | null;
  /** null: rules suggested from the data, which only warn. */
  rules: { name: string; version: number; rules: Rule[]; reference: number | null } | null;
  /** Decisions on columns that hold personal data (drop, mask, hash, or allow with a note). */
  privacy: PrivacyDecision[];
}

export type SplitChoice = 'auto' | 'random' | 'stratified' | 'time';

export interface SpecSplit {
  /** auto: stratified for classes, random for regression. */
  kind: SplitChoice;
  /** Seed of the split, the initial weights and the shuffling (0 to 4294967295). */
  seed: number;
  /** The column a time split orders by; required with kind "time". */
  timeColumn: string | null;
  /** Also cross-validate on this many folds of the training split; null: no cross-validation. */
  folds: number | null;
}

export interface SpecSearch {
  strategy: 'random' | 'grid';
  /** Most trials; null: grid searches try the whole grid, random searches need `minutes`. */
  trials: number | null;
  /** Starts no new trial after this many minutes; null: no time budget. */
  minutes: number | null;
  space: SearchSpace;
}

/** The model: every hyper-parameter, and optionally a search over some of them. */
export type SpecModel = HyperParams & { search: SpecSearch | null };

export interface PipelineSpec {
  format: typeof SPEC_FORMAT;
  input: SpecInput;
  check: SpecCheck;
  /** null: the automatic features (numbers standardized, categories one-hot). */
  features: FeatureSet | null;
  target: string;
  /** null: inferred from the target. */
  task: TaskKind | null;
  split: SpecSplit;
  model: SpecModel;
  /** The review policy: metric, fairness, calibration, size and latency limits, sensitive columns; null: every headline metric must beat the dummy baseline. */
  review: ReviewPolicy | null;
  /** The monitoring policy: what triggers a retrain, on what data, and whether its candidate replaces the champion; null: the defaults. */
  monitor: MonitorPolicy | null;
}
