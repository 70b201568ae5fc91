// The ML worker's predicting on fake IndexedDB: the form of a saved penguins model, one case predicted and explained, and scoring with rejects, refused and ignored columns, progress and cancel.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../../src/lib/ml/backend-node.ts';
import { makeSpec } from '../../../src/lib/pipeline/spec/build.ts';
import { listAudit } from '../../../src/lib/store/audit.ts';
import { dataApi } from '../../../workers/data.worker.ts';
import { mlApi } from '../../../workers/ml.worker.ts';
import type { ScoreProgress } from '../../../workers/protocol.ts';
import { resetDb } from '../store/helpers.ts';
import { sexRecipe } from './helpers.ts';

const penguinsJson = () => readFileSync('node_modules/vega-datasets/data/penguins.json', 'utf8');
const penguins = () => JSON.parse(penguinsJson()) as Record<string, unknown>[];

beforeAll(async () => void (await chooseBackend('wasm')));
beforeEach(resetDb);

/** Penguins with the Sex recipe ("." → missing, rows without Sex dropped), a linear Species model saved. */
async function savedModel(): Promise<number> {
  const { versionId, datasetId } = await dataApi.importFile({ name: 'penguins.json', data: new Blob([penguinsJson()]) });
  await dataApi.saveRecipe(datasetId, sexRecipe);
  await mlApi.train({ runId: 'run-p', versionId, spec: makeSpec({ target: 'Species', split: { seed: 3 }, model: { kind: 'linear', epochs: 30 } }) });
  return (await mlApi.saveModel('run-p', 'species')).modelId;
}

const jsonFile = (name: string, rows: unknown[]) => ({ name, data: new Blob([JSON.stringify(rows)]) });

describe('the single-prediction form', () => {
  it('lists the inputs with ranges, choices, medians and modes; predicts, explains and flags a case', async () => {
    const modelId = await savedModel();
    const form = await mlApi.predictForm(modelId);
    expect(form).toMatchObject({ name: 'species', version: 1, target: 'Species', task: 'multiclass', classes: ['Adelie', 'Chinstrap', 'Gentoo'] });
    const byName = Object.fromEntries(form.fields.map((f) => [f.column, f]));
    expect(byName.Island).toMatchObject({ kind: 'category', choices: ['Biscoe', 'Dream', 'Torgersen'], complete: true, default: 'Biscoe' });
    expect(byName['Flipper Length (mm)']).toMatchObject({ kind: 'number', integer: true });
    expect(byName['Flipper Length (mm)']!.min).toBeGreaterThanOrEqual(170);
    expect(byName['Flipper Length (mm)']!.max).toBeLessThanOrEqual(235);
    expect(byName.Sex).toMatchObject({ kind: 'category', choices: expect.arrayContaining(['MALE', 'FEMALE']) });
    const values = Object.fromEntries(form.fields.map((f) => [f.column, f.default]));

    const typical = await mlApi.predictRow(modelId, values);
    expect(typeof typical.predicted).toBe('string');
    expect(typical.probabilities.map((p) => p.label)).toEqual(form.classes);
    expect(typical.probabilities.reduce((a, p) => a + p.probability, 0)).toBeCloseTo(1, 5);
    expect(typical.flags).toEqual([]);
    expect(typical.method).toBe('linear');
    expect(typical.columns.map((c) => c.column).sort()).toEqual(form.fields.map((f) => f.column).sort());

    const odd = await mlApi.predictRow(modelId, { ...values, 'Flipper Length (mm)': '400', Island: 'Atlantis' });
    expect(odd.flags.map((f) => [f.column, f.kind])).toEqual([
      ['Island', 'unseen-category'],
      ['Flipper Length (mm)', 'above-range'],
    ]);
    await expect(mlApi.predictRow(modelId, { ...values, 'Body Mass (g)': 'heavy' })).rejects.toMatchObject({ message: 'Body Mass (g): “heavy” is not a number' });
    // The recipe drops a case without Sex, and says which step.
    await expect(mlApi.predictRow(modelId, { ...values, Sex: '.' })).rejects.toMatchObject({ message: expect.stringMatching(/recipe drops this case: Step 2 \(drop-missing\): Drop rows missing Sex/) });
  });
});

describe('scoring a file', () => {
  it('writes rejects with the step that dropped each row, notes ignored columns, reports progress and audits', async () => {
    const modelId = await savedModel();
    const rows = penguins().map((r) => ({ ...r, Comment: 'extra' }));
    const progress: ScoreProgress[] = [];
    const scored = await mlApi.score(modelId, jsonFile('batch.json', rows), (p) => progress.push(p), 'job-1');
    expect(scored).toMatchObject({ rows: 333, rowsIn: 344, fileName: 'batch-scored-species-v1.csv', ignoredColumns: ['Comment'] });
    expect(scored.rejects).toMatchObject({ rows: 11, fileName: 'batch-rejects-species-v1.csv' });
    const rejects = (await scored.rejects!.csv.text()).trimEnd().split('\r\n');
    expect(rejects[0]).toBe('row,Species,Island,Beak Length (mm),Beak Depth (mm),Flipper Length (mm),Body Mass (g),Sex,Comment,reason');
    expect(rejects).toHaveLength(12);
    expect(rejects.slice(1).every((line) => line.endsWith(',Step 2 (drop-missing): Drop rows missing Sex'))).toBe(true);
    const firstMissing = penguins().findIndex((r) => r.Sex === null || r.Sex === '.');
    expect(rejects[1]!.startsWith(`${firstMissing},`)).toBe(true);
    const csv = (await scored.csv.text()).trimEnd().split('\r\n');
    expect(csv).toHaveLength(334);
    expect(csv[0]).toMatch(/,Comment,predicted_Species,probability_Adelie,probability_Chinstrap,probability_Gentoo$/);
    expect(scored.notices!.join(' ')).toMatch(/Ignored column .*"Comment"/);
    expect(progress[0]!.phase).toBe('reading');
    expect(progress.at(-1)).toMatchObject({ phase: 'done', rowsDone: 333, rows: 333, fraction: 1 });
    expect((await listAudit()).at(-1)).toMatchObject({ action: 'score', details: { rows: 333, rowsIn: 344, rejects: 11, ignoredColumns: ['Comment'] } });
  });

  it('refuses a file missing a column the model needs, naming it, and writes nothing', async () => {
    const modelId = await savedModel();
    const before = (await listAudit()).length;
    const rows = penguins().map(({ ['Body Mass (g)']: _mass, ...rest }) => rest);
    await expect(mlApi.score(modelId, jsonFile('thin.json', rows))).rejects.toMatchObject({
      code: 'unknown-column',
      message: 'thin.json lacks a column the model needs: "Body Mass (g)" (a model input)',
    });
    expect((await listAudit()).length).toBe(before);
  });

  it('stops between chunks on cancel', async () => {
    const modelId = await savedModel();
    const many = Array.from({ length: 200 }, () => penguins()).flat();
    let cancelled = false;
    const done = mlApi.score(modelId, jsonFile('big.json', many), (p) => {
      if (p.phase === 'scoring' && !cancelled) {
        cancelled = true;
        mlApi.cancelScore('job-c');
      }
    }, 'job-c');
    await expect(done).rejects.toMatchObject({ code: 'cancelled', message: expect.stringContaining('big.json') });
    expect(cancelled).toBe(true);
  });
});
