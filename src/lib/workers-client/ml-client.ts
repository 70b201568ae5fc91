// Owns the ML worker: starts it, forwards MlApi calls (training progress through a Comlink proxy), ends it.
import { proxy, transfer, wrap, type Remote } from 'comlink';
import '../../../workers/comlink-errors.ts';
import type {
  BackendChoice,
  BackendInfo,
  ExportResult,
  FileInput,
  ImportedModel,
  MlApi,
  PredictFormInfo,
  ResumableRun,
  ReviewRecord,
  RowExplanation,
  RowPrediction,
  ScoreProgress,
  ScoreResult,
  TrainProgress,
  TrainRequest,
  TrainResult,
} from '../../../workers/protocol.ts';
import type { DriftProgress, DriftRecord, DriftRequest, RetrainOutcome, RetrainProgress, RetrainRequest, ScheduledRetrain } from '../contracts/monitor.ts';

/** Passes on the progress of one run only. */
function onlyRun(runId: string, onProgress: (p: TrainProgress) => void): (p: TrainProgress) => void {
  return (p) => {
    if (p.runId === runId) onProgress(p);
  };
}

/** A handle on one ML worker. Errors thrown in the worker arrive as AppErrors with `code` and `place`. */
export class MlClient {
  #worker: Worker | undefined;
  #api: Remote<MlApi>;

  /** Starts the ML worker; tests pass an API of their own instead. */
  constructor(api?: Remote<MlApi>) {
    if (api) {
      this.#api = api;
      return;
    }
    this.#worker = new Worker(new URL('../../../workers/ml.worker.ts', import.meta.url), {
      type: 'module',
      name: 'millrace-ml',
    });
    this.#api = wrap<MlApi>(this.#worker);
  }

  /** Which backend training would use, and why. */
  backendInfo(preferred?: BackendChoice): Promise<BackendInfo> {
    return this.#api.backendInfo(preferred);
  }

  /**
   * Trains, evaluates and stores a run; resolves when done or cancelled. The run id is chosen here when the
   * request has none, so that `cancel` works before the first progress report; progress of any other run
   * (a late message from an earlier one) is dropped here, not in every caller.
   */
  train(request: TrainRequest, onProgress?: (p: TrainProgress) => void): Promise<TrainResult> {
    const runId = request.runId ?? crypto.randomUUID();
    return this.#api.train({ ...request, runId }, onProgress ? proxy(onlyRun(runId, onProgress)) : undefined);
  }

  /** Runs that stopped before their last epoch and can be continued, newest first. */
  listResumable(): Promise<ResumableRun[]> {
    return this.#api.listResumable();
  }

  /** Continues a run from its checkpoint; rejects with 'locked' while that pipeline trains in another tab. */
  resume(runId: string, onProgress?: (p: TrainProgress) => void): Promise<TrainResult> {
    return this.#api.resume(runId, onProgress ? proxy(onlyRun(runId, onProgress)) : undefined);
  }

  /** Deletes a run's checkpoint. */
  discardCheckpoint(runId: string): Promise<void> {
    return this.#api.discardCheckpoint(runId);
  }

  /** Asks the running training to stop; `train` then resolves with `cancelled: true`. */
  cancel(runId: string): Promise<void> {
    return this.#api.cancel(runId);
  }

  /** Registers a stored run as the next version of the named model (a binary run: with its decision threshold). */
  saveModel(runId: string, name: string, options?: { threshold?: number }): Promise<{ modelId: number; version: number }> {
    return this.#api.saveModel(runId, name, options);
  }

  /** Recomputes a run's report against the newest saved model named `modelName` and stores it. */
  compareChampion(runId: string, modelName: string): Promise<ReviewRecord> {
    return this.#api.compareChampion(runId, modelName);
  }

  /** Explains one test row of a stored run, column by column. */
  explainTestRow(runId: string, position: number): Promise<RowExplanation> {
    return this.#api.explainTestRow(runId, position);
  }

  /**
   * Scores a new file with a saved model, with progress; `jobId` lets `cancelScore` stop it. An ArrayBuffer is
   * transferred (detached here).
   */
  score(modelId: number, file: FileInput, onProgress?: (p: ScoreProgress) => void, jobId?: string): Promise<ScoreResult> {
    const sent = file.data instanceof ArrayBuffer ? transfer(file, [file.data]) : file;
    return this.#api.score(modelId, sent, onProgress ? proxy(onProgress) : undefined, jobId);
  }

  /** Stops a scoring at its next chunk (it then rejects with 'cancelled'). */
  cancelScore(jobId: string): Promise<void> {
    return this.#api.cancelScore(jobId);
  }

  /** The single-prediction form of a saved model. */
  predictForm(modelId: number): Promise<PredictFormInfo> {
    return this.#api.predictForm(modelId);
  }

  /** One case predicted and explained. */
  predictRow(modelId: number, values: Record<string, string>): Promise<RowPrediction> {
    return this.#api.predictRow(modelId, values);
  }

  /** The self-contained bundle (zip) of a saved model. */
  exportModel(modelId: number): Promise<ExportResult> {
    return this.#api.exportModel(modelId);
  }

  /** Imports a model bundle zip as the next version of its model's name; an ArrayBuffer is transferred (detached here). */
  importModelBundle(file: FileInput): Promise<ImportedModel> {
    const sent = file.data instanceof ArrayBuffer ? transfer(file, [file.data]) : file;
    return this.#api.importModelBundle(sent);
  }

  /** Compares a batch with a saved model's reference and stores the drift report, with progress. */
  checkDrift(request: DriftRequest, onProgress?: (p: DriftProgress) => void): Promise<DriftRecord & { id: number }> {
    return this.#api.checkDrift(request, onProgress ? proxy(onProgress) : undefined);
  }

  /** Retrains a model name under its monitoring policy; the run id is chosen here so that `cancel` works from the start. */
  retrain(request: RetrainRequest, onProgress?: (p: RetrainProgress) => void): Promise<RetrainOutcome> {
    return this.#api.retrain({ ...request, runId: request.runId ?? crypto.randomUUID() }, onProgress ? proxy(onProgress) : undefined);
  }

  /** The model names whose monitoring schedule is due now. */
  dueSchedules(now?: string): Promise<ScheduledRetrain[]> {
    return this.#api.dueSchedules(now);
  }

  /** Terminates the worker (and any training in it); calls still pending never settle. */
  destroy(): void {
    this.#worker?.terminate();
    if (shared === this) shared = undefined;
  }
}

let shared: MlClient | undefined;

/** The app's ML worker, started on first use. */
export function mlClient(): MlClient {
  shared ??= new MlClient();
  return shared;
}
