// The IndexedDB schema (Dexie): which tables exist, their keys and indexes, and the shared connection.
import Dexie, { type IndexableType, type InsertType, type Table } from 'dexie';
import type {
  AliasMoveRecord,
  AliasRecord,
  AuditRecord,
  CheckRecord,
  ChunkRecord,
  DatasetRecord,
  FeatureSetRecord,
  ModelRecord,
  PrivacyRecord,
  RecipeRecord,
  RunRecord,
  SettingRecord,
  SuiteRecord,
  VersionRecord,
} from './records.ts';
import type { ReviewRecord } from '../contracts/training.ts';
import type { DriftRecord, ReferenceRecord } from '../contracts/monitor.ts';
import type { RecipeStep } from '../pipeline/recipe/types.ts';
import { specFromLegacyRequest, type LegacyRequest } from '../pipeline/spec/build.ts';
import { HYPER_PARAMS, paramProblem, type HyperParam } from '../pipeline/spec/hyperparams.ts';
import { resolveParams } from '../pipeline/spec/resolve.ts';
import type { PipelineSpec } from '../pipeline/spec/types.ts';

/**
 * The spec of a run stored with a request (before v5). One run must not keep the database from opening: a
 * hyper-parameter today's spec refuses (the old form took any number of epochs) is left at its default, and a
 * request the spec still cannot hold keeps only its target, task, model kind and seed.
 */
function legacySpec(request: LegacyRequest, recipeSteps: RecipeStep[]): PipelineSpec {
  try {
    return specFromLegacyRequest(request, recipeSteps);
  } catch {
    // Retried below.
  }
  const valid: LegacyRequest = { ...request };
  for (const param of HYPER_PARAMS as readonly HyperParam[]) {
    if (param.key !== 'kind' && valid[param.key] !== undefined && paramProblem(param, valid[param.key]) !== null) delete valid[param.key];
  }
  try {
    return specFromLegacyRequest(valid, recipeSteps);
  } catch {
    const { target, task, model, seed } = request;
    return specFromLegacyRequest({ target, task, model, seed } as LegacyRequest);
  }
}

/** A table whose records carry an optional auto-incremented numeric `id`. */
type AutoIdTable<T extends { id?: number }> = Table<T, number, InsertType<T, 'id'>>;

/**
 * The Millrace database. Tables are declared (not initialised as fields) so that Dexie's own
 * table properties are not overwritten by class-field initialisation.
 */
export class MillraceDb extends Dexie {
  declare datasets: AutoIdTable<DatasetRecord>;
  declare versions: AutoIdTable<VersionRecord>;
  /** Keyed by [versionId, index]. */
  declare chunks: Table<ChunkRecord, [number, number]>;
  declare runs: Table<RunRecord, string>;
  declare models: AutoIdTable<ModelRecord>;
  declare audit: Table<AuditRecord, number>;
  declare featureSets: AutoIdTable<FeatureSetRecord>;
  declare suites: AutoIdTable<SuiteRecord>;
  declare recipes: AutoIdTable<RecipeRecord>;
  declare checks: AutoIdTable<CheckRecord>;
  /** Keyed by [datasetId, column]. */
  declare privacy: Table<PrivacyRecord, [number, string]>;
  declare settings: Table<SettingRecord, string>;
  /** A run's evaluation report, keyed by run id. */
  declare reviews: Table<ReviewRecord, string>;
  /** Where each alias of a model name points, keyed by [name, alias]. */
  declare aliases: Table<AliasRecord, [string, string]>;
  /** Every alias move (promotion, rollback), ids in the order they happened. */
  declare aliasMoves: AutoIdTable<AliasMoveRecord>;
  /** Each run's drift reference (its training columns and test predictions, sketched), keyed by run id. */
  declare references: Table<ReferenceRecord, string>;
  /** Every stored drift comparison of a batch with a model, ids in the order they were made. */
  declare driftReports: AutoIdTable<DriftRecord>;

  constructor(name: string) {
    super(name);
    this.version(1).stores({
      datasets: '++id, name',
      versions: '++id, datasetId, sha256, [datasetId+version]',
      chunks: '[versionId+index], versionId',
      runs: 'id, versionId, createdAt',
      models: '++id, name, [name+version], runId',
      audit: 'seq',
    });
    // v2: appended batches link to their parent version; models and runs are found by the version they use.
    this.version(2)
      .stores({
        versions: '++id, datasetId, sha256, [datasetId+version], parentVersionId',
        models: '++id, name, [name+version], runId, versionId',
      })
      .upgrade((tx) =>
        tx
          .table<VersionRecord>('versions')
          .toCollection()
          .modify((version) => {
            version.rowsAdded ??= version.rows;
          }),
      );
    // v3: named, versioned feature sets (small JSON), written by the data worker through feature-sets.ts.
    this.version(3).stores({
      featureSets: '++id, name, [name+version]',
    });
    // v4: the Check stage: versioned rule suites and recipes per dataset, stored checks, privacy decisions, settings.
    this.version(4).stores({
      suites: '++id, datasetId, [datasetId+version]',
      recipes: '++id, datasetId, [datasetId+version]',
      checks: '++id, versionId, datasetId',
      privacy: '[datasetId+column], datasetId',
      settings: 'key',
    });
    // v5: a run keeps the pipeline spec it ran and its resolved hyper-parameters instead of the request.
    this.version(5).upgrade((tx) =>
      tx
        .table('runs')
        .toCollection()
        .modify((run: RunRecord & { request?: LegacyRequest }) => {
          if (!run.request || run.spec) return;
          const spec = legacySpec(run.request, run.preparation?.recipeSteps ?? []);
          // The recipe at the version the run's table went through (specFromLegacyRequest numbers it 1).
          if (spec.check.recipe && run.preparation) spec.check.recipe.version = run.preparation.recipeVersion;
          const { params } = resolveParams(spec.model, run.plan.task);
          run.spec = spec;
          run.params = { ...params, kind: run.request.model === 'mlp' ? 'mlp' : 'linear', hidden: (run.request.hidden as number[] | undefined) ?? params.hidden };
          delete run.request;
        }),
    );
    // v6: every run's evaluation report (metrics, intervals, calibration, groups, importance, verdict).
    this.version(6).stores({ reviews: 'runId' });
    // v7: the registry's aliases (champion, challenger, the person's own) and the history of their moves.
    this.version(7).stores({ aliases: '[name+alias], name', aliasMoves: '++id, name, [name+alias]' });
    // v8: monitoring: each run's drift reference and the stored drift reports of batches against a model.
    this.version(8).stores({ references: 'runId', driftReports: '++id, modelName, modelId, runId' });
  }
}

const open = new Map<string, MillraceDb>();

/**
 * The shared connection to the named database, created on first use. Works in a window, a worker,
 * and in Node when `fake-indexeddb/auto` was imported first.
 */
export function openDb(name = 'millrace'): MillraceDb {
  let db = open.get(name);
  if (!db) {
    db = new MillraceDb(name);
    open.set(name, db);
  }
  return db;
}

/** The lowest and highest keys of a compound index whose first part is `first`. */
export function keyRangeOf(first: string | number): [IndexableType, IndexableType] {
  return [
    [first, Dexie.minKey],
    [first, Dexie.maxKey],
  ];
}
