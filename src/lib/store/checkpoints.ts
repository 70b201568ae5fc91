// Training checkpoints: one per interrupted run (weights, Adam state, RNG position, split, bundle), in a database of their own.
import Dexie, { type Table } from 'dexie';
import type { PipelineSpec, ReviewRecord, RunCheckpoint } from '../contracts/training.ts';
import type { ReferenceRecord } from '../contracts/monitor.ts';
import { AppError } from '../pipeline/errors.ts';
import type { ModelKind } from '../pipeline/types.ts';
import { openDb } from './db.ts';
import type { RunPreparation, RunRecord } from './records.ts';
import { saveRun } from './runs.ts';

/**
 * The latest checkpoint of a run that has not finished. Kept in a separate database ("<name>-checkpoints")
 * so that it can be written every epoch without touching the studio's schema or its transactions; a run
 * that finishes deletes its checkpoint.
 */
export interface CheckpointRecord {
  runId: string;
  versionId: number;
  target: string;
  /** The spec the run was started with (input and Check stage filled in). */
  spec: PipelineSpec;
  /** The backend asked for. */
  backendChoice?: string;
  backend: string;
  /** Epochs completed, and epochs asked for (rounds for trees). */
  epoch: number;
  epochs: number;
  /** The model being trained when it was written ('gbdt': trees, whose epochs are rounds). */
  model?: ModelKind;
  /** ISO time of the last write. */
  updatedAt: string;
  /** Searches: the trial in progress (its epochs are `epoch`), and the trials the search runs at most (absent under a time budget). */
  trial?: number;
  trials?: number;
  state: RunCheckpoint;
  /** The recipe and privacy steps the run's table went through; a resume applies the same ones (its split rows refer to that table). */
  preparation?: RunPreparation;
}

class CheckpointDb extends Dexie {
  declare checkpoints: Table<CheckpointRecord, string>;

  constructor(name: string) {
    super(name);
    this.version(1).stores({ checkpoints: 'runId, updatedAt, versionId' });
    // Version 2 keeps the run's pipeline spec instead of the old request: older checkpoints cannot be resumed.
    this.version(2).stores({ checkpoints: 'runId, updatedAt, versionId' }).upgrade((tx) => tx.table('checkpoints').clear());
  }
}

const open = new Map<string, CheckpointDb>();

/** The checkpoint database that belongs to the studio database `name`. */
export function openCheckpointDb(name = 'millrace'): CheckpointDb {
  let db = open.get(name);
  if (!db) {
    db = new CheckpointDb(`${name}-checkpoints`);
    open.set(name, db);
  }
  return db;
}

/** Writes (replaces) a run's checkpoint. */
export async function putCheckpoint(record: CheckpointRecord): Promise<void> {
  await openCheckpointDb().checkpoints.put(record);
}

/** A run's checkpoint; throws 'not-found' naming the run when there is none. */
export async function getCheckpoint(runId: string): Promise<CheckpointRecord> {
  const record = await openCheckpointDb().checkpoints.get(runId);
  if (!record) throw new AppError('not-found', `No checkpoint of run "${runId}" to resume`);
  return record;
}

/** Every checkpoint without its state (small), newest first. */
export async function listCheckpoints(): Promise<Omit<CheckpointRecord, 'state'>[]> {
  const all = await openCheckpointDb().checkpoints.orderBy('updatedAt').reverse().toArray();
  return all.map(({ state: _state, ...rest }) => rest);
}

/** Deletes a run's checkpoint (nothing happens when there is none). */
export async function deleteCheckpoint(runId: string): Promise<void> {
  await openCheckpointDb().checkpoints.delete(runId);
}

/**
 * Stores the run a resume finished (or cancelled again), replacing the record its cancelled part left, in
 * one transaction with its audit entry. Refuses when that record was saved as a model. The caller deletes
 * the checkpoint once the run has finished.
 */
export async function saveResumedRun(record: RunRecord, review?: ReviewRecord, reference?: ReferenceRecord): Promise<void> {
  const db = openDb();
  await db.transaction('rw', [db.runs, db.reviews, db.references, db.models, db.audit], async () => {
    const models = await db.models.where('runId').equals(record.id).count();
    if (models > 0) throw new AppError('bad-argument', `Run ${record.id} was saved as a model; start a new run instead of resuming it`);
    await db.runs.delete(record.id);
    await saveRun(record, review, reference);
  });
}
