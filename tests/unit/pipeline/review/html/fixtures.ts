// Seeded evaluation reports for the HTML report's tests (unit and browser): binary, multiclass and regression, with a hostile name everywhere a name can go.
import { evaluationReport, type EvaluationReport, type ReviewInput } from '../../../../../src/lib/pipeline/review/report.ts';
import type { ReviewPolicy } from '../../../../../src/lib/pipeline/review/policy.ts';
import type { StringColumn } from '../../../../../src/lib/pipeline/types.ts';

/** A name that runs script if it reaches the page unescaped. */
export const HOSTILE = '<img src=x onerror=alert(1)>';

export interface FixtureOptions {
  rows?: number;
  seed?: number;
  resamples?: number;
  /** The name used for the sensitive column, a class label, the first feature and the target (default HOSTILE). */
  name?: string;
  champion?: boolean;
  /** Multiclass: the number of classes (default 3). */
  classes?: number;
}

/** A small seeded generator (mulberry32): uniform in [0, 1). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sensitive(name: string, rows: number, rand: () => number): NonNullable<ReviewInput['sensitive']> {
  // Two large groups, one tiny group (too few rows to compare) and some missing values.
  const codes = Int32Array.from({ length: rows }, (_, i) => (i % 97 === 0 ? -1 : i % 53 === 0 ? 2 : rand() < 0.45 ? 0 : 1));
  const column: StringColumn = { name, type: 'category', codes, levels: [name, 'group b', 'tiny'] };
  return [{ spec: { column: name }, column, rows: Int32Array.from({ length: rows }, (_, i) => i) }];
}

function policy(name: string, task: ReviewInput['task']): ReviewPolicy {
  const metric = task === 'regression' ? 'rmse' : 'accuracy';
  return {
    metrics: [{ metric, threshold: task === 'regression' ? 0.01 : 0.999, minGainOverBaseline: 0 }],
    // Regression has no disparities to hold a floor to.
    fairness: task === 'regression' ? [] : [{ column: name, metric: 'demographicParityRatio', min: 0.99 }],
    sensitive: [{ column: name }],
    ...(task === 'binary' ? { threshold: 0.42 } : {}),
    ...(task === 'regression' ? {} : { maxEce: 0.001 }),
  };
}

/** Permutation importance as the CLI stores it, with `name` as the most important column. */
export function importanceFor(name: string, metric: string, rows: number) {
  const names = [name, 'Flipper Length (mm)', 'Body Mass (g)', 'Island', 'a column with a rather long name that needs cutting', 'noise'];
  return {
    metric,
    higherIsBetter: metric !== 'rmse',
    baseline: 0.87,
    rows,
    repeats: 5,
    seed: 0,
    columns: names.map((column, i) => ({ column, features: [column], mean: 0.12 / (i + 1) - (i === 5 ? 0.03 : 0), std: 0.01 + 0.004 * i, importances: [], scores: [] })),
    durationMs: 12,
  };
}

export type FixtureReport = EvaluationReport & { importance: ReturnType<typeof importanceFor> };

/** A binary report: the positive class is `name`, scores informative but noisy. */
export function binaryReport(options: FixtureOptions = {}): FixtureReport {
  const { rows = 400, seed = 1, resamples = 50, name = HOSTILE } = options;
  const rand = random(seed);
  const actual = new Float32Array(rows);
  const outputs = new Float32Array(rows * 2);
  const base = new Float32Array(rows * 2);
  const champ = new Float32Array(rows * 2);
  for (let i = 0; i < rows; i++) {
    const y = rand() < 0.35 ? 1 : 0;
    actual[i] = y;
    const p = Math.min(0.999, Math.max(0.001, 0.35 * y + 0.3 + (rand() - 0.5) * 0.7));
    outputs[2 * i] = 1 - p;
    outputs[2 * i + 1] = p;
    base[2 * i] = 0.65;
    base[2 * i + 1] = 0.35;
    const q = Math.min(0.999, Math.max(0.001, p + (rand() - 0.5) * 0.3));
    champ[2 * i] = 1 - q;
    champ[2 * i + 1] = q;
  }
  const report = evaluationReport({
    task: 'binary',
    classes: ['ok', name],
    actual,
    outputs,
    baselineOutputs: base,
    ...(options.champion ? { championOutputs: champ } : {}),
    policy: policy(name, 'binary'),
    sensitive: sensitive(name, rows, rand),
    bootstrap: { resamples, seed },
  });
  return { ...report, importance: importanceFor(name, 'rocAuc', rows) };
}

/** A three-class report with `name` as one of the classes. */
export function multiclassReport(options: FixtureOptions = {}): FixtureReport {
  const { rows = 450, seed = 2, resamples = 50, name = HOSTILE } = options;
  const rand = random(seed);
  const k = options.classes ?? 3;
  const actual = new Float32Array(rows);
  const outputs = new Float32Array(rows * k);
  const base = new Float32Array(rows * k).fill(1 / k);
  for (let i = 0; i < rows; i++) {
    const y = Math.floor(rand() * k);
    actual[i] = y;
    const raw = Array.from({ length: k }, (_, c) => Math.exp((c === y ? 1.2 : 0) + rand() * 2.5));
    const sum = raw.reduce((a, b) => a + b, 0);
    raw.forEach((v, c) => (outputs[i * k + c] = v / sum));
  }
  const report = evaluationReport({
    task: 'multiclass',
    classes: ['Adelie', name, 'Gentoo', ...Array.from({ length: k - 3 }, (_, i) => `class ${i + 3}`)],
    actual,
    outputs,
    baselineOutputs: base,
    policy: { ...policy(name, 'multiclass'), positiveClass: name },
    sensitive: sensitive(name, rows, rand),
    bootstrap: { resamples, seed },
  });
  return { ...report, importance: importanceFor(name, 'accuracy', rows) };
}

/** A regression report whose target crosses zero (MAPE skipped). */
export function regressionReport(options: FixtureOptions = {}): FixtureReport {
  const { rows = 500, seed = 3, resamples = 50, name = HOSTILE } = options;
  const rand = random(seed);
  const actual = new Float32Array(rows);
  const outputs = new Float32Array(rows);
  let mean = 0;
  for (let i = 0; i < rows; i++) {
    const x = rand() * 40 - 10;
    outputs[i] = x;
    actual[i] = x + (rand() - 0.5) * (4 + Math.abs(x) * 0.3);
    mean += actual[i]! / rows;
  }
  const report = evaluationReport({
    task: 'regression',
    classes: [],
    actual,
    outputs,
    baselineOutputs: new Float32Array(rows).fill(mean),
    policy: policy(name, 'regression'),
    sensitive: sensitive(name, rows, rand),
    bootstrap: { resamples, seed },
  });
  return { ...report, importance: importanceFor(name, 'rmse', rows) };
}

/** The meta of a report whose every name is `name`, with a rejection whose note is `name`. */
export function metaFor(name = HOSTILE) {
  return {
    title: name,
    dataset: `${name}.csv`,
    target: name,
    runId: `run-${name}`,
    createdAt: '2025-01-02T03:04:05.000Z',
    champion: { modelId: 1, name: `${name} champion`, version: 3, runId: 'run-0' },
    decision: { decision: 'reject' as const, note: `Too unfair: ${name}\nsecond line`, at: '2025-01-03T00:00:00.000Z' },
  };
}
