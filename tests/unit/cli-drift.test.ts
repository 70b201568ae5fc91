// `millrace drift`: file against file and against a registered model's reference.json, drift.json's shape, the HTML report, exit 4 on dataset drift and 0 without, bad flags named.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, millraceAsync, readJsonFile } from './cli-registry-helpers.ts';

const work = mkdtempSync(join(tmpdir(), 'millrace-drift-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const fixtures = 'tests/fixtures/monitor';

interface DriftJson {
  datasetDrift: boolean;
  driftShare: number;
  columns: Record<string, { kind: string; drifted: boolean; method: string; psi: number; ks?: number; ksP?: number; wasserstein?: number; wassersteinNormed?: number; jensenShannon: number; chi2P?: number; newCategories?: string[] }>;
}

describe('millrace drift', () => {
  it('compares two files: every figure per column, temp_max and weather drift, exit 0 without dataset drift', async () => {
    const out = join(work, 'files.json');
    const html = join(work, 'files.html');
    const result = await cli('drift', '--reference', `${fixtures}/seattle-2012-2013.csv`, '--current', `${fixtures}/seattle-2015.csv`, '--out', out, '--html', html);
    const json = readJsonFile<DriftJson>(out);
    expect(result.status).toBe(json.datasetDrift ? 4 : 0);
    expect(Object.keys(json.columns).sort()).toEqual(['date', 'precipitation', 'temp_max', 'temp_min', 'weather', 'wind']);
    expect(json.columns.temp_max).toMatchObject({ kind: 'number', drifted: true });
    for (const key of ['psi', 'ks', 'ksP', 'wasserstein', 'wassersteinNormed', 'jensenShannon'] as const) expect(typeof json.columns.temp_max![key]).toBe('number');
    expect(json.columns.weather).toMatchObject({ kind: 'category', drifted: true });
    expect(typeof json.columns.weather!.chi2P).toBe('number');
    expect(Array.isArray(json.columns.weather!.newCategories)).toBe(true);
    expect(result.stdout).toMatch(/temp_max/);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain("default-src 'none'");
    expect(page).toContain('temp_max');
    expect(page).not.toMatch(/<script/i);
  });

  it('exits 4 on dataset drift and 0 on an unchanged batch', async () => {
    const shifted = join(work, 'shifted.json');
    const drift = await cli('drift', '--reference', `${fixtures}/seattle-2012-2013.csv`, '--current', `${fixtures}/seattle-2015.csv`, '--out', shifted, '--columns', 'temp_max,weather');
    expect(drift.status).toBe(4);
    expect(readJsonFile<DriftJson>(shifted)).toMatchObject({ datasetDrift: true, driftShare: 1 });
    const same = join(work, 'same.json');
    const none = await cli('drift', '--reference', `${fixtures}/seattle-2012-2013.csv`, '--current', `${fixtures}/seattle-2012-2013.csv`, '--out', same);
    expect(none.status).toBe(0);
    expect(readJsonFile<DriftJson>(same)).toMatchObject({ datasetDrift: false, driftShare: 0 });
  });

  it("compares with a registered model's reference.json (its inputs; the label when the batch has it)", async () => {
    const registry = join(work, 'registry');
    const run = await millraceAsync(['run', '--data', `${fixtures}/seattle-2012-2013.csv`, '--target', 'weather', '--model', 'linear', '--epochs', '5', '--out', join(work, 'run'), '--register', 'weather', '--registry', registry]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(existsSync(join(registry, 'weather', 'versions', '1', 'reference.json'))).toBe(true);
    const manifest = readJsonFile<{ files: Record<string, unknown> }>(join(registry, 'weather', 'versions', '1', 'manifest.json'));
    expect(Object.keys(manifest.files)).toContain('reference.json');

    const out = join(work, 'model.json');
    const result = await cli('drift', '--reference', 'weather@1', '--registry', registry, '--current', `${fixtures}/seattle-2015-unlabelled.csv`, '--out', out);
    const json = readJsonFile<DriftJson>(out);
    expect(Object.keys(json.columns).sort()).toEqual(['precipitation', 'temp_max', 'temp_min', 'wind']);
    expect(json.columns.temp_max!.drifted).toBe(true);
    expect(result.stderr).toMatch(/note: date columns are not compared/);
    expect(result.stderr).toMatch(/has no "weather" column/);
  });

  it('names a bad flag, a missing file and a model without a reference', async () => {
    expect((await cli('drift', '--current', 'x.csv', '--out', join(work, 'x.json'))).stderr).toMatch(/drift needs --reference/);
    expect((await cli('drift', '--reference', 'a.csv', '--current', 'x.csv', '--out', join(work, 'x.json'), '--threshold', '2')).stderr).toMatch(/--threshold must be a number above 0 and at most 1; got "2"/);
    const missing = await cli('drift', '--reference', `${fixtures}/seattle-2015.csv`, '--current', join(work, 'nope.csv'), '--out', join(work, 'x.json'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/nope\.csv/);
    expect(existsSync(join(work, 'x.json'))).toBe(false);
    const bare = join(work, 'bare');
    const noModel = await cli('drift', '--reference', bare, '--current', `${fixtures}/seattle-2015.csv`, '--out', join(work, 'x.json'));
    expect(noModel.status).toBe(1);
    expect(noModel.stderr).toMatch(/no such model folder/);
  });
});
