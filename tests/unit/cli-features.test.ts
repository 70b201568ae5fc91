// `millrace run` with feature sets, splits, folds and search on the vega-datasets files, against BASELINES.md.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA, millrace } from './cli-run.ts';

const SETS = 'tests/fixtures/feature-sets';
const work = mkdtempSync(join(tmpdir(), 'millrace-cli-features-'));


type Report = {
  task: string;
  split: { train: number; test: number; validation?: number };
  splitKind: string;
  model: { kind: string; inputWidth: number };
  metrics: Record<string, number>;
  baseline: Record<string, number>;
  features: string[];
  featureSet: { name: string; features: { name: string }[] };
  leaderboard: { rank: number; trial: number; score: number; metric: string; params: { model: string }; durationMs: number; meanEpochMs: number }[] | null;
  cv: { folds: number; metric: string; mean: number; std: number } | null;
  timing: { searchMs?: number };
};

function run(name: string, ...args: string[]): Report {
  const out = join(work, name);
  const result = millrace('run', ...args, '--out', out);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
}

// BASELINES.md's logistic/ridge column came from scikit-learn's own 80/20 split; the thresholds sit a little
// below those figures. Cars is the exception, explained at its test.
describe('reference scores with a feature set and a linear model', () => {
  it('penguins: accuracy 1.000 (reference 1.000)', () => {
    const report = run('penguins', '--data', `${DATA}/penguins.json`, '--target', 'Species', '--feature-set', `${SETS}/penguins.json`, '--model', 'linear');
    expect(report.featureSet.name).toBe('penguins-species');
    expect(report.metrics.accuracy).toBeGreaterThanOrEqual(0.98);
  });

  it('movies without Title, date → year/month: R² ≥ 0.50, RMSE ≤ 0.90 (reference 0.518, 0.885)', () => {
    const report = run('movies', '--data', `${DATA}/movies.json`, '--target', 'IMDB Rating', '--feature-set', `${SETS}/movies.json`, '--model', 'linear');
    expect(report.features).not.toContain('Title');
    expect(report.split.train + report.split.test).toBe(2988);
    expect(report.metrics.r2).toBeGreaterThanOrEqual(0.5);
    expect(report.metrics.rmse).toBeLessThanOrEqual(0.9);
  });

  it('seattle-weather, date → year/month: accuracy ≥ 0.77 (reference 0.782)', () => {
    const report = run('seattle', '--data', `${DATA}/seattle-weather.csv`, '--target', 'weather', '--feature-set', `${SETS}/seattle-weather.json`, '--model', 'linear');
    expect(report.metrics.accuracy).toBeGreaterThanOrEqual(0.77);
  });

  // On this seed-42 split the linear model reaches R² 0.775; closed-form ridge (λ = 1) on the same matrix
  // gives 0.781, so that is the linear limit of this split, not an undertrained model: the reference 0.848
  // is split luck (seeds 1, 2, 3 give 0.880, 0.770, 0.813; 5-fold CV on the training split 0.816). The
  // same features reach the reference with the MLP.
  it('cars, Year → number: linear R² ≥ 0.76 (split limit 0.781), MLP R² ≥ 0.84 (reference 0.848)', () => {
    const args = ['--data', `${DATA}/cars.json`, '--target', 'Miles_per_Gallon', '--feature-set', `${SETS}/cars.json`];
    const linear = run('cars-linear', ...args, '--model', 'linear', '--folds', '5');
    expect(linear.metrics.r2).toBeGreaterThanOrEqual(0.76);
    expect(linear.cv).toMatchObject({ folds: 5, metric: 'rmse' });
    const mlp = run('cars-mlp', ...args, '--model', 'mlp');
    expect(mlp.metrics.r2).toBeGreaterThanOrEqual(0.84);
  });
});

describe('search, folds and splits from the command line', () => {
  it('gives the same report metrics, leaderboard and CV for the same --seed', () => {
    const args = ['--data', `${DATA}/penguins.json`, '--target', 'Species', '--search', '3', '--folds', '3', '--seed', '11', '--epochs', '20'];
    const first = run('search-a', ...args);
    const second = run('search-b', ...args);
    expect(first.leaderboard).toHaveLength(3);
    expect(first.leaderboard!.map((t) => t.rank)).toEqual([1, 2, 3]);
    expect(first.split.validation).toBeGreaterThan(0);
    expect(first.timing.searchMs).toBeGreaterThan(0);
    expect(second.metrics).toEqual(first.metrics);
    expect(second.cv!.mean).toBe(first.cv!.mean);
    const strip = (r: Report) => r.leaderboard!.map(({ durationMs: _d, meanEpochMs: _m, ...t }) => t);
    expect(strip(second)).toEqual(strip(first));
  });

  it('splits by time with --split time --time-column', () => {
    const report = run('time', '--data', `${DATA}/seattle-weather.csv`, '--target', 'weather', '--split', 'time', '--time-column', 'date', '--class-weights', 'balanced');
    expect(report.splitKind).toBe('time');
    expect(report.split.test).toBe(292);
  });

  it('runs a grid search from a space file', () => {
    const space = join(work, 'space.json');
    writeFileSync(space, JSON.stringify({ model: ['linear'], learningRate: [0.01, 0.05] }));
    const report = run('grid', '--data', `${DATA}/penguins.json`, '--target', 'Species', '--search-grid', '--search-space', space, '--epochs', '10');
    expect(report.leaderboard).toHaveLength(2);
  });

  it('names bad flags and a bad feature set in one line', () => {
    const expectError = (pattern: RegExp, ...args: string[]) => {
      const result = millrace('run', '--data', `${DATA}/cars.json`, '--target', 'Miles_per_Gallon', '--out', join(work, 'bad'), ...args);
      expect(result.status).toBe(1);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(pattern);
    };
    expectError(/--split time needs --time-column/, '--split', 'time');
    expectError(/--dropout must be a number at least 0 and below 1; got "1.5"/, '--dropout', '1.5');
    expectError(/--folds must be a whole number of at least 2; got "1"/, '--folds', '1');
    expectError(/Cannot read --feature-set nope\.json: no such file/, '--feature-set', 'nope.json');
    const set = join(work, 'bad-set.json');
    writeFileSync(set, JSON.stringify({ name: 'b', version: 1, features: [{ name: 'ratio_1', column: 'Name', column2: 'Weight_in_lbs', transform: 'ratio' }] }));
    expectError(/Feature "ratio_1": column "Name" is not numeric/, '--feature-set', set);
  });
});
