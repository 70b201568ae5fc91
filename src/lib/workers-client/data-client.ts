// Owns the data worker: starts it, forwards DataApi calls (progress through a Comlink proxy), ends it.
import { proxy, transfer, wrap, type Remote } from 'comlink';
import '../../../workers/comlink-errors.ts';
import type { DataApi, FileInput, ImportProgress, ImportResult, PreviewPage } from '../../../workers/protocol.ts';
import type { DatasetProfile, FeaturePlan, TaskKind } from '../pipeline/types.ts';

/** A handle on one data worker. Errors thrown in the worker arrive as AppErrors with `code` and `place`. */
export class DataClient {
  #worker: Worker;
  #api: Remote<DataApi>;

  constructor() {
    this.#worker = new Worker(new URL('../../../workers/data.worker.ts', import.meta.url), {
      type: 'module',
      name: 'millrace-data',
    });
    this.#api = wrap<DataApi>(this.#worker);
  }

  /** Parses, profiles and stores a file. An ArrayBuffer is transferred (detached here), a Blob is shared. */
  importFile(file: FileInput, onProgress?: (p: ImportProgress) => void): Promise<ImportResult> {
    const sent = file.data instanceof ArrayBuffer ? transfer(file, [file.data]) : file;
    return this.#api.importFile(sent, onProgress ? proxy(onProgress) : undefined);
  }

  /** Rows [offset, offset+limit) of a stored version as display cells. */
  preview(versionId: number, offset: number, limit: number): Promise<PreviewPage> {
    return this.#api.preview(versionId, offset, limit);
  }

  /** The stored profile of a version. */
  profile(versionId: number): Promise<DatasetProfile> {
    return this.#api.profile(versionId);
  }

  /** The default feature plan for a target column. */
  planFeatures(versionId: number, target: string, task?: TaskKind): Promise<FeaturePlan> {
    return this.#api.planFeatures(versionId, target, task);
  }

  /** Terminates the worker; calls still pending never settle. */
  destroy(): void {
    this.#worker.terminate();
    if (shared === this) shared = undefined;
  }
}

let shared: DataClient | undefined;

/** The app's data worker, started on first use. */
export function dataClient(): DataClient {
  shared ??= new DataClient();
  return shared;
}
