// The `millrace` CLI end to end: spawned as `node bin/millrace.mjs`, on vega-datasets files and broken inputs.
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA, millrace } from './cli-run.ts';

const work = mkdtempSync(join(tmpdir(), 'millrace-cli-'));


type Report = {
  task: string;
  rows: number;
  split: { train: number; test: number };
  seed: number;
  model: Record<string, unknown> & { kind: string };
  check: { summary: string; rowsIn: number; rowsChecked: number; sha256Matches: boolean | null };
  backend: string;
  metrics: Record<string, number>;
  baseline: Record<string, number>;
  dropped: { column: string; reason: string }[];
};

function run(name: string, ...args: string[]): Report {
  const out = join(work, name);
  const result = millrace('run', ...args, '--out', out);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
}

describe('millrace run', () => {
  it('classifies penguins by species with accuracy ≥ 0.97, writes the model bundle and reports every hyper-parameter', () => {
    const report = run('penguins', '--data', `${DATA}/penguins.json`, '--target', 'Species', '--model', 'linear');
    expect(report.task).toBe('multiclass');
    expect(report.backend).toBe('wasm');
    expect(report.split.train + report.split.test).toBeLessThanOrEqual(report.rows);
    expect(report.metrics.accuracy).toBeGreaterThanOrEqual(0.97);
    expect(report.metrics.accuracy).toBeGreaterThan(report.baseline.accuracy! + 0.4);
    expect(Object.keys(report.metrics).sort()).toEqual(['accuracy', 'logLoss', 'macroF1', 'rocAuc']);
    expect(readdirSync(join(work, 'penguins')).sort()).toEqual(['evaluation.html', 'evaluation.json', 'model', 'pipeline.json', 'report.json', 'test-predictions.csv']);
    expect(readdirSync(join(work, 'penguins', 'model')).sort()).toEqual(
      ['README.md', 'manifest.json', 'metrics.json', 'model-card.md', 'model.json', 'pipeline.json', 'predict.mjs', 'recipe.json', 'reference.json', 'review.json', 'transforms.json', 'weights.bin'].sort(),
    );
    const modelJson = JSON.parse(readFileSync(join(work, 'penguins', 'model', 'model.json'), 'utf8'));
    expect(modelJson.weightsManifest[0].paths).toEqual(['weights.bin']);
    // The Check stage always runs: without --rules, suggested rules that only warn.
    expect(report.check).toMatchObject({ rowsIn: 344, rowsChecked: 344, sha256Matches: null });
    expect(report.check.summary).toMatch(/^check passed: 344 of 344 rows after the recipe, \d+ rules/);
    // Every resolved hyper-parameter of the model.
    expect(report.model).toMatchObject({
      kind: 'linear',
      epochs: 100,
      earlyStopping: true,
      learningRate: 0.01,
      hidden: [],
      activation: 'relu',
      dropout: 0,
      l2: 0,
      classWeights: 'none',
      batchSize: null,
      reason: 'linear requested',
    });
    expect(Object.keys(report.model)).toEqual(expect.arrayContaining(['epochsRun', 'bestEpoch', 'inputWidth']));
    expect(report.seed).toBe(42);
  });

  it('predicts cars miles per gallon with R² ≥ 0.88 (auto: an MLP against trees, the better refitted) and drops the name column', () => {
    const report = run('cars', '--data', `${DATA}/cars.json`, '--target', 'Miles_per_Gallon');
    expect(report.task).toBe('regression');
    expect(report.split).toMatchObject({ train: 318, test: 80 });
    expect(String(report.model.reason)).toMatch(/^auto: (the MLP|gradient-boosted trees) scored better on the validation slice by rmse \(\d\.\d{4}\) than (the MLP|gradient-boosted trees) \(\d\.\d{4}\), refitted on all 318 training rows$/);
    expect(report.metrics.r2).toBeGreaterThanOrEqual(0.88);
    expect(report.baseline.r2).toBeLessThan(0.05);
    expect(Object.keys(report.metrics).sort()).toEqual(['mae', 'r2', 'rmse']);
    expect(report.dropped.map((d) => d.column)).toContain('Name');
  });

  it('gives identical metrics for the same --seed', () => {
    const args = ['--data', `${DATA}/cars.json`, '--target', 'Horsepower', '--model', 'mlp', '--seed', '9', '--epochs', '30'];
    const first = run('seed-a', ...args);
    const second = run('seed-b', ...args);
    expect(second.metrics).toEqual(first.metrics);
    expect(readFileSync(join(work, 'seed-b', 'model', 'weights.bin'))).toEqual(
      readFileSync(join(work, 'seed-a', 'model', 'weights.bin')),
    );
  });
});

describe('millrace profile', () => {
  it('prints the profile JSON of a file', () => {
    const result = millrace('profile', '--data', `${DATA}/penguins.json`);
    expect(result.status).toBe(0);
    const profile = JSON.parse(result.stdout) as { rows: number; columns: { name: string; type: string; missing: number; distinct: number }[] };
    expect(profile.rows).toBe(344);
    const species = profile.columns.find((c) => c.name === 'Species');
    expect(species).toMatchObject({ type: 'category', missing: 0, distinct: 3 });
    expect(profile.columns.find((c) => c.name === 'Beak Length (mm)')?.missing).toBe(2);
  });

  it('prints help and exits 0', () => {
    const result = millrace('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('millrace run --data FILE --target COLUMN');
    expect(result.stdout).toContain('millrace run --spec pipeline.json --data FILE --out DIR');
  });

  // The CLI used to refuse Parquet ("is read asynchronously"): it now reads files as the studio's import does.
  it('reads Parquet (flights-3m.parquet, 13 MB, 3M rows)', () => {
    const file = `${DATA}/flights-3m.parquet`;
    expect(statSync(file).size).toBeLessThan(30e6);
    const result = millrace('profile', '--data', file);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const profile = JSON.parse(result.stdout) as { rows: number; columns: { name: string; type: string; missing: number; min?: number; max?: number }[] };
    expect(profile.rows).toBe(3_000_000);
    expect(profile.columns.map((c) => [c.name, c.type])).toEqual([
      ['date', 'date'],
      ['delay', 'integer'],
      ['distance', 'integer'],
      ['origin', 'category'],
      ['destination', 'category'],
    ]);
    expect(profile.columns.find((c) => c.name === 'distance')).toMatchObject({ missing: 0, min: 21, max: 4962 });
  }, 120_000);

  it('reads Arrow IPC (flights-200k.arrow)', () => {
    const result = millrace('profile', '--data', `${DATA}/flights-200k.arrow`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const profile = JSON.parse(result.stdout) as { rows: number; columns: { name: string; type: string; missing: number; min?: number; max?: number }[] };
    expect(profile.rows).toBe(200_000);
    expect(profile.columns.map((c) => [c.name, c.type])).toEqual([
      ['delay', 'integer'],
      ['distance', 'integer'],
      ['time', 'number'],
    ]);
    expect(profile.columns[0]).toMatchObject({ missing: 0, min: -86, max: 1444 });
  });
});

describe('millrace run --spec', () => {
  const cases = [
    { name: 'penguins', data: `${DATA}/penguins.json`, target: 'Species', task: 'multiclass' },
    { name: 'cars', data: `${DATA}/cars.json`, target: 'Miles_per_Gallon', task: 'regression' },
  ];
  for (const { name, data, target, task } of cases) {
    it(`${name}: OUT/pipeline.json run again with --spec gives the same metrics, baseline, split and weights`, () => {
      const first = run(`spec-${name}-a`, '--data', data, '--target', target, '--model', 'mlp', '--epochs', '20', '--seed', '5');
      const specFile = join(work, `spec-${name}-a`, 'pipeline.json');
      const spec = JSON.parse(readFileSync(specFile, 'utf8'));
      expect(spec).toMatchObject({ format: 'millrace.pipeline/1', target, input: { dataset: `${name}.json` }, split: { seed: 5 }, model: { kind: 'mlp', epochs: 20 } });
      expect(spec.input.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(readFileSync(join(work, `spec-${name}-a`, 'model', 'pipeline.json'), 'utf8')).toBe(readFileSync(specFile, 'utf8'));
      expect(first.task).toBe(task);

      const second = run(`spec-${name}-b`, '--spec', specFile, '--data', data);
      expect(second.metrics).toEqual(first.metrics);
      expect(second.baseline).toEqual(first.baseline);
      expect(second.split).toEqual(first.split);
      expect(second.model).toEqual(first.model);
      expect(second.check.sha256Matches).toBe(true);
      expect(readFileSync(join(work, `spec-${name}-b`, 'model', 'weights.bin'))).toEqual(readFileSync(join(work, `spec-${name}-a`, 'model', 'weights.bin')));
      // The spec as run is the spec given.
      expect(readFileSync(join(work, `spec-${name}-b`, 'pipeline.json'), 'utf8')).toBe(readFileSync(specFile, 'utf8'));
    }, 120_000);
  }

  function expectRefused(result: ReturnType<typeof millrace>, out: string, line: string | RegExp) {
    expect(result.status).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    if (typeof line === 'string') expect(lines[0]).toBe(line);
    else expect(lines[0]).toMatch(line);
    // Nothing is written.
    expect(existsSync(out)).toBe(false);
  }

  type SpecValue = { format: string; target: string; model: Record<string, unknown>; split?: unknown; features?: unknown; check?: unknown };
  const spec = (name: string, change: (spec: SpecValue) => void): string => {
    const value: SpecValue = { format: 'millrace.pipeline/1', target: 'Miles_per_Gallon', model: { kind: 'linear', epochs: 5 } };
    change(value);
    const file = join(work, `${name}.json`);
    writeFileSync(file, JSON.stringify(value, null, 2));
    return file;
  };

  it('names the spec file and the JSON path of a bad spec', () => {
    const out = join(work, 'bad-spec-out');
    const dropout = spec('bad-dropout', (s) => (s.model.dropout = 1.5));
    expectRefused(millrace('run', '--spec', dropout, '--data', `${DATA}/cars.json`, '--out', out), out, `millrace: --spec ${dropout}: model.dropout: 1.5 is not below 1`);
    const field = spec('bad-field', (s) => (s.split = { sed: 1 }));
    expectRefused(
      millrace('run', '--spec', field, '--data', `${DATA}/cars.json`, '--out', out),
      out,
      `millrace: --spec ${field}: split.sed: unknown field; the fields are kind, seed, timeColumn, folds`,
    );
    const text = join(work, 'bad-json.json');
    writeFileSync(text, '{"format": "millrace.pipeline/1",');
    expectRefused(millrace('run', '--spec', text, '--data', `${DATA}/cars.json`, '--out', out), out, new RegExp(`^millrace: --spec ${text} is not valid JSON: `));
  }, 120_000);

  it('names a target or feature column the data lacks, and writes nothing', () => {
    const out = join(work, 'missing-column-out');
    const target = spec('no-target', (s) => (s.target = 'MPG'));
    expectRefused(millrace('run', '--spec', target, '--data', `${DATA}/cars.json`, '--out', out), out, /^millrace: Unknown target column "MPG"; the columns are "Name", "Miles_per_Gallon"/);
    const feature = spec('no-feature', (s) => (s.features = { name: 'f', version: 1, features: [{ name: 'w', column: 'Weight', transform: 'standardize' }] }));
    expectRefused(millrace('run', '--spec', feature, '--data', `${DATA}/cars.json`, '--out', out), out, /^millrace: Feature "w": unknown column "Weight"; the columns are /);
    const time = spec('no-time', (s) => (s.split = { kind: 'time', timeColumn: 'When' }));
    expectRefused(millrace('run', '--spec', time, '--data', `${DATA}/cars.json`, '--out', out), out, /^millrace: Unknown column "When"/);
    const rule = spec('no-rule-column', (s) => (s.check = { rules: { rules: [{ id: 'x', kind: 'not-null', column: 'Nope', severity: 'block' }] } }));
    expectRefused(millrace('run', '--spec', rule, '--data', `${DATA}/cars.json`, '--out', out), out, /^millrace: Rule x: column "Nope" is not a column of the data/);
  }, 120_000);

  it('refuses pipeline flags beside --spec: the spec says them', () => {
    const file = spec('ok', () => undefined);
    const out = join(work, 'mixed-out');
    expectRefused(
      millrace('run', '--spec', file, '--data', `${DATA}/cars.json`, '--out', out, '--seed', '3'),
      out,
      'millrace: --seed cannot be combined with --spec: the spec says it; edit the spec file instead',
    );
    expectRefused(millrace('run', '--spec', file, '--data', `${DATA}/cars.json`, '--out', out, '--no-early-stopping'), out, /^millrace: --no-early-stopping cannot be combined with --spec/);
    expectRefused(millrace('run', '--spec', file, '--data', `${DATA}/cars.json`, '--out', out, '--rules', 'r.json'), out, /^millrace: --rules cannot be combined with --spec/);
  }, 120_000);
});

describe('bad input', () => {
  function expectOneLineError(result: ReturnType<typeof millrace>, pattern: RegExp) {
    expect(result.status).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^millrace: /);
    expect(lines[0]).toMatch(pattern);
  }

  it('names a missing file', () => {
    expectOneLineError(millrace('profile', '--data', join(work, 'nope.csv')), /nope\.csv.*no such file/);
  });

  it('names an unknown target column', () => {
    const result = millrace('run', '--data', `${DATA}/penguins.json`, '--target', 'Spieces', '--out', join(work, 'x'));
    expectOneLineError(result, /"Spieces"/);
  });

  it('names the ragged line of a CSV', () => {
    const file = join(work, 'ragged.csv');
    writeFileSync(file, 'a,b,c\n1,2,3\n4,5,6\n7,8,9,10\n');
    expectOneLineError(millrace('run', '--data', file, '--target', 'c', '--out', join(work, 'y')), /ragged\.csv.*line 4/);
  });

  // Flags are checked before the data is read: x.csv does not exist.
  it('names a bad flag value, before reading the data', () => {
    const bad = (flags: string[], line: string) => {
      const result = millrace('run', '--data', 'x.csv', '--target', 'y', '--out', join(work, 'z'), ...flags);
      expectOneLineError(result, /./);
      expect(result.stderr.trimEnd()).toBe(`millrace: ${line}`);
    };
    bad(['--model', 'forest'], '--model: "forest" is not one of auto, linear, mlp, gbdt');
    bad(['--epochs', 'ten'], '--epochs: "ten" is not a number');
    bad(['--epochs', '2.5'], '--epochs: 2.5 is not a whole number');
    bad(['--learning-rate', '0'], '--learning-rate: 0 is not above 0');
    bad(['--hidden', '64,0'], '--hidden[1]: 0 is below 1');
    bad(['--task', 'ranking'], '--task: "ranking" is not one of binary, multiclass, regression');
    bad(['--seed=-1'], '--seed: -1 is below 0');
    bad(['--search', '0'], '--search: 0 is below 1');
    expect(existsSync(join(work, 'z'))).toBe(false);
  }, 120_000);

  it('names an unknown command and a missing flag', () => {
    expectOneLineError(millrace('train', '--data', 'x.csv'), /^millrace: Unknown command "train"; the commands are run, check, review, profile, drift, monitor, models, promote, rollback, history, score, import, export$/);
    expectOneLineError(millrace('run', '--data', 'x.csv', '--out', 'z'), /^millrace: run needs --target; see millrace --help$/);
  });
});
