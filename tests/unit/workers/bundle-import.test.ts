// Importing a model bundle through the ML worker's API on fake IndexedDB: the export → import round trip, and every refusal writing nothing.
import 'fake-indexeddb/auto';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../../src/lib/ml/backend-node.ts';
import { NOT_IN_WORKSPACE } from '../../../src/lib/contracts/training.ts';
import { makeSpec } from '../../../src/lib/pipeline/spec/build.ts';
import { listAudit, verifyAudit } from '../../../src/lib/store/audit.ts';
import { modelLineage } from '../../../src/lib/store/lineage.ts';
import { getModelWithRun } from '../../../src/lib/store/models.ts';
import { getReview } from '../../../src/lib/store/runs.ts';
import { listModelSummaries } from '../../../src/lib/store/summaries.ts';
import { dataApi } from '../../../workers/data.worker.ts';
import { mlApi } from '../../../workers/ml.worker.ts';
import { resetDb, tableCounts } from '../store/helpers.ts';
import { csvFile } from './helpers.ts';

beforeAll(async () => void (await chooseBackend('wasm')));
beforeEach(resetDb);

/** Seeded rows: x1, x2 numbers, c a category; y (no/yes) mostly from x1 with noise. */
function lines(rows: number): string[] {
  let state = 4242;
  const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const out = ['x1,x2,c,y'];
  for (let i = 0; i < rows; i++) {
    const x1 = random() * 4 - 2;
    const x2 = random() * 4 - 2;
    const y = x1 + (random() - 0.5) * 3 > 0 ? 'yes' : 'no';
    out.push(`${x1.toFixed(3)},${x2.toFixed(3)},${['a', 'b', 'c'][i % 3]},${y}`);
  }
  return out;
}

/** A dataset, a trained run saved as "churn" v1 with a decision threshold, and its exported bundle's files. */
async function exported(): Promise<{ modelId: number; fileName: string; zip: Uint8Array }> {
  const { versionId, datasetId } = await dataApi.importFile(csvFile('churn.csv', lines(300)));
  // The run's table went through a recipe: the bundle's recipe.json carries it, and the import scores with it.
  await dataApi.saveRecipe(datasetId, [{ kind: 'filter', expression: 'd => d.x2 > -1.5' }]);
  await mlApi.train({ runId: 'run-a', versionId, spec: makeSpec({ target: 'y', split: { seed: 7 }, model: { kind: 'mlp', hidden: [8], epochs: 4 } }) });
  const { modelId } = await mlApi.saveModel('run-a', 'churn', { threshold: 0.4 });
  const { zip, fileName } = await mlApi.exportModel(modelId);
  return { modelId, fileName, zip: new Uint8Array(await zip.arrayBuffer()) };
}

const asFile = (name: string, bytes: Uint8Array) => ({ name, data: new Blob([bytes as Uint8Array<ArrayBuffer>]) });

/** The zip with `name`'s uncompressed size in the central directory set to about 4 GB (its data unchanged). */
function declaredHuge(zip: Uint8Array, name: string): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (let at = 0; at + 46 < out.length; at++) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const length = view.getUint16(at + 28, true);
    if (strFromU8(out.subarray(at + 46, at + 46 + length)) === name) view.setUint32(at + 24, 0xfffffff0, true);
  }
  return out;
}

async function csvOf(modelId: number, lines: string[]): Promise<string[]> {
  const scored = await mlApi.score(modelId, csvFile('new.csv', lines));
  return [await scored.csv.text(), (await scored.rejects?.csv.text()) ?? ''];
}

describe('importModelBundle', () => {
  it('imports an exported bundle as the next version of its name, with its lineage, card and report; it scores the same', async () => {
    const { modelId, fileName, zip } = await exported();
    expect(fileName).toBe('churn-v1.zip');
    const imported = await mlApi.importModelBundle(asFile(fileName, zip));
    expect(imported).toMatchObject({ name: 'churn', version: 2, runId: expect.stringMatching(/^import-/) });

    const { model, run } = await getModelWithRun(imported.modelId);
    expect(model).toMatchObject({ versionId: NOT_IN_WORKSPACE, target: 'y', task: 'binary', threshold: 0.4, positiveClass: 'yes' });
    expect(run.versionId).toBe(NOT_IN_WORKSPACE);
    expect(run.history).toEqual([]);
    expect(run.imported).toMatchObject({ fileName: 'churn-v1.zip', sha256OfZip: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(run.imported!.card).toMatch(/^# churn — version 1$/m);
    expect(run.plan.features.sort()).toEqual(['c', 'x1', 'x2']);

    const original = await modelLineage(modelId);
    const lineage = await modelLineage(imported.modelId);
    expect(lineage.dataset).toMatchObject({ name: original.dataset.name, version: original.dataset.version, sha256: original.dataset.sha256, versionId: NOT_IN_WORKSPACE });
    expect(lineage.dataset.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(lineage.imported).toMatchObject({ fileName: 'churn-v1.zip' });
    expect(original.imported).toBeNull();
    // The report came with it: promotion knows the verdict.
    expect((await getReview(imported.runId)).report.verdict).toEqual((await getReview('run-a')).report.verdict);
    const summaries = await listModelSummaries();
    expect(summaries.map((s) => [s.name, s.version, s.verdict?.passed])).toEqual([
      ['churn', 1, summaries[0]!.verdict?.passed],
      ['churn', 2, summaries[0]!.verdict?.passed],
    ]);

    const batch = lines(120).map((line) => line.split(',').slice(0, 3).join(','));
    const scored = await csvOf(imported.modelId, batch);
    expect(scored).toEqual(await csvOf(modelId, batch));
    expect(scored[1]).not.toBe('');

    // The imported version exports again, its card naming the data's SHA-256 it came from.
    const again = await mlApi.exportModel(imported.modelId);
    expect(again.fileName).toBe('churn-v2.zip');
    expect(strFromU8(unzipSync(new Uint8Array(await again.zip.arrayBuffer()))['model-card.md']!)).toContain(original.dataset.sha256!);

    // Work that rebuilds the test rows needs the data, which is not here: refused saying so.
    await mlApi.saveModel('run-a', 'base');
    await expect(mlApi.compareChampion(imported.runId, 'base')).rejects.toMatchObject({ message: expect.stringContaining('was imported from churn-v1.zip: the data it was trained on is not in this workspace') });
    await expect(mlApi.explainTestRow(imported.runId, 0)).rejects.toMatchObject({ message: expect.stringContaining('not in this workspace, so explaining a test row cannot be done') });

    const actions = (await listAudit()).map((e) => e.action);
    expect(actions).toContain('import-model');
    expect(await verifyAudit()).toMatchObject({ ok: true });
  }, 60_000);

  it('never gives a deleted version number again', async () => {
    const { fileName, zip } = await exported();
    const first = await mlApi.importModelBundle(asFile(fileName, zip));
    await dataApi.deleteModelVersion('churn', first.version);
    const second = await mlApi.importModelBundle(asFile(fileName, zip));
    expect(second.version).toBe(first.version + 1);
  }, 60_000);

  it('refuses more than 1 GB declared, a changed, missing or extra file, an unsafe entry, a newer format and a non-zip, naming each; nothing is written', async () => {
    const { zip } = await exported();
    const files = unzipSync(zip);
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as { format: string };
    const { 'README.md': _readme, ...missing } = files;
    const cases: [string, Uint8Array, string][] = [
      ['huge.zip', declaredHuge(zipSync(files), 'weights.bin'), 'Bundle entry "weights.bin" would unpack the bundle to more than 1 GB'],
      ['changed.zip', zipSync({ ...files, 'weights.bin': files['weights.bin']!.map((b, i) => (i === 3 ? b ^ 1 : b)) }), 'weights.bin does not match its SHA-256 in manifest.json (the file was changed); refused'],
      ['missing.zip', zipSync(missing), 'README.md is listed in manifest.json but missing from the bundle; refused'],
      ['extra.zip', zipSync({ ...files, 'extra.txt': strToU8('hello') }), 'extra.txt is in the bundle but not listed in manifest.json; refused'],
      ['evil.zip', zipSync({ ...files, '../evil': strToU8('x') }), 'Bundle entry "../evil" would unpack outside the bundle folder; refused'],
      ['newer.zip', zipSync({ ...files, 'manifest.json': strToU8(JSON.stringify({ ...manifest, format: 'millrace.bundle/2' })) }), 'bundle format millrace.bundle/2 is newer'],
      ['notes.txt', strToU8('not a zip at all'), 'notes.txt is not a zip file; refused'],
    ];
    const before = await tableCounts();
    for (const [name, bytes, message] of cases) {
      await expect(mlApi.importModelBundle(asFile(name, bytes)), name).rejects.toMatchObject({ code: 'bad-bundle', message: expect.stringContaining(message) });
    }
    expect(await tableCounts()).toEqual(before);
    expect(await verifyAudit()).toMatchObject({ ok: true });
  }, 60_000);

  it('refuses a network that does not load and a review.json that is no report, writing nothing', async () => {
    const { zip } = await exported();
    const files = unzipSync(zip);
    const { withManifest } = await import('../../../src/lib/pipeline/bundle/manifest.ts');
    const { 'manifest.json': _m, ...rest } = files;
    const short = zipSync(withManifest({ ...rest, 'weights.bin': files['weights.bin']!.slice(0, 8) }));
    const badReview = zipSync(withManifest({ ...rest, 'review.json': strToU8('{"format":"something"}') }));
    const before = await tableCounts();
    await expect(mlApi.importModelBundle(asFile('short.zip', short))).rejects.toMatchObject({ code: 'bad-bundle', message: expect.stringContaining('short.zip do not load as a network') });
    await expect(mlApi.importModelBundle(asFile('review.zip', badReview))).rejects.toMatchObject({ code: 'bad-bundle', message: expect.stringContaining('review.json is not a millrace.review/1 report') });
    expect(await tableCounts()).toEqual(before);
    expect(await verifyAudit()).toMatchObject({ ok: true });
  }, 60_000);
});
