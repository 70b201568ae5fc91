// The Train form's review: the sensitive columns (categories, cut points or quantile groups; "for review only"), the positive class and the policy's rules, as the spec's `review`.
import { AppError } from '../pipeline/errors.ts';
import { checkFairnessRules } from '../pipeline/review/fairness-checks.ts';
import { checkPolicyColumns, type FairnessMetric, type FairnessRule, type MetricRule, type PolicyMetric, type ReviewPolicy, type SensitiveColumn } from '../pipeline/review/policy.ts';
import { MAX_QUANTILES, MAX_VALUE_GROUPS, MIN_QUANTILES, suggestSensitive, type SensitiveSuggestion } from '../pipeline/review/sensitive.ts';
import { jsonValue } from '../pipeline/json-text.ts';
import { parseSpec } from '../pipeline/spec/validate.ts';
import { SPEC_FORMAT } from '../pipeline/spec/types.ts';
import { sortClasses } from '../pipeline/transforms.ts';
import type { ColumnProfile, DatasetProfile, TaskKind } from '../pipeline/types.ts';
import { FAIRNESS_LABELS, METRIC_LABELS, isRatio, metricsFor } from './review-words.ts';

export type GroupMode = 'categories' | 'cuts' | 'quantiles';

/** A chosen sensitive column as the form holds it (cut points as typed). */
export interface SensitiveChoice {
  column: string;
  mode: GroupMode;
  /** Cut points as typed: "25, 60". */
  cuts: string;
  quantiles: number | null;
  reviewOnly: boolean;
}

/** A metric rule's fields as typed; empty: not set. */
export interface MetricRuleFields {
  metric: PolicyMetric;
  threshold: string;
  minGainOverBaseline: string;
  minAbsoluteChange: string;
  minRelativeChange: string;
  greaterIsBetter?: boolean;
}

/** A fairness rule's bounds as typed; a rule with neither is no rule. */
export interface FairnessRuleFields {
  column: string;
  metric: FairnessMetric;
  min: string;
  max: string;
}

export const METRIC_FIELDS = [
  ['threshold', 'Threshold'],
  ['minGainOverBaseline', 'Minimum gain over the dummy'],
  ['minAbsoluteChange', 'Minimum change vs. the champion'],
  ['minRelativeChange', 'Minimum relative change vs. the champion'],
] as const;

export const LIMIT_FIELDS = [
  ['maxEce', 'Largest calibration error (ECE)'],
  ['maxBytes', 'Largest model (bytes)'],
  ['maxMsPer1000Rows', 'Slowest scoring (ms per 1,000 rows)'],
  ['minGroupRows', 'Fewest rows to compare a group'],
] as const;

export type LimitKey = (typeof LIMIT_FIELDS)[number][0];

/** The label of a fairness bound ("Minimum demographic-parity ratio"). */
export const boundLabel = (side: 'min' | 'max', metric: FairnessMetric): string => `${side === 'min' ? 'Minimum' : 'Maximum'} ${FAIRNESS_LABELS[metric]}`;

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
const bad = (message: string) => new AppError('bad-argument', message);

/** A typed number: undefined when empty; names the field when it is not a number. */
function numberField(text: string, field: string): number | undefined {
  const t = text.trim();
  if (!t) return undefined;
  if (!NUMBER.test(t)) throw bad(`${field}: "${t}" is not a number`);
  return Number(t);
}

const words = (values: readonly string[]) => values.map((v) => `"${v}"`).join(', ');
const numericTypes: readonly string[] = ['integer', 'number'];

export class ReviewOptions {
  sensitive = $state<SensitiveChoice[]>([]);
  /** The chosen positive class; empty: the default (the last label in sorted order). */
  positiveClass = $state('');
  metrics = $state<MetricRuleFields[]>([]);
  fairness = $state<FairnessRuleFields[]>([]);
  limits = $state<Record<LimitKey, string>>({ maxEce: '', maxBytes: '', maxMsPer1000Rows: '', minGroupRows: '' });
  /** Binary targets: the decision threshold from a loaded policy or spec (kept as it was; no field sets it yet). */
  threshold = $state<number | undefined>(undefined);
  /** What loading a policy did beyond filling the fields, or why a file was refused. */
  notice = $state<string | null>(null);
  fileError = $state<string | null>(null);
  #profile = $state.raw<DatasetProfile | null>(null);

  /** The selected version's profile: column types, distinct counts and top values. */
  useProfile(profile: DatasetProfile | null): void {
    this.#profile = profile;
  }

  column(name: string): ColumnProfile | undefined {
    return this.#profile?.columns.find((c) => c.name === name);
  }

  /** Cut points apply to numbers; quantile groups to numbers and dates (true while the type is not known). */
  canCut(name: string): boolean {
    const c = this.column(name);
    return !c || numericTypes.includes(c.type);
  }
  canQuantile(name: string): boolean {
    const c = this.column(name);
    return !c || numericTypes.includes(c.type) || c.type === 'date';
  }

  /** Columns that may be chosen: every column but the target and the chosen ones. */
  choices(target: string): string[] {
    const chosen = this.sensitive.map((s) => s.column);
    return (this.#profile?.columns ?? []).map((c) => c.name).filter((name) => name !== target && !chosen.includes(name));
  }

  /** Candidates from names and values, the target and the chosen columns left out; shown, never added by themselves. */
  suggestions(target: string): SensitiveSuggestion[] {
    if (!this.#profile) return [];
    return suggestSensitive(this.#profile, { exclude: [target, ...this.sensitive.map((s) => s.column)].filter(Boolean) });
  }

  /** The target's labels in sorted order (the output order), from its profile. */
  classes(target: string): string[] {
    const c = this.column(target);
    if (!c) return [];
    const labels = c.topValues?.map((t) => t.value) ?? (c.distinct <= 2 && c.min !== undefined && c.max !== undefined ? [String(c.min), String(c.max)] : []);
    return sortClasses(labels.filter((label, i) => labels.indexOf(label) === i));
  }

  /** scikit-learn's convention: the last label in sorted order. */
  defaultPositive(target: string): string {
    return this.classes(target).at(-1) ?? '';
  }

  get reviewOnly(): string[] {
    return this.sensitive.filter((s) => s.reviewOnly).map((s) => s.column);
  }

  /** True when anything differs from the default policy. */
  get isSet(): boolean {
    return (
      this.sensitive.length > 0 ||
      this.positiveClass !== '' ||
      this.metrics.length > 0 ||
      this.fairness.some((f) => f.min.trim() || f.max.trim()) ||
      Object.values(this.limits).some((v) => v.trim() !== '') ||
      this.threshold !== undefined
    );
  }

  /** Chooses a column: categories, or 4 quantile groups for numbers with more distinct values than groups allowed; a floor on its demographic-parity ratio to fill in. */
  add(column: string): void {
    if (!column || this.sensitive.some((s) => s.column === column)) return;
    const c = this.column(column);
    const many = c !== undefined && this.canQuantile(column) && c.distinct > MAX_VALUE_GROUPS;
    this.sensitive.push({ column, mode: many ? 'quantiles' : 'categories', cuts: '', quantiles: 4, reviewOnly: false });
    if (!this.fairness.some((f) => f.column === column)) this.fairness.push({ column, metric: 'demographicParityRatio', min: '', max: '' });
  }

  remove(column: string): void {
    this.sensitive = this.sensitive.filter((s) => s.column !== column);
    this.fairness = this.fairness.filter((f) => f.column !== column);
  }

  /** Another fairness rule on a chosen column, with a metric it has no rule for yet. */
  addFairness(column: string): void {
    const used = this.fairness.filter((f) => f.column === column).map((f) => f.metric);
    const metric = (Object.keys(FAIRNESS_LABELS) as FairnessMetric[]).find((m) => !used.includes(m));
    if (metric) this.fairness.push({ column, metric, min: '', max: '' });
  }

  removeFairness(rule: FairnessRuleFields): void {
    this.fairness = this.fairness.filter((f) => f !== rule);
  }

  addMetric(metric: PolicyMetric): void {
    this.metrics.push({ metric, threshold: '', minGainOverBaseline: '', minAbsoluteChange: '', minRelativeChange: '' });
  }

  removeMetric(index: number): void {
    this.metrics = this.metrics.filter((_, i) => i !== index);
  }

  #sensitiveColumn(choice: SensitiveChoice, target: string): SensitiveColumn {
    const name = choice.column;
    if (name === target) throw bad(`"${name}" is the target; it cannot be a sensitive column too`);
    const out: SensitiveColumn = { column: name };
    if (choice.mode === 'cuts') {
      const field = `Cut points for "${name}"`;
      const parts = choice.cuts.split(',').map((s) => s.trim()).filter(Boolean);
      if (!parts.length) throw bad(`${field}: give at least one number, e.g. 25, 60`);
      const cuts = parts.map((p) => numberField(p, field) as number);
      cuts.forEach((c, i) => {
        if (i > 0 && c <= (cuts[i - 1] as number)) throw bad(`${field}: ${cuts[i - 1]} then ${c}; each must be above the one before`);
      });
      out.cuts = cuts;
    } else if (choice.mode === 'quantiles') {
      const q = choice.quantiles;
      if (q == null || !Number.isInteger(q) || q < MIN_QUANTILES || q > MAX_QUANTILES) {
        throw bad(`Quantile groups for "${name}": ${q == null ? 'empty' : q} is not a whole number from ${MIN_QUANTILES} to ${MAX_QUANTILES}`);
      }
      out.quantiles = q;
    } else {
      const c = this.column(name);
      if (c && this.canQuantile(name) && c.distinct > MAX_VALUE_GROUPS) {
        throw bad(`Sensitive column "${name}" has ${c.distinct} distinct values, more than ${MAX_VALUE_GROUPS} groups: group it by cut points or quantile groups`);
      }
    }
    if (choice.reviewOnly) out.reviewOnly = true;
    return out;
  }

  #metricRule(fields: MetricRuleFields, task: TaskKind | ''): MetricRule {
    const label = METRIC_LABELS[fields.metric];
    if (!metricsFor(task).includes(fields.metric)) {
      throw bad(`The rule on ${label}: a ${task} model has no ${label}; choose one of ${metricsFor(task).map((m) => METRIC_LABELS[m]).join(', ')}`);
    }
    const rule: MetricRule = { metric: fields.metric };
    for (const [key, text] of METRIC_FIELDS) {
      const value = numberField(fields[key], `${text} for ${label}`);
      if (value !== undefined) rule[key] = value;
    }
    if (fields.greaterIsBetter !== undefined) rule.greaterIsBetter = fields.greaterIsBetter;
    if (Object.keys(rule).length === (fields.greaterIsBetter === undefined ? 1 : 2)) throw bad(`The rule on ${label} sets nothing: fill in at least one of its fields, or remove it`);
    return rule;
  }

  #fairnessRules(chosen: readonly string[]): FairnessRule[] {
    const out: FairnessRule[] = [];
    for (const fields of this.fairness) {
      const rule: FairnessRule = { column: fields.column, metric: fields.metric };
      const min = numberField(fields.min, `${boundLabel('min', fields.metric)} on "${fields.column}"`);
      const max = numberField(fields.max, `${boundLabel('max', fields.metric)} on "${fields.column}"`);
      if (min === undefined && max === undefined) continue;
      if (!chosen.includes(fields.column)) throw bad(`The fairness rule on "${fields.column}" names a column that is not chosen as sensitive; add "${fields.column}" under Sensitive columns`);
      if (min !== undefined) rule.min = min;
      if (max !== undefined) rule.max = max;
      if (min !== undefined && max !== undefined && min > max) throw bad(`${boundLabel('min', fields.metric)} on "${fields.column}" (${min}) is above its maximum (${max})`);
      out.push(rule);
    }
    return out;
  }

  #limits(task: TaskKind | ''): Pick<ReviewPolicy, LimitKey> {
    const [ece, bytes, ms, groupRows] = LIMIT_FIELDS.map(([key, label]) => numberField(this.limits[key], label));
    const out: Pick<ReviewPolicy, LimitKey> = {};
    if (ece !== undefined) {
      if (task === 'regression') throw bad(`${LIMIT_FIELDS[0][1]}: a regression model has no calibration error; clear the field`);
      if (ece < 0 || ece > 1) throw bad(`${LIMIT_FIELDS[0][1]}: ${ece} is not between 0 and 1`);
      out.maxEce = ece;
    }
    if (bytes !== undefined) {
      if (!Number.isInteger(bytes) || bytes < 1) throw bad(`${LIMIT_FIELDS[1][1]}: ${bytes} is not a whole number of at least 1`);
      out.maxBytes = bytes;
    }
    if (ms !== undefined) {
      if (!(ms > 0)) throw bad(`${LIMIT_FIELDS[2][1]}: ${ms} is not above 0`);
      out.maxMsPer1000Rows = ms;
    }
    if (groupRows !== undefined) {
      if (!Number.isInteger(groupRows) || groupRows < 1) throw bad(`${LIMIT_FIELDS[3][1]}: ${groupRows} is not a whole number of at least 1`);
      out.minGroupRows = groupRows;
    }
    return out;
  }

  /**
   * The spec's `review` as the form says: null when nothing is set (the default policy: every headline metric
   * better than the dummy's). Throws AppError naming the field when one is wrong.
   */
  policy(context: { target: string; task: TaskKind | '' }): ReviewPolicy | null {
    const { target, task } = context;
    const sensitive = this.sensitive.map((choice) => this.#sensitiveColumn(choice, target));
    const metrics = this.metrics.map((fields) => this.#metricRule(fields, task));
    const fairness = this.#fairnessRules(sensitive.map((s) => s.column));
    const policy: ReviewPolicy = {};
    if (metrics.length) policy.metrics = metrics;
    if (fairness.length) policy.fairness = fairness;
    Object.assign(policy, this.#limits(task));
    if (sensitive.length) policy.sensitive = sensitive;
    if (task !== 'regression' && this.positiveClass !== '') {
      const classes = this.classes(target);
      if (classes.length && !classes.includes(this.positiveClass)) throw bad(`Positive class: "${this.positiveClass}" is not one of the classes ${words(classes)}`);
      if (task !== 'binary' || this.positiveClass !== this.defaultPositive(target)) policy.positiveClass = this.positiveClass;
    }
    if (task !== 'regression' && this.threshold !== undefined) policy.threshold = this.threshold;
    if (task) checkFairnessRules(fairness, task, { target, positiveClass: policy.positiveClass });
    if (this.#profile) checkPolicyColumns(policy, this.#profile.columns);
    return Object.keys(policy).length ? policy : null;
  }

  /** Fills the form from a policy (Use pipeline…, Load policy file…), keeping `keep` as the chosen columns when it names none; a fairness rule's column becomes a chosen sensitive column, saying so. */
  load(review: ReviewPolicy | null, keep: SensitiveChoice[] = []): void {
    this.fileError = null;
    this.notice = null;
    this.sensitive = review?.sensitive === undefined ? keep : review.sensitive.map((s) => ({
      column: s.column,
      mode: s.cuts?.length ? 'cuts' : s.quantiles !== undefined ? 'quantiles' : 'categories',
      cuts: (s.cuts ?? []).join(', '),
      quantiles: s.quantiles ?? 4,
      reviewOnly: s.reviewOnly === true,
    }));
    this.positiveClass = review?.positiveClass ?? '';
    this.threshold = review?.threshold;
    this.metrics = (review?.metrics ?? []).map((rule) => {
      const text = (v: number | undefined) => (v === undefined ? '' : String(v));
      const fields: MetricRuleFields = {
        metric: rule.metric,
        threshold: text(rule.threshold),
        minGainOverBaseline: text(rule.minGainOverBaseline),
        minAbsoluteChange: text(rule.minAbsoluteChange),
        minRelativeChange: text(rule.minRelativeChange),
      };
      if (rule.greaterIsBetter !== undefined) fields.greaterIsBetter = rule.greaterIsBetter;
      return fields;
    });
    // A rule with neither bound means the review's default (four-fifths floor, 0.2 ceiling): written out here.
    this.fairness = (review?.fairness ?? []).map((rule) => ({
      column: rule.column,
      metric: rule.metric,
      min: rule.min !== undefined ? String(rule.min) : rule.max === undefined && isRatio(rule.metric) ? '0.8' : '',
      max: rule.max !== undefined ? String(rule.max) : rule.min === undefined && !isRatio(rule.metric) ? '0.2' : '',
    }));
    this.limits = {
      maxEce: review?.maxEce !== undefined ? String(review.maxEce) : '',
      maxBytes: review?.maxBytes !== undefined ? String(review.maxBytes) : '',
      maxMsPer1000Rows: review?.maxMsPer1000Rows !== undefined ? String(review.maxMsPer1000Rows) : '',
      minGroupRows: review?.minGroupRows !== undefined ? String(review.minGroupRows) : '',
    };
    const added = this.fairness.map((f) => f.column).filter((column, i, all) => all.indexOf(column) === i && !this.sensitive.some((s) => s.column === column));
    for (const column of added) {
      const c = this.column(column);
      const many = c !== undefined && this.canQuantile(column) && c.distinct > MAX_VALUE_GROUPS;
      this.sensitive.push({ column, mode: many ? 'quantiles' : 'categories', cuts: '', quantiles: 4, reviewOnly: false });
    }
    if (added.length) this.notice = `${words(added)} added as sensitive ${added.length === 1 ? 'column' : 'columns'}: the policy's fairness rules name ${added.length === 1 ? 'it' : 'them'}`;
  }

  /**
   * Reads a review policy file (the CLI's --policy format) into the form, checked by the spec's parser; a bad
   * file leaves the form as it was and says why, naming the JSON path.
   */
  loadFile(name: string, text: string, target: string): void {
    try {
      const value = jsonValue(text, `The review policy file ${name}`);
      const spec = parseSpec({ format: SPEC_FORMAT, target: target || '(no target yet)', review: value });
      // A policy file without sensitive columns (the CLI's --policy takes them from --sensitive) keeps the chosen ones.
      this.load(spec.review, spec.review?.sensitive === undefined ? $state.snapshot(this.sensitive) : []);
      this.notice = `Loaded ${name}${this.notice ? `; ${this.notice}` : ''}`;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.notice = null;
      this.fileError = message.startsWith('The review policy file') ? message : `The review policy file ${name}: ${message.replace(/^review(\.|(?=\[))/, '').replace(/^review:/, 'the policy:')}`;
    }
  }
}
