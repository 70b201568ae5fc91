// The studio registry's aliases in IndexedDB: promotion and override, every refusal leaving nothing written, rollbacks, history, deletes, two tabs at once.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ReviewRecord } from '../../../src/lib/contracts/training.ts';
import { makeSpec } from '../../../src/lib/pipeline/spec/build.ts';
import { resolveParams } from '../../../src/lib/pipeline/spec/resolve.ts';
import { holders } from '../../../src/lib/pipeline/registry/aliases.ts';
import { aliasesOf, aliasHistory, promote, rollback } from '../../../src/lib/store/aliases.ts';
import { listAudit, verifyAudit } from '../../../src/lib/store/audit.ts';
import { modelLineage } from '../../../src/lib/store/lineage.ts';
import { deleteModelVersion, registerModel } from '../../../src/lib/store/models.ts';
import type { RunRecord } from '../../../src/lib/store/records.ts';
import { saveRun } from '../../../src/lib/store/runs.ts';
import { listModelSummaries } from '../../../src/lib/store/summaries.ts';
import { dataApi } from '../../../workers/data.worker.ts';
import { resetDb, tableCounts } from './helpers.ts';

beforeEach(resetDb);

function sampleRun(id: string, target = 'species', task: 'multiclass' | 'regression' = 'multiclass'): RunRecord {
  const spec = makeSpec({ target, split: { seed: 42 }, model: { kind: 'linear', epochs: 5 } });
  return {
    id,
    versionId: 7,
    spec,
    params: resolveParams(spec.model, task).params,
    backend: 'cpu',
    plan: { target, task, features: ['bill'], dropped: [] },
    bundle: { format: 'millrace.transforms/1', target, task, features: [], featureNames: [], width: 0 },
    evaluation: { task: 'regression', metrics: { rmse: 1, mae: 1, r2: 0, residuals: [] }, baseline: { rmse: 2, mae: 2, r2: 0, residuals: [] } },
    history: [{ epoch: 1, loss: 0.5 }],
    split: { train: 8, test: 2 },
    durationMs: 12,
    modelJson: { modelTopology: {} },
    weights: new Blob([new Float32Array([0.5, -1])]),
    createdAt: '2024-01-01T00:00:00.000Z',
  };
}

const FAILURES = ['model size in bytes 48 is above the limit 10'];
function sampleReview(runId: string, passed: boolean): ReviewRecord {
  const verdict = { passed, checks: [], failures: passed ? [] : FAILURES };
  return { runId, createdAt: '2024-01-01T00:00:01.000Z', report: { verdict, importance: null } as unknown as ReviewRecord['report'] };
}

/** penguins v1 (passed), v2 (failed), v3 (passed), v4 (no review), v5 (another target). */
async function fiveVersions(): Promise<void> {
  const verdicts = [true, false, true, null];
  for (const [i, passed] of verdicts.entries()) {
    const id = `run-${i + 1}`;
    await saveRun(sampleRun(id), passed === null ? undefined : sampleReview(id, passed));
    await registerModel(id, 'penguins');
  }
  await saveRun(sampleRun('run-5', 'body_mass', 'regression'), sampleReview('run-5', true));
  await registerModel('run-5', 'penguins');
}

async function expectChainIntact(): Promise<void> {
  expect(await verifyAudit()).toMatchObject({ ok: true });
}

describe('promote', () => {
  it('points champion at a passed version in one transaction: the alias, the history row and the audit entry', async () => {
    await fiveVersions();
    const move = await promote('penguins', 1, 'champion', ' first champion ', { expectedFrom: null });
    expect(move).toMatchObject({ name: 'penguins', alias: 'champion', kind: 'promote', from: null, to: 1, note: 'first champion', override: false, verdict: { passed: true } });
    expect(await aliasesOf('penguins')).toEqual({ champion: 1 });
    expect(await aliasHistory('penguins')).toEqual([move]);
    const entry = (await listAudit()).at(-1)!;
    expect(entry).toMatchObject({ action: 'promote', subject: 'penguins champion' });
    expect(entry.details).toMatchObject({ name: 'penguins', alias: 'champion', from: null, to: 1, note: 'first champion', override: false, passed: true, moveId: move.id });
    const summaries = await listModelSummaries();
    expect(summaries.map((m) => [m.version, m.aliases, m.verdict?.passed ?? null])).toEqual([
      [1, ['champion'], true],
      [2, [], false],
      [3, [], true],
      [4, [], null],
      [5, [], true],
    ]);
    await expectChainIntact();
  });

  it('refuses a failed verdict without an override, naming the failures; with an override and a note it is audited as one', async () => {
    await fiveVersions();
    await promote('penguins', 1, 'champion', 'first');
    const before = await tableCounts();
    await expect(promote('penguins', 2, 'champion', 'try')).rejects.toMatchObject({
      code: 'gate-blocked',
      message: `penguins v2 cannot become champion: its review verdict failed: ${FAILURES[0]}. Override with a note to promote it anyway`,
    });
    await expect(promote('penguins', 4, 'champion', 'try')).rejects.toThrow('penguins v4 cannot become champion: it has no review verdict');
    await expect(promote('penguins', 2, 'champion', '  ', { override: true })).rejects.toThrow('A note is needed to point champion at penguins v2: say why');
    expect(await tableCounts()).toEqual(before);

    const move = await promote('penguins', 2, 'champion', 'size limit is for phones; this runs on a PC', { override: true, expectedFrom: 1 });
    expect(move).toMatchObject({ from: 1, to: 2, override: true, verdict: { passed: false, failures: FAILURES } });
    expect((await listAudit()).at(-1)!.details).toMatchObject({ override: true, passed: false, failures: FAILURES, note: 'size limit is for phones; this runs on a PC' });
    await expectChainIntact();
  });

  it('refuses each bad input by name and writes nothing; the audit chain still verifies', async () => {
    await fiveVersions();
    await promote('penguins', 1, 'champion', 'first');
    const before = await tableCounts();
    await expect(promote('penguins', 3, 'my champion', 'n')).rejects.toThrow('The alias "my champion" is not allowed: use letters, digits, "_" and "-" only');
    await expect(promote('penguins', 5, 'champion', 'n')).rejects.toThrow(
      'penguins v5 predicts "body_mass" (regression) but champion now points at v1, which predicts "species" (multiclass): an alias keeps one target and task',
    );
    await expect(promote('penguins', 9, 'champion', 'n')).rejects.toMatchObject({ code: 'not-found', message: 'Model "penguins" has no version v9' });
    await expect(promote('nobody', 1, 'champion', 'n')).rejects.toThrow('Model "nobody" has no version v1');
    await expect(promote('penguins', 1, 'champion', 'again')).rejects.toThrow('champion already points at penguins v1');
    await expect(promote('penguins', 1.5, 'champion', 'n')).rejects.toThrow('A version of penguins is a whole number from 1; got 1.5');
    await expect(promote('penguins', 3, 'champion', 'n', { expectedFrom: null })).rejects.toMatchObject({ code: 'locked', message: expect.stringContaining('champion of penguins now points at v1') });
    expect(await tableCounts()).toEqual(before);
    await expectChainIntact();
  });

  it('lets a version carry several aliases, and people name their own', async () => {
    await fiveVersions();
    await promote('penguins', 3, 'champion', 'best');
    await promote('penguins', 3, 'challenger', 'also');
    await promote('penguins', 3, 'ward_7-pilot', 'pilot');
    expect(await aliasesOf('penguins')).toEqual({ champion: 3, challenger: 3, 'ward_7-pilot': 3 });
    expect((await listModelSummaries()).find((m) => m.version === 3)!.aliases).toEqual(['challenger', 'champion', 'ward_7-pilot']);
  });
});

describe('rollback', () => {
  it('moves the alias back to the version it held before, twice in a row, with the history in order', async () => {
    await fiveVersions();
    await promote('penguins', 1, 'champion', 'first');
    await promote('penguins', 2, 'champion', 'override', { override: true });
    await promote('penguins', 3, 'champion', 'third');
    await promote('penguins', 3, 'challenger', 'not moved by champion rollbacks');
    const back = await rollback('penguins', 'champion', 'v3 misbehaves', { expectedFrom: 3 });
    expect(back).toMatchObject({ kind: 'rollback', from: 3, to: 2, note: 'v3 misbehaves', verdict: { passed: false } });
    const again = await rollback('penguins', 'champion', 'v2 too');
    expect(again).toMatchObject({ from: 2, to: 1, verdict: { passed: true } });
    expect(await aliasesOf('penguins')).toEqual({ champion: 1, challenger: 3 });

    const history = await aliasHistory('penguins');
    expect(history.map((m) => [m.alias, m.kind, m.from, m.to])).toEqual([
      ['champion', 'promote', null, 1],
      ['champion', 'promote', 1, 2],
      ['champion', 'promote', 2, 3],
      ['challenger', 'promote', null, 3],
      ['champion', 'rollback', 3, 2],
      ['champion', 'rollback', 2, 1],
    ]);
    expect(history.map((m) => m.id)).toEqual([...history.map((m) => m.id)].sort((a, b) => a - b));
    expect(holders(history, 'champion').at(-1)).toBe(1);
    expect((await listAudit()).filter((e) => e.action === 'rollback').map((e) => [e.details.from, e.details.to, e.details.note])).toEqual([
      [3, 2, 'v3 misbehaves'],
      [2, 1, 'v2 too'],
    ]);

    const before = await tableCounts();
    await expect(rollback('penguins', 'champion', 'once more')).rejects.toThrow('champion of penguins has no earlier version to roll back to: v1 is the first it pointed at');
    await expect(rollback('penguins', 'champion', '')).rejects.toThrow('A note is needed to roll champion of penguins back: say why');
    await expect(rollback('penguins', 'nobody', 'n')).rejects.toThrow('penguins has no nobody to roll back');
    await expect(rollback('penguins', 'bad alias', 'n')).rejects.toThrow('"bad alias" is not allowed');
    await expect(rollback('penguins', 'challenger', 'n', { expectedFrom: 2 })).rejects.toThrow('challenger of penguins now points at v3');
    expect(await tableCounts()).toEqual(before);
    await expectChainIntact();
  });
});

describe('deleteModelVersion', () => {
  it('refuses a version an alias points at, naming the alias; deletes others and never reuses their number', async () => {
    await fiveVersions();
    await promote('penguins', 1, 'champion', 'first');
    await promote('penguins', 1, 'challenger', 'too');
    const before = await tableCounts();
    await expect(dataApi.deleteModelVersion('penguins', 1)).rejects.toMatchObject({
      code: 'bad-argument',
      message: 'penguins v1 cannot be deleted: challenger and champion point at it; move those aliases first',
    });
    await expect(deleteModelVersion('penguins', 42)).rejects.toThrow('Model "penguins" has no version v42');
    expect(await tableCounts()).toEqual(before);

    await deleteModelVersion('penguins', 5);
    expect((await listModelSummaries()).map((m) => m.version)).toEqual([1, 2, 3, 4]);
    expect((await listAudit()).at(-1)).toMatchObject({ action: 'delete', subject: 'penguins v5', details: { name: 'penguins', version: 5, runId: 'run-5' } });
    expect(await registerModel('run-4', 'penguins')).toMatchObject({ version: 6 });
    await expectChainIntact();
  });

  it('a rollback to a deleted version is refused, naming it', async () => {
    await fiveVersions();
    await promote('penguins', 1, 'champion', 'first');
    await promote('penguins', 3, 'champion', 'third');
    await deleteModelVersion('penguins', 1);
    await expect(rollback('penguins', 'champion', 'back')).rejects.toMatchObject({ code: 'not-found', message: 'champion of penguins would roll back to v1, which was deleted' });
  });
});

describe('two tabs at once', () => {
  it('two promotions that both saw v1: one wins, the other is refused naming the version now holding champion', async () => {
    await fiveVersions();
    await promote('penguins', 1, 'champion', 'first');
    const results = await Promise.allSettled([
      dataApi.promote('penguins', 3, 'champion', 'tab A', { expectedFrom: 1 }),
      dataApi.promote('penguins', 2, 'champion', 'tab B', { expectedFrom: 1, override: true }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = (won[0] as PromiseFulfilledResult<{ to: number }>).value.to;
    expect(lost[0]!.reason).toMatchObject({ code: 'locked', message: expect.stringContaining(`champion of penguins now points at v${winner}`) });
    expect(await aliasesOf('penguins')).toEqual({ champion: winner });
    expect((await aliasHistory('penguins')).map((m) => m.to)).toEqual([1, winner]);
    expect((await listAudit()).filter((e) => e.action === 'promote')).toHaveLength(2);
    await expectChainIntact();
  });
});

describe('modelLineage', () => {
  it('names the run, the spec, the dataset version and the review of a version', async () => {
    await fiveVersions();
    const [v2] = (await listModelSummaries()).filter((m) => m.version === 2);
    const lineage = await modelLineage(v2!.id);
    expect(lineage).toMatchObject({ name: 'penguins', version: 2, runId: 'run-2', featureSet: null, recipeVersion: null, suite: null });
    expect(lineage.spec.target).toBe('species');
    expect(lineage.review).toMatchObject({ passed: false, failures: FAILURES, decision: null });
    await expect(modelLineage(99)).rejects.toThrow('No saved model 99');
  });
});
