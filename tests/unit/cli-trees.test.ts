// `millrace run --model gbdt` on the vega-datasets files against docs/baselines.md's gradient-boosting column, and `--model auto` choosing trees.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA, millrace } from './cli-run.ts';

const SETS = 'tests/fixtures/feature-sets';
const work = mkdtempSync(join(tmpdir(), 'millrace-cli-trees-'));

type Report = {
  backend: string;
  model: { kind: string; reason: string; rounds: number; leaves: number; notes?: string[]; gain?: { column: string; share: number }[] };
  metrics: Record<string, number>;
  baseline: Record<string, number>;
  leaderboard: { params: { kind: string }; score: number }[] | null;
};

function run(name: string, ...args: string[]): Report {
  const out = join(work, name);
  const result = millrace('run', ...args, '--seed', '42', '--out', out);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
}

const trees = (file: string, target: string, set: string, ...more: string[]) =>
  run(`${set}-gbdt`, '--data', `${DATA}/${file}`, '--target', target, '--feature-set', `${SETS}/${set}.json`, '--model', 'gbdt', ...more);

// Default settings (100 rounds, 31 leaves, learning rate 0.1, 20 rows per leaf; early stopping only above 10,000 rows)
// on scikit-learn's own 80/20 split (seed 42), as docs/baselines.md's column. The trees read a one-hot feature as one
// native categorical column with every level, and keep missing numbers missing.
describe('gradient-boosted trees reach the reference scores with default settings', () => {
  it('penguins: accuracy 0.986 (reference 0.986)', () => {
    const report = trees('penguins.json', 'Species', 'penguins');
    expect(report.model).toMatchObject({ kind: 'gbdt', rounds: 100, leaves: 31, reason: 'gbdt requested' });
    expect(report.backend).toMatch(/^(WebAssembly SIMD|WebAssembly|JavaScript)$/);
    expect(report.metrics.accuracy).toBeCloseTo(0.98551, 5);
    // The evaluation page and the model card name the trees with their size.
    const out = join(work, 'penguins-gbdt');
    expect(readFileSync(join(out, 'evaluation.html'), 'utf8')).toContain('Species · gradient-boosted trees (100 rounds, 31 leaves)');
    expect(readFileSync(join(out, 'model', 'model-card.md'), 'utf8')).toContain('gradient-boosted trees (100 rounds, 31 leaves)');
  });

  it('seattle-weather: accuracy 0.840, macro-F1 0.597 (reference 0.826, 0.539)', () => {
    const report = trees('seattle-weather.csv', 'weather', 'seattle-weather');
    expect(report.metrics.accuracy).toBeGreaterThanOrEqual(0.826);
    expect(report.metrics.macroF1).toBeGreaterThanOrEqual(0.539);
  });

  it('movies: R² 0.622 (reference 0.617)', () => {
    const report = trees('movies.json', 'IMDB Rating', 'movies');
    expect(report.metrics.r2).toBeGreaterThanOrEqual(0.617);
  });

  it("cars: R² 0.9096, scikit-learn's own on these columns (the reference 0.911 imputes the 6 missing horsepowers)", () => {
    const report = trees('cars.json', 'Miles_per_Gallon', 'cars');
    expect(report.metrics.r2).toBeCloseTo(0.9096, 4);
    // report.json carries the trees' gain importance (shares adding up to 1) and the trainer's notes.
    expect(report.model.gain!.reduce((sum, g) => sum + g.share, 0)).toBeCloseTo(1, 9);
    expect(report.model.notes).toEqual(expect.any(Array));
  });
});

describe('--model auto', () => {
  it('keeps trees where they score better on the validation slice (seattle-weather: trees against the linear model)', () => {
    const report = run('seattle-auto', '--data', `${DATA}/seattle-weather.csv`, '--target', 'weather', '--feature-set', `${SETS}/seattle-weather.json`);
    expect(report.leaderboard!.map((t) => t.params.kind).sort()).toEqual(['gbdt', 'linear']);
    expect(report.model.kind).toBe('gbdt');
    expect(report.model.reason).toMatch(/^auto: gradient-boosted trees scored better on the validation slice by accuracy \(0\.\d{4}\) than the linear model \(0\.\d{4}\)/);
    expect(report.metrics.accuracy).toBeGreaterThan(0.8);
  });

  it('refuses a tree learning rate of 0 and too few leaves, naming the flag', () => {
    for (const [flag, value, message] of [
      ['--tree-learning-rate', '0', '--tree-learning-rate: 0 is not above 0'],
      ['--leaves', '1', '--leaves: 1 is below 2'],
    ]) {
      const result = millrace('run', '--data', `${DATA}/penguins.json`, '--target', 'Species', '--model', 'gbdt', flag!, value!, '--out', join(work, 'bad'));
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(message);
    }
  });
});
