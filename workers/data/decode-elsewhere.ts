// Decodes a share of a stored version's columns in a Worker kept for it (the other core), while the loading thread decodes the rest.
import { fromErrorInfo } from '../../src/lib/pipeline/errors.ts';
import type { Column, DataTable } from '../../src/lib/pipeline/types.ts';
import { loadVersionTable } from '../../src/lib/store/datasets.ts';
import type { DecodeElsewhere } from '../../src/lib/store/version-columns.ts';
import type { DecodeReply, DecodeRequest } from '../decode.worker.ts';

interface Pending {
  resolve: (columns: Column[] | null) => void;
  reject: (error: unknown) => void;
}

/** The Worker, started at the first large load and kept: starting one costs more than a load's share of the work. */
let helper: { worker: Worker; pending: Map<number, Pending> } | null = null;
let nextId = 1;

function start(): typeof helper {
  let worker: Worker;
  try {
    worker = new Worker(new URL('../decode.worker.ts', import.meta.url), { type: 'module', name: 'column-decode' });
  } catch {
    return null;
  }
  const pending = new Map<number, Pending>();
  const started = { worker, pending };
  worker.onmessage = ({ data }: MessageEvent<DecodeReply>) => {
    const waiting = pending.get(data.id);
    pending.delete(data.id);
    if ('columns' in data) waiting?.resolve(data.columns);
    else waiting?.reject(fromErrorInfo(data.error));
  };
  // A Worker that fails to start or dies: its jobs are done by their callers, and the next load starts a new one.
  worker.onerror = (event) => {
    event.preventDefault();
    for (const waiting of pending.values()) waiting.resolve(null);
    pending.clear();
    worker.terminate();
    if (helper === started) helper = null;
  };
  return started;
}

/** A DecodeElsewhere backed by the kept Worker; null where Workers cannot be started (Node, tests). */
export function decodeOnOtherCore(): DecodeElsewhere | null {
  if (typeof Worker === 'undefined') return null;
  return (job) => {
    helper ??= start();
    if (!helper) return Promise.resolve(null);
    const { worker, pending } = helper;
    const id = nextId++;
    return new Promise<Column[] | null>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, job } satisfies DecodeRequest);
    });
  };
}

/** A stored version's table, the columns of a large one decoded by this thread and the kept Worker together: how the workers load versions. */
export function loadVersion(versionId: number): Promise<DataTable> {
  return loadVersionTable(versionId, { decodeElsewhere: decodeOnOtherCore() });
}
