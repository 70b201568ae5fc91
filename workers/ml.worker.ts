// The ML worker: trains and evaluates runs, saves, scores and exports models; reads and writes IndexedDB itself.
import './comlink-errors.ts';
import { expose } from 'comlink';
import { modelFromArtifacts, modelToArtifacts } from '../src/lib/ml/artifacts.ts';
import { chooseBackend } from '../src/lib/ml/backend-browser.ts';
import { zipBundle } from '../src/lib/ml/bundle.ts';
import { exportFiles, modelLabel } from '../src/lib/ml/export.ts';
import { runPipeline } from '../src/lib/ml/run.ts';
import { scoreTable } from '../src/lib/ml/score.ts';
import { predictionsCsv } from '../src/lib/pipeline/csv-write.ts';
import { parseFile } from '../src/lib/pipeline/parse.ts';
import { getVersion, loadVersionTable } from '../src/lib/store/datasets.ts';
import { appendAudit } from '../src/lib/store/audit.ts';
import { getModelWithRun, registerModel } from '../src/lib/store/models.ts';
import { saveRun } from '../src/lib/store/runs.ts';
import type { RunRecord } from '../src/lib/store/records.ts';
import {
  deleteCheckpoint,
  getCheckpoint,
  listCheckpoints,
  putCheckpoint,
  saveResumedRun,
  type CheckpointRecord,
} from '../src/lib/store/checkpoints.ts';
import type { BackendInfo, FileInput, MlApi, ResumableRun, TrainProgress, TrainRequest, TrainResult } from './protocol.ts';
import { withTrainLock } from './train-lock.ts';

/** Cancel flags of the runs in progress, by run id. */
const cancelled = new Map<string, boolean>();
/** Backend answers by preference: probing the adapter and starting WASM happen once. */
const backends = new Map<string, Promise<BackendInfo>>();

function backendFor(preferred: TrainRequest['backend'] = 'auto'): Promise<BackendInfo> {
  let info = backends.get(preferred);
  if (!info) {
    info = chooseBackend(preferred);
    backends.set(preferred, info);
    info.catch(() => backends.delete(preferred));
  }
  return info;
}

async function fileBytes(file: FileInput): Promise<Uint8Array> {
  return new Uint8Array(file.data instanceof ArrayBuffer ? file.data : await file.data.arrayBuffer());
}

const baseName = (fileName: string) => fileName.replace(/\.[^.]+$/, '') || 'data';

async function loadSavedModel(modelId: number) {
  const { model, run } = await getModelWithRun(modelId);
  await backendFor(run.request.backend);
  const network = await modelFromArtifacts(run.modelJson, await run.weights.arrayBuffer());
  return { model, run, network };
}

/**
 * Trains (or, with a checkpoint, continues) one run and stores it. Plain runs write a checkpoint after
 * epochs (throttled, and always before a cancel); a run that finishes deletes it.
 */
async function execute(
  request: TrainRequest & { runId: string },
  onProgress: ((p: TrainProgress) => void) | undefined,
  checkpoint?: CheckpointRecord,
): Promise<TrainResult> {
  const { runId } = request;
  cancelled.set(runId, false);
  try {
    const { backend } = await backendFor(request.backend);
    const table = await loadVersionTable(request.versionId);
    const createdAt = () => new Date().toISOString();
    const out = await runPipeline(
      table,
      request,
      {
        onEpoch: (epoch, loss, valLoss) => void onProgress?.({ runId, epoch, epochs: request.epochs, loss, valLoss, backend }),
        shouldStop: () => cancelled.get(runId) === true,
        onRunCheckpoint: (state) =>
          putCheckpoint({
            runId,
            versionId: request.versionId,
            target: request.target,
            request,
            backend,
            epoch: state.train.epoch,
            epochs: request.epochs,
            updatedAt: createdAt(),
            state,
          }),
        // Each search trial is a run of its own, evaluated on the validation slice it was ranked by.
        onTrial: async (trial, model, { bundle, plan, evaluation, split }) => {
          const artifacts = await modelToArtifacts(model);
          const trialId = `${runId}/trial-${trial.trial}`;
          await saveRun({
            id: trialId,
            versionId: request.versionId,
            request: { ...request, ...trial.params, runId: trialId, seed: trial.seed, search: undefined, folds: undefined },
            backend,
            plan,
            bundle,
            evaluation,
            history: trial.history,
            split,
            durationMs: trial.durationMs,
            modelJson: artifacts.modelJson,
            weights: new Blob([artifacts.weights]),
            createdAt: createdAt(),
          });
        },
      },
      checkpoint?.state,
    );
    const { modelJson, weights } = await modelToArtifacts(out.model);
    out.model.dispose();
    const record: RunRecord = {
      id: runId,
      versionId: request.versionId,
      request: { ...request, runId, ...out.params },
      backend,
      plan: out.plan,
      bundle: out.bundle,
      evaluation: out.evaluation,
      history: out.history,
      split: out.split,
      durationMs: out.durationMs,
      modelJson,
      weights: new Blob([weights]),
      createdAt: createdAt(),
    };
    if (checkpoint) await saveResumedRun(record);
    else await saveRun(record);
    if (!out.cancelled) await deleteCheckpoint(runId);
    const { plan, bundle, evaluation, history, split, durationMs } = out;
    return {
      runId,
      backend,
      plan,
      bundle,
      evaluation,
      split,
      history,
      durationMs,
      cancelled: out.cancelled,
      ...(out.leaderboard ? { leaderboard: out.leaderboard.map(({ history: _history, ...trial }) => trial) } : {}),
      ...(out.cv ? { cv: out.cv } : {}),
    };
  } finally {
    cancelled.delete(runId);
  }
}

/** The MlApi, exported so that Node tests can call it without a worker. */
export const mlApi = {
  async backendInfo(preferred?: TrainRequest['backend']) {
    return backendFor(preferred);
  },

  async train(request: TrainRequest, onProgress?: (p: TrainProgress) => void): Promise<TrainResult> {
    const runId = request.runId ?? crypto.randomUUID();
    return withTrainLock(request.versionId, request.target, () => execute({ ...request, runId }, onProgress));
  },

  async listResumable(): Promise<ResumableRun[]> {
    return (await listCheckpoints()).map(({ runId, versionId, target, epoch, epochs, updatedAt }) => ({
      runId,
      versionId,
      target,
      epoch,
      epochs,
      updatedAt,
    }));
  },

  async resume(runId: string, onProgress?: (p: TrainProgress) => void): Promise<TrainResult> {
    const checkpoint = await getCheckpoint(runId);
    const { request } = checkpoint;
    return withTrainLock(request.versionId, request.target, () => execute(request, onProgress, checkpoint));
  },

  async discardCheckpoint(runId: string): Promise<void> {
    await deleteCheckpoint(runId);
  },

  cancel(runId: string) {
    if (cancelled.has(runId)) cancelled.set(runId, true);
  },

  async saveModel(runId: string, name: string) {
    return registerModel(runId, name);
  },

  async score(modelId: number, file: FileInput) {
    const { model, run, network } = await loadSavedModel(modelId);
    try {
      const table = parseFile(await fileBytes(file), file.name);
      const columns = await scoreTable(network, run.bundle, table);
      const csv = new Blob([predictionsCsv(table, columns)], { type: 'text/csv' });
      const fileName = `${baseName(file.name)}-scored-${model.name}-v${model.version}.csv`;
      await appendAudit('score', `${model.name} v${model.version}`, { modelId, file: file.name, rows: table.rowCount });
      return { rows: table.rowCount, csv, fileName };
    } finally {
      network.dispose();
    }
  },

  async exportModel(modelId: number) {
    const { model, run } = await getModelWithRun(modelId);
    const version = await getVersion(run.versionId);
    const files = exportFiles({
      modelJson: run.modelJson,
      weights: await run.weights.arrayBuffer(),
      card: {
        name: model.name,
        version: model.version,
        createdAt: model.createdAt,
        datasetFile: version.fileName,
        datasetSha256: version.sha256,
        rows: version.rows,
        bundle: run.bundle,
        plan: run.plan,
        evaluation: run.evaluation,
        backend: run.backend,
        model: modelLabel(run.request),
        seed: run.request.seed,
      },
    });
    const zip = new Blob([zipBundle(files) as Uint8Array<ArrayBuffer>], { type: 'application/zip' });
    const fileName = `${model.name}-v${model.version}.zip`;
    await appendAudit('export', `${model.name} v${model.version}`, { modelId, runId: run.id, fileName, bytes: zip.size });
    return { zip, fileName };
  },
} satisfies MlApi;

// Only inside a worker: in Node (tests) the module just exports the API.
if ('WorkerGlobalScope' in globalThis) expose(mlApi satisfies MlApi);
