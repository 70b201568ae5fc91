// The studio's registry aliases: promote and roll back, each one IndexedDB transaction with its history row and audit entry.
import { AppError } from '../pipeline/errors.ts';
import {
  checkAlias,
  planPromotion,
  planRollback,
  type AliasMove,
  type MoveVerdict,
  type VersionFacts,
} from '../pipeline/registry/aliases.ts';
import type { AliasMoveSummary } from '../contracts/store.ts';
import type { ReviewRecord } from '../contracts/training.ts';
import { appendAudit } from './audit.ts';
import { openDb, type MillraceDb } from './db.ts';
import type { ModelRecord } from './records.ts';

/** How a move is made. */
export interface MoveOptions {
  /** Promote although the review verdict failed or is missing; the note says why (audited). */
  override?: boolean;
  /**
   * The version the caller saw the alias point at (null: none). When the alias points elsewhere by the time the
   * move runs (another tab moved it), nothing is written and the refusal names the version it points at now.
   */
  expectedFrom?: number | null;
  /** Tests only: awaited inside the transaction after the alias is written, before the history row and audit entry. */
  midway?: () => Promise<void>;
}

/** The settings key holding the highest version number a model name ever had (deleted versions are not reused). */
export const highestVersionKey = (name: string) => `registry.highest-version.${name}`;

/** The review verdict a move relies on: the run's stored report's, or null when it has none. */
export function verdictOf(review: ReviewRecord | undefined): MoveVerdict | null {
  if (!review) return null;
  const { passed, failures } = review.report.verdict;
  return { passed, failures: [...failures] };
}

function checkName(name: string): string {
  const text = typeof name === 'string' ? name.trim() : '';
  if (!text) throw new AppError('bad-argument', `A model name is needed; got ${JSON.stringify(name)}`);
  return text;
}

function checkVersion(name: string, version: number): number {
  if (!Number.isInteger(version) || version < 1) throw new AppError('bad-argument', `A version of ${name} is a whole number from 1; got ${String(version)}`);
  return version;
}

async function modelVersion(db: MillraceDb, name: string, version: number): Promise<ModelRecord & { id: number }> {
  const model = await db.models.where('[name+version]').equals([name, version]).first();
  if (!model?.id) throw new AppError('not-found', `Model "${name}" has no version v${version}`);
  return { ...model, id: model.id };
}

async function factsOf(db: MillraceDb, model: ModelRecord): Promise<VersionFacts> {
  return { version: model.version, target: model.target, task: model.task, verdict: verdictOf(await db.reviews.get(model.runId)) };
}

/** Refuses a move when the alias no longer points where the caller saw it, naming where it points now. */
function checkExpected(name: string, alias: string, now: number | null, expected: number | null | undefined): void {
  if (expected === undefined || expected === now) return;
  const where = now === null ? 'points at no version' : `now points at v${now}`;
  const saw = expected === null ? 'no version' : `v${expected}`;
  throw new AppError('locked', `${alias} of ${name} ${where}: it moved (in another tab or window) since this page showed ${saw}. Nothing was changed; look again and retry`);
}

/** Writes a planned move: the alias, its history row and its audit entry, inside the caller's transaction. */
async function writeMove(db: MillraceDb, move: AliasMove, modelId: number, midway: MoveOptions['midway']): Promise<AliasMoveSummary> {
  await db.aliases.put({ name: move.name, alias: move.alias, version: move.to, movedAt: move.at });
  await midway?.();
  const id = await db.aliasMoves.add({ ...move });
  await appendAudit(move.kind, `${move.name} ${move.alias}`, {
    name: move.name,
    alias: move.alias,
    from: move.from,
    to: move.to,
    modelId,
    note: move.note,
    override: move.override,
    passed: move.verdict?.passed ?? null,
    failures: move.verdict?.failures ?? [],
    moveId: id,
  });
  return { ...move, id };
}

const MOVE_TABLES = (db: MillraceDb) => [db.models, db.reviews, db.aliases, db.aliasMoves, db.audit];

/**
 * Points `alias` of model `name` at `version` in one read-write transaction that reads the current holder, plans the
 * move (planPromotion: a passed review verdict or an override with a note; one target and task per alias), and writes
 * the alias, the history row and the 'promote' audit entry. Nothing is written when any of it is refused.
 */
export async function promote(name: string, version: number, alias: string, note: string, options: MoveOptions = {}): Promise<AliasMoveSummary> {
  const modelName = checkName(name);
  checkAlias(alias);
  checkVersion(modelName, version);
  const db = openDb();
  return db.transaction('rw', MOVE_TABLES(db), async () => {
    const model = await modelVersion(db, modelName, version);
    const held = await db.aliases.get([modelName, alias]);
    checkExpected(modelName, alias, held?.version ?? null, options.expectedFrom);
    const current = held ? await factsOf(db, await modelVersion(db, modelName, held.version)) : null;
    const move = planPromotion({ name: modelName, alias, note, override: options.override === true, candidate: await factsOf(db, model), current });
    return writeMove(db, move, model.id, options.midway);
  });
}

/**
 * Moves `alias` of model `name` back to the version it held before the current one (planRollback along its history),
 * in one read-write transaction with the history row and the 'rollback' audit entry.
 */
export async function rollback(name: string, alias: string, note: string, options: Pick<MoveOptions, 'expectedFrom' | 'midway'> = {}): Promise<AliasMoveSummary> {
  const modelName = checkName(name);
  checkAlias(alias);
  const db = openDb();
  return db.transaction('rw', MOVE_TABLES(db), async () => {
    const held = await db.aliases.get([modelName, alias]);
    checkExpected(modelName, alias, held?.version ?? null, options.expectedFrom);
    const history = await db.aliasMoves.where('[name+alias]').equals([modelName, alias]).sortBy('id');
    const versions = await db.models.where('name').equals(modelName).toArray();
    const reviews = await db.reviews.bulkGet(versions.map((m) => m.runId));
    const byVersion = new Map(versions.map((m, i) => [m.version, { model: m, verdict: verdictOf(reviews[i]) }]));
    const move = planRollback({
      name: modelName,
      alias,
      note,
      history,
      current: held?.version ?? null,
      exists: (v) => byVersion.has(v),
      verdictOf: (v) => byVersion.get(v)?.verdict ?? null,
    });
    return writeMove(db, move, byVersion.get(move.to)!.model.id as number, options.midway);
  });
}

/** Every alias move of a model name, oldest first. */
export async function aliasHistory(name: string): Promise<AliasMoveSummary[]> {
  const moves = await openDb().aliasMoves.where('name').equals(name.trim()).sortBy('id');
  return moves.map((move) => ({ ...move, id: move.id as number }));
}

/** Every alias move of every model name, oldest first. */
export async function listAliasMoves(): Promise<AliasMoveSummary[]> {
  const moves = await openDb().aliasMoves.orderBy('id').toArray();
  return moves.map((move) => ({ ...move, id: move.id as number }));
}

/** Where each alias of a model name points: alias → version. */
export async function aliasesOf(name: string): Promise<Record<string, number>> {
  const rows = await openDb().aliases.where('name').equals(name.trim()).toArray();
  return Object.fromEntries(rows.map((row) => [row.alias, row.version]));
}
