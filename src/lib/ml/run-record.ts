// The stored record of a run or a search trial, built in one place from what training produced.
import type * as tf from '@tensorflow/tfjs';
import type { EpochRecord, PipelineSpec, RunPreparation, RunRecord, TrialParams } from '../contracts/training.ts';
import type { Evaluation, FeaturePlan, TransformBundle } from '../pipeline/types.ts';
import { modelToArtifacts } from './artifacts.ts';

export interface RunRecordParts {
  id: string;
  versionId: number;
  spec: PipelineSpec;
  params: TrialParams;
  backend: string;
  plan: FeaturePlan;
  bundle: TransformBundle;
  evaluation: Evaluation;
  history: EpochRecord[];
  split: RunRecord['split'];
  durationMs: number;
  /** Serialized into the record (not disposed). */
  model: tf.LayersModel;
  preparation?: RunPreparation | undefined;
  trialOf?: RunRecord['trialOf'];
}

/** The record a run (or a trial) is stored as: the spec it ran, its results and its model as files. */
export async function buildRunRecord(parts: RunRecordParts): Promise<RunRecord> {
  const { model, preparation, trialOf, ...rest } = parts;
  const { modelJson, weights } = await modelToArtifacts(model);
  return {
    ...rest,
    modelJson,
    weights: new Blob([weights]),
    createdAt: new Date().toISOString(),
    ...(preparation ? { preparation } : {}),
    ...(trialOf ? { trialOf } : {}),
  };
}

/**
 * The spec of one search trial as a run of its own: the trial's hyper-parameters, no search and no
 * cross-validation. Re-running it trains that trial's model on the whole training split.
 */
export function trialSpec(spec: PipelineSpec, params: TrialParams): PipelineSpec {
  return { ...spec, split: { ...spec.split, folds: null }, model: { ...spec.model, ...params, search: null } };
}
