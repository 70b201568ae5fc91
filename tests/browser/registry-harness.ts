// Browser harness for the registry: promotions in real IndexedDB, one that a closed tab or a failure interrupts midway, and what is stored after.
import type { ReviewRecord } from '../../src/lib/contracts/training.ts';
import { userMessage, type AppError } from '../../src/lib/pipeline/errors.ts';
import { holders } from '../../src/lib/pipeline/registry/aliases.ts';
import { makeSpec } from '../../src/lib/pipeline/spec/build.ts';
import { resolveParams } from '../../src/lib/pipeline/spec/resolve.ts';
import { aliasHistory, promote } from '../../src/lib/store/aliases.ts';
import { listAudit, verifyAudit } from '../../src/lib/store/audit.ts';
import { openDb } from '../../src/lib/store/db.ts';
import { registerModel } from '../../src/lib/store/models.ts';
import type { RunRecord } from '../../src/lib/store/records.ts';
import { saveRun } from '../../src/lib/store/runs.ts';

const NAME = 'penguins';

function sampleRun(id: string): RunRecord {
  const spec = makeSpec({ target: 'species', split: { seed: 42 }, model: { kind: 'linear', epochs: 5 } });
  return {
    id,
    versionId: 1,
    spec,
    params: resolveParams(spec.model, 'multiclass').params,
    backend: 'cpu',
    plan: { target: 'species', task: 'multiclass', features: ['bill'], dropped: [] },
    bundle: { format: 'millrace.transforms/1', target: 'species', task: 'multiclass', features: [], featureNames: [], width: 0 },
    evaluation: { task: 'regression', metrics: { rmse: 1, mae: 1, r2: 0, residuals: [] }, baseline: { rmse: 2, mae: 2, r2: 0, residuals: [] } },
    history: [{ epoch: 1, loss: 0.5 }],
    split: { train: 8, test: 2 },
    durationMs: 12,
    modelJson: { modelTopology: {} },
    weights: new Blob([new Float32Array([0.5, -1])]),
    createdAt: new Date().toISOString(),
  };
}

const passedReview = (runId: string): ReviewRecord => ({
  runId,
  createdAt: new Date().toISOString(),
  report: { verdict: { passed: true, checks: [], failures: [] }, importance: null } as unknown as ReviewRecord['report'],
});

async function settle<T>(work: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; code: string; message: string }> {
  try {
    return { ok: true, value: await work };
  } catch (error) {
    return { ok: false, code: (error as AppError).code ?? 'internal', message: userMessage(error) };
  }
}

const harness = {
  /** Three passed versions of "penguins", v1 the champion. */
  async seed(): Promise<void> {
    for (const id of ['run-1', 'run-2', 'run-3']) {
      await saveRun(sampleRun(id), passedReview(id));
      await registerModel(id, NAME);
    }
    await promote(NAME, 1, 'champion', 'first champion');
  },
  /**
   * Promotes `version` to champion; midway (the alias written, not yet the history row and audit entry) it calls
   * window.millraceMidway (the test closes the tab there) and keeps the transaction busy with reads until the tab is gone.
   */
  promoteAndWait: (version: number) =>
    settle(
      promote(NAME, version, 'champion', 'interrupted', {
        expectedFrom: 1,
        midway: async () => {
          void (window as unknown as { millraceMidway?: () => Promise<void> }).millraceMidway?.();
          const started = Date.now();
          while (Date.now() - started < 20_000) await openDb().aliases.get([NAME, 'champion']);
          throw new Error('the tab was not closed');
        },
      }),
    ),
  /** Promotes `version` to champion and fails midway (after the alias is written), as a crash would. */
  promoteAndFail: (version: number) =>
    settle(
      promote(NAME, version, 'champion', 'fails midway', {
        midway: async () => {
          throw new Error('crashed midway');
        },
      }),
    ),
  /** Promotes `version` to champion, expecting it to point at `expectedFrom` (as a tab that showed it would). */
  promote: (version: number, expectedFrom: number, note: string) => settle(promote(NAME, version, 'champion', note, { expectedFrom })),
  /** What is stored: the champion rows, where the history says it points, the promote audit entries, whether the chain verifies. */
  async state() {
    const db = openDb();
    const champions = await db.aliases.where('name').equals(NAME).filter((row) => row.alias === 'champion').toArray();
    const history = await aliasHistory(NAME);
    const audit = await listAudit();
    return {
      champions: champions.map((row) => row.version),
      historyChampion: holders(history, 'champion').at(-1) ?? null,
      moves: history.map((move) => [move.from, move.to, move.note]),
      promoteEntries: audit.filter((entry) => entry.action === 'promote').map((entry) => [entry.details.from, entry.details.to, entry.details.note]),
      chain: await verifyAudit(),
    };
  },
};

declare global {
  interface Window {
    registryHarness: typeof harness;
  }
}

window.registryHarness = harness;
document.body.dataset.ready = 'true';
