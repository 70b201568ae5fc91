// The stored record of a run or a search trial, built in one place from what training produced.
import type { Predictor } from './predictor.ts';
import type { PipelineSpec, RunPreparation, RunRecord, TrialParams } from '../contracts/training.ts';
import { modelToArtifacts } from './artifacts.ts';

/** What training produced for a record: everything but the stored files and the time, and the model to serialize. */
export type RunRecordParts = Omit<RunRecord, 'modelJson' | 'weights' | 'createdAt' | 'preparation'> & {
  /** Serialized into the record (not disposed). */
  model: Predictor;
  preparation?: RunPreparation | undefined;
};

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
