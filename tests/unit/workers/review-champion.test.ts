// The champion comparison and the saved decision threshold through the ML worker's API, on fake IndexedDB.
import 'fake-indexeddb/auto';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../../src/lib/ml/backend-node.ts';
import type { ClassificationReport } from '../../../src/lib/pipeline/review/classification.ts';
import { makeSpec, type SpecDraft } from '../../../src/lib/pipeline/spec/build.ts';
import { parseSpec } from '../../../src/lib/pipeline/spec/validate.ts';
import { listAudit } from '../../../src/lib/store/audit.ts';
import { getReview } from '../../../src/lib/store/runs.ts';
import { dataApi } from '../../../workers/data.worker.ts';
import { mlApi } from '../../../workers/ml.worker.ts';
import { resetDb, tableCounts } from '../store/helpers.ts';
import { csvFile } from './helpers.ts';

beforeAll(async () => void (await chooseBackend('wasm')));
beforeEach(resetDb);

/** Seeded rows: x1, x2 numbers; y (no/yes) mostly from x1 with noise; z (no/yes) from x2; k (a/b/c) from x1 and x2. */
function lines(rows: number, classes = ['a', 'b', 'c']): string[] {
  let state = 12345;
  const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const out = ['x1,x2,y,z,k'];
  for (let i = 0; i < rows; i++) {
    const x1 = random() * 4 - 2;
    const x2 = random() * 4 - 2;
    const y = x1 + (random() - 0.5) * 3 > 0 ? 'yes' : 'no';
    const z = x2 + (random() - 0.5) * 2 > 0 ? 'yes' : 'no';
    const k = classes[Math.floor((x1 + 2) * classes.length / 4.0001)]!;
    out.push(`${x1.toFixed(3)},${x2.toFixed(3)},${y},${z},${k}`);
  }
  return out;
}

const spec = (target: string, draft: Omit<SpecDraft, 'target'> = {}) => makeSpec({ target, split: { seed: 7 }, model: { kind: 'linear', epochs: 8 }, ...draft });

async function train(runId: string, versionId: number, target: string, draft: Omit<SpecDraft, 'target'> = {}) {
  return mlApi.train({ runId, versionId, spec: spec(target, draft) });
}

describe('compareChampion', () => {
  it('refuses a missing champion, the run itself and another target, naming them, and stores nothing', async () => {
    const { versionId } = await dataApi.importFile(csvFile('churn.csv', lines(300)));
    await train('run-a', versionId, 'y');
    await train('run-z', versionId, 'z');
    await mlApi.saveModel('run-a', 'churn');
    await mlApi.saveModel('run-z', 'other');
    const before = await tableCounts();
    await expect(mlApi.compareChampion('run-a', 'nobody')).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining('"nobody"') });
    await expect(mlApi.compareChampion('run-a', 'churn')).rejects.toMatchObject({ code: 'bad-argument', message: expect.stringMatching(/"churn" v1 is the same run as run "run-a"/) });
    const other = (await mlApi.compareChampion('run-a', 'other').catch((e: unknown) => e)) as Error;
    expect(other.message).toMatch(/champion trained for another target \("z"\) than run "run-a"'s \("y"\)/);
    expect(await tableCounts()).toEqual(before);
  });

  it('recomputes the report on the same test rows: the candidate as stored, vsChampion, and the verdict against minAbsoluteChange', async () => {
    const { versionId, datasetId } = await dataApi.importFile(csvFile('churn.csv', lines(300)));
    // The run's table went through a recipe: the comparison rebuilds it with the same steps.
    await dataApi.saveRecipe(datasetId, [{ kind: 'filter', expression: 'd => d.x2 > -1.5' }]);
    await train('run-a', versionId, 'y', { model: { kind: 'linear', epochs: 3 } });
    const review = { metrics: [{ metric: 'accuracy' as const, minAbsoluteChange: 0.5 }] };
    await train('run-b', versionId, 'y', { model: { kind: 'mlp', epochs: 10 }, review });
    const champion = await getReview('run-a');
    const stored = await getReview('run-b');
    expect(stored.report.rows).toBeLessThan(60);
    expect(stored.report.verdict.passed).toBe(true);
    expect(stored.report.verdict.checks[0]!.message).toMatch(/^no champion/);
    await mlApi.saveModel('run-a', 'churn');

    const compared = await mlApi.compareChampion('run-b', 'churn');
    // The run's table, test rows and scores were rebuilt exactly: every candidate figure is the stored one.
    expect(compared.report.metrics).toEqual(stored.report.metrics);
    expect(compared.report.ci).toEqual(stored.report.ci);
    expect(compared.report.vsBaseline).toEqual(stored.report.vsBaseline);
    expect(compared.report.importance).toEqual(stored.report.importance);
    // The champion (same seed, so the same test rows) scores as its own report says.
    const ownAccuracy = (champion.report.metrics as ClassificationReport).accuracy;
    expect(compared.report.champion!.accuracy).toBe(ownAccuracy);
    expect(compared.report.vsChampion!.accuracy!.estimate).toBeCloseTo((stored.report.metrics as ClassificationReport).accuracy - ownAccuracy, 12);
    expect(compared.champion).toEqual({ modelId: 1, name: 'churn', version: 1, runId: 'run-a' });
    expect(compared.report.verdict.passed).toBe(false);
    expect(compared.report.verdict.failures[0]).toMatch(/^accuracy change over the champion \(0\.\d+\) -?[0-9.]+ is below the least change 0\.5$/);
    expect(await getReview('run-b')).toEqual(compared);
    expect((await listAudit()).at(-1)).toMatchObject({ action: 'review-champion', subject: 'run run-b', details: { champion: 'churn v1', modelId: 1, championRunId: 'run-a', passed: false } });
  });

  it("maps the champion's classes by name and names a class it lacks", async () => {
    const { versionId } = await dataApi.importFile(csvFile('three.csv', lines(300)));
    const { versionId: twoId } = await dataApi.importFile(csvFile('two.csv', lines(300, ['a', 'b'])));
    await train('run-3', versionId, 'k');
    await train('run-3b', versionId, 'k', { split: { seed: 8 } });
    await train('run-2', twoId, 'k');
    await mlApi.saveModel('run-2', 'two');
    await mlApi.saveModel('run-3b', 'three');
    await expect(mlApi.compareChampion('run-3', 'two')).rejects.toMatchObject({ message: expect.stringMatching(/"two" v1 has no class "c" \(its classes are "a", "b"\)/) });
    const compared = await mlApi.compareChampion('run-3', 'three');
    expect(Object.keys(compared.report.vsChampion!)).toContain('macroF1');
  });

  it('takes the version the champion alias points at, not the newest one', async () => {
    const { versionId } = await dataApi.importFile(csvFile('churn.csv', lines(300)));
    await train('run-1', versionId, 'y');
    await train('run-2', versionId, 'y', { model: { kind: 'linear', epochs: 2 } });
    await train('run-3', versionId, 'y', { split: { seed: 7 }, model: { kind: 'linear', epochs: 4 } });
    await mlApi.saveModel('run-1', 'churn');
    await mlApi.saveModel('run-2', 'churn');
    expect((await mlApi.compareChampion('run-3', 'churn')).champion).toMatchObject({ version: 2, runId: 'run-2' });
    await dataApi.promote('churn', 1, 'champion', 'the first one is in production', { override: true });
    expect((await mlApi.compareChampion('run-3', 'churn')).champion).toMatchObject({ version: 1, runId: 'run-1' });
  });
});

describe('the decision threshold of a saved model', () => {
  it('is refused outside [0, 1] and for a regression run, naming the value', async () => {
    const { versionId } = await dataApi.importFile(csvFile('churn.csv', lines(200)));
    await train('run-a', versionId, 'y');
    await train('run-r', versionId, 'x2');
    const before = await tableCounts();
    await expect(mlApi.saveModel('run-a', 'churn', { threshold: 1.5 })).rejects.toMatchObject({ code: 'bad-argument', message: expect.stringContaining('1.5') });
    await expect(mlApi.saveModel('run-a', 'churn', { threshold: -0.1 })).rejects.toMatchObject({ message: expect.stringContaining('-0.1') });
    await expect(mlApi.saveModel('run-a', 'churn', { threshold: Number.NaN })).rejects.toMatchObject({ message: expect.stringContaining('NaN') });
    await expect(mlApi.saveModel('run-r', 'amount', { threshold: 0.3 })).rejects.toMatchObject({ message: expect.stringMatching(/0\.3.*binary models only.*regression/) });
    expect(await tableCounts()).toEqual(before);
  });

  it('decides the labels at scoring (0.3 against 0.5), is audited and goes with the export', async () => {
    const data = lines(300);
    const { versionId } = await dataApi.importFile(csvFile('churn.csv', data));
    await train('run-a', versionId, 'y', { model: { kind: 'linear', epochs: 2 } });
    const low = await mlApi.saveModel('run-a', 'churn', { threshold: 0.3 });
    const half = await mlApi.saveModel('run-a', 'churn', { threshold: 0.5 });
    const labelsAt = async (modelId: number, threshold: number) => {
      const scored = await mlApi.score(modelId, csvFile('new.csv', data));
      const rows = (await scored.csv.text()).trimEnd().split('\r\n').slice(1).map((line) => line.split(','));
      // Columns: x1, x2, y, z, k, predicted_y, probability_no, probability_yes.
      for (const cells of rows) expect(cells[5]).toBe(Number(cells[7]) >= threshold ? 'yes' : 'no');
      return rows.map((cells) => cells[5]);
    };
    const at03 = await labelsAt(low.modelId, 0.3);
    const at05 = await labelsAt(half.modelId, 0.5);
    expect(at03.filter((l) => l === 'yes').length).toBeGreaterThan(at05.filter((l) => l === 'yes').length);
    expect((await listAudit()).filter((e) => e.action === 'save-model')[0]!.details).toMatchObject({ threshold: 0.3, positiveClass: 'yes' });

    const files = unzipSync(new Uint8Array(await (await mlApi.exportModel(low.modelId)).zip.arrayBuffer()));
    expect(parseSpec(JSON.parse(strFromU8(files['pipeline.json']!))).review).toMatchObject({ threshold: 0.3, positiveClass: 'yes' });
    expect(strFromU8(files['model-card.md']!)).toContain('Decision threshold: 0.3');
  });
});
