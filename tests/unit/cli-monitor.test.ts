// `millrace monitor`: a registered seattle-weather 2012–2013 champion watched on the training file (exit 0), the 2015 days (exit 4: dataset drift and decay), the unlabelled days (the label-free estimate), and with --retrain the candidate made the challenger; bad flags named.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, millraceAsync, readJsonFile } from './cli-registry-helpers.ts';

const work = mkdtempSync(join(tmpdir(), 'millrace-monitor-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const fixtures = 'tests/fixtures/monitor';
const registry = join(work, 'registry');

interface MonitorJson {
  model: string;
  rows: number;
  datasetDrift: boolean;
  drifted: string[];
  targetDrift: boolean | null;
  predictionDrift: boolean | null;
  performance: { kind: 'measured' | 'estimated'; decayed: boolean; metrics: { metric: string; test: number; batch: number; decayed: boolean }[] } | null;
  triggers: { kind: string; reason: string }[];
  retrain: { decision: string; candidateVersion: number | null; summary: string; verdict: { passed: boolean } } | null;
}

beforeAll(async () => {
  const run = await millraceAsync(['run', '--data', `${fixtures}/seattle-2012-2013.csv`, '--target', 'weather', '--model', 'linear', '--epochs', '15', '--seed', '3', '--out', join(work, 'run'), '--register', 'weather', '--registry', registry]);
  expect(run.stderr).toBe('');
  const promoted = await cli('promote', 'weather', '1', '--note', 'first weather model', '--registry', registry);
  expect(promoted.status).toBe(0);
}, 120_000);

describe('millrace monitor', () => {
  it('exits 0 when nothing fires (the training file itself)', async () => {
    const result = await cli('monitor', '--model', 'weather', '--data', `${fixtures}/seattle-2012-2013.csv`, '--registry', registry);
    expect(result.stderr).toMatch(/Date columns are not compared/);
    expect(result.stdout).toMatch(/weather v1 \(champion\) on seattle-2012-2013\.csv \(731 rows\): no dataset drift/);
    expect(result.stdout).toMatch(/measured performance holds/);
    expect(result.stdout).toMatch(/nothing in the monitoring policy fires/);
    expect(result.status).toBe(0);
  });

  it('exits 4 on the 2015 days: dataset drift, target drift and measured decay, with --json', async () => {
    const result = await cli('monitor', '--model', 'weather', '--data', `${fixtures}/seattle-2015.csv`, '--registry', registry, '--json');
    expect(result.status).toBe(4);
    const json = JSON.parse(result.stdout) as MonitorJson;
    expect(json).toMatchObject({ model: 'weather v1 (champion)', rows: 365, datasetDrift: true, targetDrift: true, retrain: null });
    expect(json.drifted).toContain('temp_max');
    expect(json.performance).toMatchObject({ kind: 'measured', decayed: true });
    expect(json.triggers.map((t) => t.kind)).toEqual(['dataset-drift', 'decay']);
  });

  it('estimates performance without labels from the probabilities kept in reference.json', async () => {
    const result = await cli('monitor', '--model', 'weather', '--data', `${fixtures}/seattle-2015-unlabelled.csv`, '--registry', registry, '--json');
    const json = JSON.parse(result.stdout) as MonitorJson;
    expect(json.targetDrift).toBeNull();
    expect(json.performance?.kind).toBe('estimated');
    expect(json.performance!.metrics.map((m) => m.metric)).toContain('accuracy');
    expect(result.status).toBe(json.triggers.length ? 4 : 0);
  });

  it('with --retrain: the champion spec on the new data, reviewed against the champion, the candidate made the challenger', async () => {
    const [header, ...old] = readFileSync(`${fixtures}/seattle-2012-2013.csv`, 'utf8').trim().split('\n');
    const recent = readFileSync(`${fixtures}/seattle-2015.csv`, 'utf8').trim().split('\n').slice(1);
    const both = join(work, 'seattle-2012-2015.csv');
    writeFileSync(both, [header, ...old, ...recent].join('\n') + '\n');
    const out = join(work, 'retrain');
    const result = await cli('monitor', '--model', 'weather', '--data', `${fixtures}/seattle-2015.csv`, '--retrain', '--retrain-data', both, '--out', out, '--registry', registry, '--json');
    expect(result.status).toBe(4);
    const json = JSON.parse(result.stdout) as MonitorJson;
    expect(json.retrain).toMatchObject({ decision: 'challenger', candidateVersion: 2, verdict: { passed: true } });
    expect(json.retrain!.summary).toMatch(/weather v2 passed its review \(accuracy 0\.\d+ against v1's 0\.\d+ on the new test rows\) and is the challenger/);
    expect(readJsonFile<Record<string, number>>(join(registry, 'weather', 'aliases.json'))).toEqual({ champion: 1, challenger: 2 });
    // The run folder holds the candidate's report, compared with the champion on its test rows.
    expect(readJsonFile<{ champion: Record<string, number> | null }>(join(out, 'report.json')).champion).not.toBeNull();
  }, 120_000);

  it('names a bad flag or model', async () => {
    const stray = await cli('monitor', '--model', 'weather', '--data', `${fixtures}/seattle-2015.csv`, '--retrain-data', 'x.csv', '--registry', registry);
    expect(stray.status).toBe(1);
    expect(stray.stderr).toMatch(/--retrain-data goes with --retrain/);
    const missing = await cli('monitor', '--model', 'rain', '--data', `${fixtures}/seattle-2015.csv`, '--registry', registry);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/rain/);
    const other = await cli('run', '--retrain', '--data', `${fixtures}/seattle-2015.csv`);
    expect(other.stderr).toMatch(/run does not take --retrain/);
  });
});
