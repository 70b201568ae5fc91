// `millrace run` with feature sets, splits, folds and search on the vega-datasets files, against docs/baselines.md.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summaryLine } from '../../src/cli/report.ts';
import { DATA, millrace } from './cli-run.ts';

const SETS = 'tests/fixtures/feature-sets';
const work = mkdtempSync(join(tmpdir(), 'millrace-cli-features-'));


type Report = {
  task: string;
  split: { train: number; test: number; validation?: number };
  splitKind: string;
  model: { kind: string; inputWidth: number; reason: string; refit: { trial: number; refitted: boolean; rows: number; trialRows: number; validationRows: number } | null };
  metrics: Record<string, number>;
  baseline: Record<string, number>;
  features: string[];
  featureSet: { name: string; features: { name: string }[] };
  leaderboard: { rank: number; trial: number; score: number; metric: string; params: { kind: string }; durationMs: number; meanEpochMs: number }[] | null;
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

// docs/baselines.md's logistic/ridge column, reached on scikit-learn's own split: the random and stratified splits
// replay train_test_split(X, y, test_size=0.2, random_state=42[, stratify=y]) row for row, which the dummy
// baselines confirm (they depend on the split alone and equal docs/baselines.md's dummy column). The linear model
// trains without early stopping (all training rows, the step size decaying to 0) with the L2 weight of
// scikit-learn's default penalty on the mean loss: Ridge(alpha=1) = 1 / n_train (the standardized target
// scales both terms alike), LogisticRegression(C=1) = 1 / (2 n_train). It then lands on the closed-form
// optimum: the figures below match numpy's Ridge and L-BFGS logistic fits of the same matrices to 4 digits.
describe('reference scores with a feature set and a linear model (scikit-learn split and penalty)', () => {
  const linear = (trainRows: number, task: 'regression' | 'classification') => [
    '--model', 'linear', '--seed', '42', '--no-early-stopping', '--epochs', '200', '--learning-rate', '0.03',
    '--l2', String(task === 'regression' ? 1 / trainRows : 1 / (2 * trainRows)),
  ];

  it('penguins: accuracy 1.000 (reference 1.000, dummy 0.435)', () => {
    const report = run('penguins', '--data', `${DATA}/penguins.json`, '--target', 'Species', '--feature-set', `${SETS}/penguins.json`, ...linear(275, 'classification'));
    expect(report.featureSet.name).toBe('penguins-species');
    expect(report.split).toEqual({ train: 275, test: 69 });
    expect(report.baseline.accuracy).toBeCloseTo(0.435, 3);
    expect(report.metrics.accuracy).toBe(1);
  });

  it('cars, Year → number: RMSE 2.86, R² 0.848 (reference 2.86, 0.848, dummy 7.35), and 5-fold CV', () => {
    const report = run('cars-linear', '--data', `${DATA}/cars.json`, '--target', 'Miles_per_Gallon', '--feature-set', `${SETS}/cars.json`, ...linear(318, 'regression'), '--folds', '5');
    expect(report.split).toEqual({ train: 318, test: 80 });
    expect(report.baseline.rmse).toBeCloseTo(7.347, 3);
    expect(report.metrics.rmse).toBeLessThanOrEqual(2.87);
    expect(report.metrics.r2).toBeGreaterThanOrEqual(0.845);
    expect(report.cv).toMatchObject({ folds: 5, metric: 'rmse' });
  });

  it('movies without Title, date → year/month: RMSE 0.885, R² 0.518 (reference 0.885, 0.518, dummy 1.275)', () => {
    const report = run('movies', '--data', `${DATA}/movies.json`, '--target', 'IMDB Rating', '--feature-set', `${SETS}/movies.json`, ...linear(2390, 'regression'));
    expect(report.features).not.toContain('Title');
    expect(report.split).toEqual({ train: 2390, test: 598 });
    expect(report.baseline.rmse).toBeCloseTo(1.275, 3);
    expect(report.metrics.rmse).toBeLessThanOrEqual(0.887);
    expect(report.metrics.r2).toBeGreaterThanOrEqual(0.515);
  });

  it('seattle-weather, date → year/month: accuracy 0.782, macro-F1 0.397 (reference 0.782, 0.397, dummy 0.440)', () => {
    const report = run('seattle', '--data', `${DATA}/seattle-weather.csv`, '--target', 'weather', '--feature-set', `${SETS}/seattle-weather.json`, ...linear(1168, 'classification'));
    expect(report.split).toEqual({ train: 1168, test: 293 });
    expect(report.baseline.accuracy).toBeCloseTo(0.4403, 4);
    // 229 of 293 rows; one row less is still accepted.
    expect(report.metrics.accuracy).toBeGreaterThanOrEqual(228 / 293);
    expect(report.metrics.macroF1).toBeGreaterThanOrEqual(0.39);
  });

  it('cars with the default MLP and early stopping: R² ≥ 0.88 (gradient boosting reference 0.911)', () => {
    const report = run('cars-mlp', '--data', `${DATA}/cars.json`, '--target', 'Miles_per_Gallon', '--feature-set', `${SETS}/cars.json`, '--model', 'mlp');
    expect(report.metrics.r2).toBeGreaterThanOrEqual(0.88);
  });
});

describe('search, folds and splits from the command line', () => {
  it('gives the same report metrics, leaderboard and CV for the same --seed', () => {
    const args = ['--data', `${DATA}/penguins.json`, '--target', 'Species', '--search', '3', '--folds', '3', '--seed', '11', '--epochs', '20'];
    const first = run('search-a', ...args);
    const second = run('search-b', ...args);
    // Without --search-space, the default space: 3 distinct trials, not the run's own parameters once.
    expect(first.leaderboard).toHaveLength(3);
    expect(new Set(first.leaderboard!.map((t) => JSON.stringify(t.params))).size).toBe(3);
    const spec = JSON.parse(readFileSync(join(work, 'search-a', 'pipeline.json'), 'utf8'));
    expect(spec.model.search).toEqual({
      strategy: 'random',
      trials: 3,
      minutes: null,
      space: {
        kind: ['linear', 'mlp'], learningRate: [0.003, 0.01, 0.03], hidden: [[16], [32], [64, 32]], dropout: [0, 0.1, 0.2], l2: [0, 0.0001, 0.001],
        leaves: [15, 31, 63], treeLearningRate: [0.05, 0.1, 0.2],
      },
    });
    expect(first.leaderboard!.map((t) => t.rank)).toEqual([1, 2, 3]);
    expect(first.split.validation).toBeGreaterThan(0);
    // The best trial's parameters refitted on the whole training split (the trials used it less the validation slice).
    expect(first.model.refit).toMatchObject({ trial: first.leaderboard![0]!.trial, refitted: true, rows: first.split.train });
    expect(first.model.refit!.trialRows + first.model.refit!.validationRows).toBe(first.split.train);
    expect(first.model.reason).toContain(`refitted on all ${first.split.train} training rows`);
    expect(summaryLine(first as never, 'out')).toContain(`best of 3 search trials, refitted on all ${first.split.train} training rows`);
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

  it('runs a grid search from a space file (models under `kind`, or under the older `model`)', () => {
    const space = join(work, 'space.json');
    writeFileSync(space, JSON.stringify({ kind: ['linear'], learningRate: [0.01, 0.05] }));
    const report = run('grid', '--data', `${DATA}/penguins.json`, '--target', 'Species', '--search-grid', '--search-space', space, '--epochs', '10');
    expect(report.leaderboard).toHaveLength(2);
    expect(report.leaderboard!.map((t) => t.params.kind)).toEqual(['linear', 'linear']);
    const legacy = join(work, 'space-legacy.json');
    writeFileSync(legacy, JSON.stringify({ model: ['linear'], learningRate: [0.01, 0.05] }));
    run('grid-legacy', '--data', `${DATA}/penguins.json`, '--target', 'Species', '--search-grid', '--search-space', legacy, '--epochs', '10');
    // The same spec, so the same run.
    expect(readFileSync(join(work, 'grid-legacy', 'pipeline.json'), 'utf8')).toBe(readFileSync(join(work, 'grid', 'pipeline.json'), 'utf8'));
    const a = JSON.parse(readFileSync(join(work, 'grid', 'report.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(work, 'grid-legacy', 'report.json'), 'utf8'));
    expect(b.metrics).toEqual(a.metrics);
  });

  const writeJson = (name: string, value: unknown) => {
    const file = join(work, name);
    writeFileSync(file, JSON.stringify(value));
    return file;
  };

  it('names bad flags and a bad feature set in one line', () => {
    const expectError = (pattern: RegExp, ...args: string[]) => {
      const result = millrace('run', '--data', `${DATA}/cars.json`, '--target', 'Miles_per_Gallon', '--out', join(work, 'bad'), ...args);
      expect(result.status).toBe(1);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr.trimEnd()).toMatch(pattern);
    };
    expectError(/^millrace: --split time needs --time-column COLUMN$/, '--split', 'time');
    expectError(/^millrace: --time-column: only applies to split\.kind "time", not "random"$/, '--split', 'random', '--time-column', 'Year');
    expectError(/^millrace: --dropout: 1\.5 is not below 1$/, '--dropout', '1.5');
    expectError(/^millrace: --folds: 1 is below 2$/, '--folds', '1');
    expectError(/^millrace: --seed: 4294967296 is above 4294967295$/, '--seed', '4294967296');
    expectError(/^millrace: --search: a random search needs trials or minutes$/, '--search-space', writeJson('space-l2.json', { l2: [0, 0.001] }));
    expectError(/^millrace: --search-space dropout\[1\]: 1\.5 is not below 1$/, '--search', '2', '--search-space', writeJson('space-bad.json', { dropout: [0, 1.5] }));
    expectError(/^millrace: --search-space kind\[0\]: "auto" is not one of linear, mlp, gbdt$/, '--search', '2', '--search-space', writeJson('space-auto.json', { model: ['auto'] }));
    expectError(/^millrace: Cannot read --feature-set nope\.json: no such file$/, '--feature-set', 'nope.json');
    expectError(/^millrace: --feature-set: the feature set needs a "name"$/, '--feature-set', writeJson('set-nameless.json', { version: 1, features: [] }));
    const set = join(work, 'bad-set.json');
    writeFileSync(set, JSON.stringify({ name: 'b', version: 1, features: [{ name: 'ratio_1', column: 'Name', column2: 'Weight_in_lbs', transform: 'ratio' }] }));
    expectError(/Feature "ratio_1": column "Name" is not numeric/, '--feature-set', set);
  }, 180_000);
});
