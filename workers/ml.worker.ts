// The ML worker: trains (behind the Check gate, on cleaned data) and evaluates runs, saves, scores, exports and imports models; reads and writes IndexedDB itself.
import './comlink-errors.ts';
import { expose } from 'comlink';
import { chooseBackend } from '../src/lib/ml/backend-browser.ts';
import { buildRunRecord, trialSpec } from '../src/lib/ml/run-record.ts';
import { runPipeline, type RunOutput } from '../src/lib/ml/run.ts';
import { modelSizeBytes, modelToArtifacts } from '../src/lib/ml/artifacts.ts';
import { computedOn } from '../src/lib/ml/predictor.ts';
import type { ReviewRecord } from '../src/lib/contracts/training.ts';
import { reviewRun } from '../src/lib/ml/review/review-run.ts';
import { makeReference } from '../src/lib/ml/monitor/reference.ts';
import type { PipelineSpec } from '../src/lib/pipeline/spec/types.ts';
import { parseSpec } from '../src/lib/pipeline/spec/validate.ts';
import type { DataTable, ModelKind } from '../src/lib/pipeline/types.ts';
import { AUTO_TRIALS } from '../src/lib/pipeline/spec/resolve.ts';
import { registerModel, type SaveModelOptions } from '../src/lib/store/models.ts';
import { saveRun } from '../src/lib/store/runs.ts';
import type { RunPreparation } from '../src/lib/store/records.ts';
import {
  deleteCheckpoint,
  getCheckpoint,
  listCheckpoints,
  putCheckpoint,
  saveResumedRun,
  type CheckpointRecord,
} from '../src/lib/store/checkpoints.ts';
import type { BackendChoice, BackendInfo, FileInput, MlApi, ResumableRun, ScoreProgress, TrainProgress, TrainRequest, TrainResult } from './protocol.ts';
import { withTrainLock } from './train-lock.ts';
import { applyPreparation, passGate, preparedTable } from './data/prepare.ts';
import { memoLoader } from './data/table-cache.ts';
import { compareChampion } from './ml/champion.ts';
import { explainTestRow } from './ml/explain.ts';
import { cancelScore, predictForm, predictRow, scoreModelFile } from './ml/predicting.ts';
import { exportModelBundle } from './ml/export-model.ts';
import { importModelBundle } from './ml/import-model.ts';
import { checkDrift } from './ml/monitor.ts';
import type { DriftProgress, DriftRequest, RetrainProgress, RetrainRequest } from '../src/lib/contracts/monitor.ts';
import { retrain } from './ml/retrain.ts';
import { dueSchedules } from './ml/retrain-schedule.ts';

/** Cancel flags of the runs in progress, by run id. */
const cancelled = new Map<string, boolean>();
/** Cancels of runs not registered yet, by run id, with the time they came. */
const pendingCancels = new Map<string, number>();
/** How long a cancel may wait for its run to register. */
const EARLY_CANCEL_MS = 30_000;
/** Backend answers by preference: probing the adapter and starting WASM happen once. */
const backends = new Map<string, Promise<BackendInfo>>();

function backendFor(preferred: BackendChoice = 'auto'): Promise<BackendInfo> {
  let info = backends.get(preferred);
  if (!info) {
    info = chooseBackend(preferred);
    backends.set(preferred, info);
    info.catch(() => backends.delete(preferred));
  }
  return info;
}

/** The table a run trains on, the Check-stage steps that made it from the stored version, and its full spec. */
interface RunTable {
  table: DataTable;
  preparation?: RunPreparation | undefined;
  spec: PipelineSpec;
}

/**
 * Trains (or, with a checkpoint, continues) one run and stores it. Runs write a checkpoint after epochs
 * (throttled, and always before a cancel; searches also after each trial); a run that finishes deletes it.
 */
async function execute(
  request: { runId: string; versionId: number; backend?: BackendChoice | undefined },
  onProgress: ((p: TrainProgress) => void) | undefined,
  { table, preparation, spec }: RunTable,
  checkpoint?: CheckpointRecord,
): Promise<TrainResult> {
  const { runId, versionId } = request;
  try {
    const { backend } = await backendFor(request.backend);
    // What is being trained now: a network's epochs or the trees' rounds (a search's or 'auto''s trials differ).
    let model: ModelKind | undefined;
    let epochs = spec.model.kind === 'gbdt' ? spec.model.rounds : spec.model.epochs;
    const search = spec.model.search ?? (spec.model.kind === 'auto' ? { strategy: 'grid' as const, minutes: null, trials: AUTO_TRIALS } : null);
    let trial: { trial: number; trials?: number } | undefined = search
      ? { trial: checkpoint?.state.search?.trial ?? 1, ...(search.minutes === null && search.trials !== null && (search.strategy === 'random' || !spec.model.search) ? { trials: search.trials } : {}) }
      : undefined;
    let refitting = false;
    const out = await runPipeline(
      table,
      spec,
      {
        onModel: (params) => {
          model = params.kind;
          epochs = params.kind === 'gbdt' ? params.rounds : params.epochs;
        },
        onEpoch: (epoch, loss, valLoss) => void onProgress?.({ runId, epoch, epochs, ...(model ? { model } : {}), loss, valLoss, backend: computedOn(model ?? spec.model.kind, backend), ...(trial ?? {}), ...(refitting ? { refit: true } : {}) }),
        onPhase: (phase) => void (refitting = phase === 'refitting'),
        shouldStop: () => cancelled.get(runId) === true,
        onRunCheckpoint: (state) => {
          if (state.search) trial = { trial: state.search.trial, ...(state.search.total ? { trials: state.search.total } : {}) };
          return putCheckpoint({
            runId,
            versionId,
            target: spec.target,
            spec,
            ...(request.backend ? { backendChoice: request.backend } : {}),
            backend,
            epoch: (state.train ?? state.search?.train)?.epoch ?? 0,
            epochs,
            ...(model ? { model } : {}),
            ...(trial ?? {}),
            updatedAt: new Date().toISOString(),
            state,
            ...(preparation ? { preparation } : {}),
          });
        },
        // Each search trial is a run of its own, evaluated on the validation slice it was ranked by.
        onTrial: async (record, model, { bundle, plan, evaluation, split }) => {
          trial = { ...(trial ?? {}), trial: record.trial + 1 };
          const stored = await buildRunRecord({
            id: `${runId}/trial-${record.trial}`,
            versionId,
            spec: trialSpec(spec, record.params),
            params: record.params,
            backend: computedOn(record.params.kind, backend),
            plan,
            bundle,
            evaluation,
            history: record.history,
            split,
            durationMs: record.durationMs,
            model,
            preparation,
            trialOf: { runId, trial: record.trial },
          });
          // A resumed search replaces the record its interrupted trial left when it was cancelled.
          await (checkpoint ? saveResumedRun : saveRun)(stored);
        },
      },
      checkpoint?.state,
    );
    const review = out.cancelled ? undefined : await reviewOf(out, table, spec, runId);
    // What later batches are compared with (Monitor): the training rows' columns and the test predictions, sketched.
    const reference = out.cancelled ? undefined : await makeReference(runId, out.model, table, out.bundle, out.splitRows, 'training');
    const record = await buildRunRecord({
      id: runId,
      versionId,
      spec,
      params: out.params,
      backend: computedOn(out.params.kind, backend),
      plan: out.plan,
      bundle: out.bundle,
      evaluation: out.evaluation,
      history: out.history,
      split: out.split,
      durationMs: out.durationMs,
      model: out.model,
      preparation,
      ...(out.refit ? { refit: out.refit } : {}),
    });
    out.model.dispose();
    await (checkpoint ? saveResumedRun : saveRun)(record, review, reference);
    if (!out.cancelled) await deleteCheckpoint(runId);
    const { plan, bundle, evaluation, history, split, durationMs, params } = out;
    return {
      runId,
      backend: computedOn(params.kind, backend),
      plan,
      bundle,
      evaluation,
      split,
      history,
      durationMs,
      params,
      spec,
      cancelled: out.cancelled,
      ...(out.leaderboard ? { leaderboard: out.leaderboard.map(({ history: _history, ...t }) => t) } : {}),
      ...(out.refit ? { refit: out.refit } : {}),
      ...(out.cv ? { cv: out.cv } : {}),
    };
  } finally {
    cancelled.delete(runId);
  }
}

/**
 * The run's evaluation report on its test rows: every metric with seeded bootstrap intervals, calibration,
 * fairness by the policy's sensitive columns, permutation importance and the policy's verdict.
 */
async function reviewOf(out: RunOutput, table: DataTable, spec: PipelineSpec, runId: string): Promise<ReviewRecord> {
  const { modelJson, weights } = await modelToArtifacts(out.model);
  const { evaluation, importance } = await reviewRun(out.model, table, out.bundle, out.splitRows, spec, { bytes: modelSizeBytes(modelJson, weights.byteLength) });
  return { runId, createdAt: new Date().toISOString(), report: { ...evaluation, importance } };
}

/**
 * Runs `work` (gate, preparation, training) with the run's cancel flag registered from the start, so a
 * cancel that arrives while the gate checks the version is not lost.
 */
async function cancellable<T>(runId: string, work: () => Promise<T>): Promise<T> {
  // A cancel that arrived just before the run was registered (the client chose the id) still counts; an old one does not.
  const early = pendingCancels.get(runId);
  pendingCancels.delete(runId);
  cancelled.set(runId, early !== undefined && Date.now() - early < EARLY_CANCEL_MS);
  try {
    return await work();
  } finally {
    cancelled.delete(runId);
  }
}

/** Trains a run behind the Check gate on the version's prepared table (MlApi.train). */
async function train(request: TrainRequest, onProgress?: (p: TrainProgress) => void): Promise<TrainResult> {
  const runId = request.runId ?? crypto.randomUUID();
  const asked = parseSpec(request.spec);
  return withTrainLock(request.versionId, asked.target, () =>
    cancellable(runId, async () => {
      const load = memoLoader();
      await passGate(request.versionId, 'Training', { load });
      const { table, preparation, input, check } = await preparedTable(request.versionId, { load });
      // The spec as run: the version it ran on and the Check stage its table went through.
      const spec: PipelineSpec = { ...asked, input, check };
      return execute({ runId, versionId: request.versionId, backend: request.backend }, onProgress, { table, preparation, spec });
    }),
  );
}

/** The MlApi, exported so that Node tests can call it without a worker. */
export const mlApi = {
  async backendInfo(preferred?: BackendChoice) {
    return backendFor(preferred);
  },

  async train(request: TrainRequest, onProgress?: (p: TrainProgress) => void): Promise<TrainResult> {
    return train(request, onProgress);
  },

  async listResumable(): Promise<ResumableRun[]> {
    return (await listCheckpoints()).map(({ runId, versionId, target, epoch, epochs, model, updatedAt, trial, trials }) => ({
      runId,
      versionId,
      target,
      epoch,
      epochs,
      ...(model ? { model } : {}),
      updatedAt,
      ...(trial !== undefined ? { trial } : {}),
      ...(trials !== undefined ? { trials } : {}),
    }));
  },

  async resume(runId: string, onProgress?: (p: TrainProgress) => void): Promise<TrainResult> {
    const checkpoint = await getCheckpoint(runId);
    const { versionId, spec, preparation, backendChoice } = checkpoint;
    return withTrainLock(versionId, spec.target, () =>
      cancellable(runId, async () => {
        const load = memoLoader();
        await passGate(versionId, 'Training', { load });
        // The checkpoint's split rows refer to the table the run started on: the same steps, not the latest recipe.
        const raw = await load(versionId);
        const table = preparation ? await applyPreparation(raw, preparation) : raw;
        const backend = backendChoice as BackendChoice | undefined;
        return execute({ runId, versionId, backend }, onProgress, { table, preparation, spec }, checkpoint);
      }),
    );
  },

  async discardCheckpoint(runId: string): Promise<void> {
    await deleteCheckpoint(runId);
  },

  cancel(runId: string) {
    if (cancelled.has(runId)) cancelled.set(runId, true);
    else pendingCancels.set(runId, Date.now());
  },

  async saveModel(runId: string, name: string, options?: SaveModelOptions) {
    return registerModel(runId, name, options);
  },

  async compareChampion(runId: string, modelName: string) {
    return compareChampion(runId, modelName, () => backendFor('auto'));
  },

  async explainTestRow(runId: string, position: number) {
    return explainTestRow(runId, position, () => backendFor('auto'));
  },

  async score(modelId: number, file: FileInput, onProgress?: (p: ScoreProgress) => void, jobId?: string) {
    return scoreModelFile(modelId, file, () => backendFor('auto'), onProgress, jobId);
  },

  cancelScore(jobId: string) {
    cancelScore(jobId);
  },

  async predictForm(modelId: number) {
    return predictForm(modelId, () => backendFor('auto'));
  },

  async predictRow(modelId: number, values: Record<string, string>) {
    return predictRow(modelId, values, () => backendFor('auto'));
  },

  async exportModel(modelId: number) {
    return exportModelBundle(modelId);
  },

  async importModelBundle(file: FileInput) {
    return importModelBundle(file, () => backendFor('auto'));
  },

  async checkDrift(request: DriftRequest, onProgress?: (p: DriftProgress) => void) {
    return checkDrift(request, () => backendFor('auto'), onProgress);
  },

  async retrain(request: RetrainRequest, onProgress?: (p: RetrainProgress) => void) {
    const deps = {
      train,
      compareChampion: (runId: string, name: string) => compareChampion(runId, name, () => backendFor('auto')),
    };
    return retrain(request, deps, onProgress);
  },

  async dueSchedules(now?: string) {
    return dueSchedules(now === undefined ? new Date() : new Date(now));
  },
} satisfies MlApi;

// Only inside a worker: in Node (tests) the module just exports the API.
if ('WorkerGlobalScope' in globalThis) expose(mlApi satisfies MlApi);
