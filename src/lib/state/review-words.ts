// The review policy in words ("ROC AUC ≥ 0.7; demographic-parity ratio on Sex ≥ 0.8"), the metric names the Train form shows, and the plan without review-only columns.
import { FAIRNESS_METRICS, METRIC_LABELS, POLICY_METRICS, type FairnessMetric, type PolicyMetric, type ReviewPolicy, type SensitiveColumn } from '../pipeline/review/policy.ts';
import type { SensitiveSuggestion } from '../pipeline/review/sensitive.ts';
import type { FeaturePlan, TaskKind } from '../pipeline/types.ts';

export { METRIC_LABELS };

/** Each fairness metric in words, lower case ("Minimum demographic-parity ratio"). */
export const FAIRNESS_LABELS: Record<FairnessMetric, string> = {
  demographicParityRatio: 'demographic-parity ratio',
  demographicParityDifference: 'demographic-parity difference',
  equalizedOddsRatio: 'equalized-odds ratio',
  equalizedOddsDifference: 'equalized-odds difference',
};

const KIND_WORDS: Record<SensitiveSuggestion['kind'], string> = {
  sex: 'sex or gender',
  age: 'age',
  race: 'race or ethnicity',
  nationality: 'nationality or foreign status',
  marital: 'marital status',
  religion: 'religion',
  disability: 'disability',
};

/** A suggestion as its chip says it: "Sex (sex or gender: name)", "Gender (sex or gender: values)". */
export function suggestionText(suggestion: SensitiveSuggestion): string {
  return `${suggestion.column} (${KIND_WORDS[suggestion.kind]}: ${suggestion.why.startsWith('the name') ? 'name' : 'values'})`;
}

const REGRESSION_METRICS: readonly PolicyMetric[] = ['rmse', 'mae', 'r2', 'mape', 'maxError'];

/** The metrics a model of this task reports (all of them while the task is not known). */
export function metricsFor(task: TaskKind | ''): PolicyMetric[] {
  const all = Object.keys(POLICY_METRICS) as PolicyMetric[];
  if (!task) return all;
  return all.filter((metric) => REGRESSION_METRICS.includes(metric) === (task === 'regression'));
}

/** True when more of the metric is better (the policy's default direction). */
export const higherIsBetter = (metric: PolicyMetric, greaterIsBetter?: boolean): boolean => greaterIsBetter ?? POLICY_METRICS[metric];
/** True for ratios (a floor), false for differences (a ceiling). */
export const isRatio = (metric: FairnessMetric): boolean => FAIRNESS_METRICS[metric];

const num = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 6 });

/** How a sensitive column is grouped, in words: "categories", "≤ 25, > 25", "4 quantile groups". */
export function groupingWords(sensitive: SensitiveColumn): string {
  if (sensitive.cuts?.length) {
    const c = sensitive.cuts;
    const inner = c.slice(1).map((v, i) => `${num(c[i] as number)}–${num(v)}`);
    return [`≤ ${num(c[0] as number)}`, ...inner, `> ${num(c[c.length - 1] as number)}`].join(', ');
  }
  if (sensitive.quantiles !== undefined) return `${sensitive.quantiles} quantile groups`;
  return 'categories';
}

/** Every rule of a policy in words, joined by "; " (null: the default rule). */
export function policyWords(policy: ReviewPolicy | null): string {
  const parts: string[] = [];
  for (const rule of policy?.metrics ?? []) {
    const name = METRIC_LABELS[rule.metric];
    const up = higherIsBetter(rule.metric, rule.greaterIsBetter);
    const [at, better] = up ? ['≥', 'above'] : ['≤', 'below'];
    if (rule.threshold !== undefined) parts.push(`${name} ${at} ${num(rule.threshold)}`);
    if (rule.minGainOverBaseline !== undefined) parts.push(`${name} at least ${num(rule.minGainOverBaseline)} ${better} the dummy's`);
    if (rule.minAbsoluteChange !== undefined) parts.push(`${name} at least ${num(rule.minAbsoluteChange)} ${better} the champion's`);
    if (rule.minRelativeChange !== undefined) parts.push(`${name} at least ${num(rule.minRelativeChange * 100)}% ${better} the champion's`);
  }
  if (!policy?.metrics?.length) parts.push("every headline metric better than the dummy's");
  for (const rule of policy?.fairness ?? []) {
    const name = `${FAIRNESS_LABELS[rule.metric]} on ${rule.column}`;
    if (rule.min !== undefined) parts.push(`${name} ≥ ${num(rule.min)}`);
    if (rule.max !== undefined) parts.push(`${name} ≤ ${num(rule.max)}`);
    if (rule.min === undefined && rule.max === undefined) parts.push(isRatio(rule.metric) ? `${name} ≥ 0.8` : `${name} ≤ 0.2`);
  }
  if (policy?.maxEce !== undefined) parts.push(`calibration error (ECE) ≤ ${num(policy.maxEce)}`);
  if (policy?.maxBytes !== undefined) parts.push(`model ≤ ${num(policy.maxBytes)} bytes`);
  if (policy?.maxMsPer1000Rows !== undefined) parts.push(`scoring ≤ ${num(policy.maxMsPer1000Rows)} ms per 1,000 rows`);
  if (policy?.minGroupRows !== undefined) parts.push(`groups of at least ${num(policy.minGroupRows)} test rows compared`);
  const text = parts.join('; ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The plan as the model gets it: columns kept for review only moved to the dropped list, saying why. */
export function planWithoutReviewOnly(plan: FeaturePlan, reviewOnly: readonly string[]): FeaturePlan {
  const kept = new Set(reviewOnly);
  const read = plan.features.filter((column) => kept.has(column));
  if (read.length === 0) return plan;
  return {
    ...plan,
    features: plan.features.filter((column) => !kept.has(column)),
    dropped: [...plan.dropped, ...read.map((column) => ({ column, reason: 'is for review only (a sensitive column the model must not use)' }))],
  };
}
