// The review policy (the spec's `review` part) and the verdict it gives a candidate model: every failing check at once, each naming its metric, value and limit.
import { AppError } from '../errors.ts';
import type { JsonSchema } from '../spec/json-schema.ts';

/** Metrics a policy can name, camelCase as in report.json, and which way is better. */
export const POLICY_METRICS = {
  accuracy: true,
  balancedAccuracy: true,
  macroF1: true,
  weightedF1: true,
  rocAuc: true,
  averagePrecision: true,
  logLoss: false,
  brier: false,
  rmse: false,
  mae: false,
  r2: true,
  mape: false,
  maxError: false,
} as const satisfies Record<string, boolean>;

export type PolicyMetric = keyof typeof POLICY_METRICS;

/** Each policy metric in words, as the studio, the HTML report and the Train form name it. */
export const METRIC_LABELS: Record<PolicyMetric, string> = {
  accuracy: 'Accuracy',
  balancedAccuracy: 'Balanced accuracy',
  macroF1: 'Macro F1',
  weightedF1: 'Weighted F1',
  rocAuc: 'ROC AUC',
  averagePrecision: 'Average precision',
  logLoss: 'Log loss',
  brier: 'Brier score',
  rmse: 'RMSE',
  mae: 'MAE',
  r2: 'R²',
  mape: 'MAPE',
  maxError: 'Max error',
};

/** A headline metric's name in words: a policy metric's label, the calibration error, or the key itself. */
export function metricName(key: string): string {
  if (key === 'ece') return 'Expected calibration error';
  return (METRIC_LABELS as Record<string, string>)[key] ?? key;
}

export const FAIRNESS_METRICS = {
  demographicParityRatio: true,
  demographicParityDifference: false,
  equalizedOddsRatio: true,
  equalizedOddsDifference: false,
} as const satisfies Record<string, boolean>;

export type FairnessMetric = keyof typeof FAIRNESS_METRICS;

/** MLflow's MetricThreshold: an absolute threshold, and a least change against the champion (absolute or relative). */
export interface MetricRule {
  metric: PolicyMetric;
  /** The value must be at least this (at most, when lower is better). */
  threshold?: number;
  /** The least gain over the dummy baseline on the same rows. */
  minGainOverBaseline?: number;
  /** The least gain over the champion on the same rows. */
  minAbsoluteChange?: number;
  /** The least gain over the champion as a share of the champion's value. */
  minRelativeChange?: number;
  /** Default: the metric's own direction (higher accuracy, lower log loss). */
  greaterIsBetter?: boolean;
}

export interface FairnessRule {
  column: string;
  metric: FairnessMetric;
  min?: number;
  max?: number;
}

/** A sensitive column the review breaks metrics down by: categories, or numbers cut at points or into quantile groups. */
export interface SensitiveColumn {
  column: string;
  /** Numeric columns: "≤ c" and "> c" groups for each cut point. */
  cuts?: number[];
  /** Numeric columns: this many groups of equal size. */
  quantiles?: number;
  /** Not a model input: used only here. */
  reviewOnly?: boolean;
}

export interface ReviewPolicy {
  metrics?: MetricRule[];
  fairness?: FairnessRule[];
  /** Most expected calibration error. */
  maxEce?: number;
  /** Largest model (weights) in bytes. */
  maxBytes?: number;
  /** Slowest scoring, in milliseconds per 1,000 rows. */
  maxMsPer1000Rows?: number;
  /** The fewest test rows a group needs to be compared (default 30): smaller groups are listed, not compared. */
  minGroupRows?: number;
  /** The columns the review breaks metrics down by. */
  sensitive?: SensitiveColumn[];
  /** Binary targets: the positive class (default: the last label in sorted order, scikit-learn's convention). */
  positiveClass?: string;
  /** Binary targets: the decision threshold on the positive class's probability (default 0.5). */
  threshold?: number;
}

const number: JsonSchema = { type: 'number' };

/** The JSON Schema of the spec's `review` part (null: the default policy). */
export function reviewSchema(): JsonSchema {
  return {
    description: 'The review policy; null: every headline metric must beat the dummy baseline.',
    type: ['object', 'null'],
    properties: {
      metrics: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            metric: { type: 'string', enum: Object.keys(POLICY_METRICS) },
            threshold: number,
            minGainOverBaseline: number,
            minAbsoluteChange: number,
            minRelativeChange: number,
            greaterIsBetter: { type: 'boolean' },
          },
          required: ['metric'],
          additionalProperties: false,
        },
      },
      fairness: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            column: { type: 'string', minLength: 1 },
            metric: { type: 'string', enum: Object.keys(FAIRNESS_METRICS) },
            min: number,
            max: number,
          },
          required: ['column', 'metric'],
          additionalProperties: false,
        },
      },
      maxEce: { type: 'number', minimum: 0, maximum: 1 },
      maxBytes: { type: 'integer', minimum: 1 },
      maxMsPer1000Rows: { type: 'number', exclusiveMinimum: 0 },
      minGroupRows: { type: 'integer', minimum: 1, description: 'The fewest test rows a group needs to be compared (default 30).' },
      sensitive: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            column: { type: 'string', minLength: 1 },
            cuts: { type: 'array', minItems: 1, items: number },
            quantiles: { type: 'integer', minimum: 2, maximum: 20 },
            reviewOnly: { type: 'boolean' },
          },
          required: ['column'],
          additionalProperties: false,
        },
      },
      positiveClass: { type: 'string' },
      threshold: { type: 'number', minimum: 0, maximum: 1 },
    },
    additionalProperties: false,
    default: null,
  };
}

/** What the policy checks a candidate against. Metrics missing from a record are reported as missing. */
export interface ReviewEvidence {
  metrics: Partial<Record<PolicyMetric, number>>;
  baseline: Partial<Record<PolicyMetric, number>>;
  champion?: Partial<Record<PolicyMetric, number>> | undefined;
  /** Per sensitive column, its disparities. */
  fairness?: Record<string, Partial<Record<FairnessMetric, number>>> | undefined;
  /** Per sensitive column without disparities, why (e.g. too few rows in its groups). */
  fairnessNotes?: Record<string, string> | undefined;
  ece?: number | undefined;
  bytes?: number | undefined;
  msPer1000Rows?: number | undefined;
}

export interface ReviewCheck {
  /** e.g. "rocAuc threshold", "Sex demographicParityRatio", "model size". */
  check: string;
  value: number | null;
  limit: number;
  passed: boolean;
  /** e.g. "rocAuc 0.6812 is below the threshold 0.7". */
  message: string;
}

export interface ReviewVerdict {
  passed: boolean;
  checks: ReviewCheck[];
  /** The failing checks' messages, in order. */
  failures: string[];
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : Number(v.toPrecision(4)).toString());

function compare(check: string, name: string, value: number | undefined, limit: number, higher: boolean, what: string): ReviewCheck {
  if (value === undefined || Number.isNaN(value)) {
    return { check, value: null, limit, passed: false, message: `${name} is not available for this model, so ${what} ${fmt(limit)} cannot be checked` };
  }
  const passed = higher ? value >= limit : value <= limit;
  const side = higher ? 'below' : 'above';
  return { check, value, limit, passed, message: passed ? `${name} ${fmt(value)} meets ${what} ${fmt(limit)}` : `${name} ${fmt(value)} is ${side} ${what} ${fmt(limit)}` };
}

/** The default rule without a policy: every headline metric the model has must beat the dummy's. */
function defaultRules(evidence: ReviewEvidence): MetricRule[] {
  return (Object.keys(evidence.metrics) as PolicyMetric[])
    .filter((metric) => metric in POLICY_METRICS && evidence.baseline[metric] !== undefined && !Number.isNaN(evidence.baseline[metric]!))
    .map((metric) => ({ metric, minGainOverBaseline: Number.MIN_VALUE }));
}

/**
 * Checks a candidate against a policy (null: every headline metric better than the dummy's) and lists every
 * check with its value and limit; the verdict passes only when all do. A check against the champion is
 * skipped (listed as passed, saying so) when there is no champion.
 */
export function reviewVerdict(policy: ReviewPolicy | null, evidence: ReviewEvidence): ReviewVerdict {
  const checks: ReviewCheck[] = [];
  const rules = policy?.metrics?.length ? policy.metrics : defaultRules(evidence);
  for (const rule of rules) {
    const higher = rule.greaterIsBetter ?? POLICY_METRICS[rule.metric];
    const value = evidence.metrics[rule.metric];
    const sign = higher ? 1 : -1;
    if (rule.threshold !== undefined) checks.push(compare(`${rule.metric} threshold`, rule.metric, value, rule.threshold, higher, 'the threshold'));
    if (rule.minGainOverBaseline !== undefined) {
      const base = evidence.baseline[rule.metric];
      const gain = value === undefined || base === undefined ? undefined : sign * (value - base);
      const least = rule.minGainOverBaseline === Number.MIN_VALUE ? 0 : rule.minGainOverBaseline;
      const check = compare(`${rule.metric} over the baseline`, `${rule.metric} gain over the dummy baseline (${base === undefined ? '?' : fmt(base)})`, gain, least, true, 'the least gain');
      // "Better than the dummy" is strict: an equal score is no gain.
      if (rule.minGainOverBaseline === Number.MIN_VALUE && gain !== undefined && gain <= 0) {
        check.passed = false;
        check.message = `${rule.metric} ${fmt(value!)} is not better than the dummy baseline's ${fmt(base!)}`;
      }
      checks.push(check);
    }
    const champion = evidence.champion?.[rule.metric];
    if (rule.minAbsoluteChange !== undefined || rule.minRelativeChange !== undefined) {
      if (!evidence.champion) {
        checks.push({ check: `${rule.metric} against the champion`, value: null, limit: 0, passed: true, message: `no champion: ${rule.metric} is not compared with one` });
        continue;
      }
      const change = value === undefined || champion === undefined ? undefined : sign * (value - champion);
      if (rule.minAbsoluteChange !== undefined) {
        checks.push(compare(`${rule.metric} change`, `${rule.metric} change over the champion (${champion === undefined ? '?' : fmt(champion)})`, change, rule.minAbsoluteChange, true, 'the least change'));
      }
      if (rule.minRelativeChange !== undefined) {
        const relative = change === undefined || champion === undefined || champion === 0 ? undefined : change / Math.abs(champion);
        checks.push(compare(`${rule.metric} relative change`, `${rule.metric} relative change over the champion`, relative, rule.minRelativeChange, true, 'the least relative change'));
      }
    }
  }
  for (const rule of policy?.fairness ?? []) {
    const value = evidence.fairness?.[rule.column]?.[rule.metric];
    const name = `${rule.metric} on ${rule.column}`;
    const note = evidence.fairnessNotes?.[rule.column];
    const check = `${rule.column} ${rule.metric}`;
    // A rule whose disparities could not be computed fails, saying why (e.g. too few rows in a group), rather than stop the review.
    const judge = (limit: number, higher: boolean, what: string): ReviewCheck =>
      (value === undefined || Number.isNaN(value)) && note
        ? { check, value: null, limit, passed: false, message: `${name} cannot be checked against ${what} ${fmt(limit)}: ${note}` }
        : compare(check, name, value, limit, higher, what);
    if (rule.min !== undefined) checks.push(judge(rule.min, true, 'the floor'));
    if (rule.max !== undefined) checks.push(judge(rule.max, false, 'the ceiling'));
    if (rule.min === undefined && rule.max === undefined) {
      const limit = FAIRNESS_METRICS[rule.metric] ? 0.8 : 0.2;
      checks.push(judge(limit, FAIRNESS_METRICS[rule.metric], FAIRNESS_METRICS[rule.metric] ? 'the four-fifths floor' : 'the default ceiling'));
    }
  }
  if (policy?.maxEce !== undefined) checks.push(compare('calibration', 'expected calibration error', evidence.ece, policy.maxEce, false, 'the ceiling'));
  if (policy?.maxBytes !== undefined) checks.push(compare('model size', 'model size in bytes', evidence.bytes, policy.maxBytes, false, 'the limit'));
  if (policy?.maxMsPer1000Rows !== undefined) checks.push(compare('scoring latency', 'scoring time per 1,000 rows (ms)', evidence.msPer1000Rows, policy.maxMsPer1000Rows, false, 'the limit'));
  const failures = checks.filter((c) => !c.passed).map((c) => c.message);
  return { passed: failures.length === 0, checks, failures };
}

/** The columns a policy reads from the data (fairness rules and sensitive columns). */
export function policyColumns(policy: ReviewPolicy | null): { column: string; by: string }[] {
  if (!policy) return [];
  return [
    ...(policy.sensitive ?? []).map((s) => ({ column: s.column, by: 'a sensitive column of the review' })),
    ...(policy.fairness ?? []).map((f) => ({ column: f.column, by: `the fairness rule on ${f.metric}` })),
  ];
}

/** Refuses a policy that reads a column the data lacks, naming the column and what reads it. */
export function checkPolicyColumns(policy: ReviewPolicy | null, columns: readonly { name: string }[]): void {
  const names = new Set(columns.map((c) => c.name));
  for (const { column, by } of policyColumns(policy)) {
    if (!names.has(column)) {
      throw new AppError('unknown-column', `The data has no column "${column}", which ${by} names; the columns are ${[...names].map((n) => `"${n}"`).join(', ')}`, { column });
    }
  }
}
