// Writes the model card: a short Markdown summary of a model's purpose, data, features, metrics and limits.
import { describeStep } from './recipe/describe.ts';
import type { RecipeStep } from './recipe/types.ts';
import type { ClassificationMetrics, Evaluation, FeaturePlan, Metrics, RegressionMetrics, TransformBundle } from './types.ts';

export interface ModelCardInfo {
  name: string;
  version: number;
  createdAt: string;
  datasetFile: string;
  datasetSha256: string;
  rows: number;
  bundle: TransformBundle;
  plan: FeaturePlan;
  evaluation: Evaluation;
  backend: string;
  model: string;
  seed: number;
  /** The evaluation report (intervals, calibration, groups, verdict), when the run made one. */
  review?: CardReview | undefined;
  /** Binary models: the decision threshold on the positive class's probability that scoring uses. */
  decision?: { threshold: number; positiveClass: string } | undefined;
  /** The Check stage the training data passed: recipe and suite versions, and the cleaning and privacy steps. */
  preparation?: { recipeVersion: number; suiteVersion: number; recipeSteps: RecipeStep[]; privacySteps: RecipeStep[] };
}

function fmt(value: number | undefined, digits = 3): string {
  return value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits);
}

/** Markdown text is escaped so column names cannot add markup (or HTML) to the card. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|#&]/g, (ch) => `\\${ch}`).replace(/\r?\n/g, ' ');
}

function isClassification(metrics: Metrics): metrics is ClassificationMetrics {
  return 'accuracy' in metrics;
}

function metricRows(metrics: Metrics, baseline: Metrics): string[] {
  if (isClassification(metrics)) {
    const base = baseline as ClassificationMetrics;
    return [
      `| Accuracy | ${fmt(metrics.accuracy)} | ${fmt(base.accuracy)} |`,
      `| Macro F1 | ${fmt(metrics.macroF1)} | ${fmt(base.macroF1)} |`,
      `| ROC AUC | ${fmt(metrics.rocAuc)} | ${fmt(base.rocAuc)} |`,
      `| Log loss | ${fmt(metrics.logLoss)} | ${fmt(base.logLoss)} |`,
    ];
  }
  const m = metrics as RegressionMetrics;
  const base = baseline as RegressionMetrics;
  return [
    `| RMSE | ${fmt(m.rmse)} | ${fmt(base.rmse)} |`,
    `| MAE | ${fmt(m.mae)} | ${fmt(base.mae)} |`,
    `| R² | ${fmt(m.r2)} | ${fmt(base.r2)} |`,
  ];
}

/** The Data section's lines on cleaning: the recipe's steps, the privacy actions and the rule suite checked. */
function preparationLines(preparation: ModelCardInfo['preparation']): string[] {
  if (!preparation) return [];
  const { recipeVersion, suiteVersion, recipeSteps, privacySteps } = preparation;
  const steps = [...recipeSteps, ...privacySteps];
  return [
    `- Checked with ${suiteVersion ? `rule suite v${suiteVersion}` : 'the suggested rules (warnings only)'}; cleaned with ${recipeVersion ? `recipe v${recipeVersion}` : 'no recipe'}${privacySteps.length ? ` and ${privacySteps.length} privacy action${privacySteps.length === 1 ? '' : 's'}` : ''}${steps.length ? ':' : '.'}`,
    ...steps.map((step, i) => `  ${i + 1}. ${escapeMarkdown(describeStep(step))}`),
    '- The same steps run before scoring (recipe.json in the bundle).',
  ];
}

/** A card section: a heading and its lines. */
function section(title: string, lines: string[]): string[] {
  return ['', `## ${title}`, '', ...lines];
}

const pct = (value: number) => `${(100 * value).toFixed(1)}%`;

/** Intervals of the headline metrics, as "0.970 (95% CI 0.941–0.985)". */
function intervalLines(review: CardReview): string[] {
  return Object.entries(review.ci)
    .filter(([, ci]) => ci.estimate === ci.estimate)
    .map(([metric, ci]) => `- ${metric}: ${fmt(ci.estimate)} (${Math.round(ci.level * 100)}% interval ${fmt(ci.low)}–${fmt(ci.high)}, ${ci.resamples} bootstrap resamples)`);
}

/** Per sensitive column: the groups' rates and the disparities, or why there are none. */
function groupLines(review: CardReview): string[] {
  const out: string[] = [];
  for (const [column, report] of Object.entries(review.fairness)) {
    out.push(`**${escapeMarkdown(column)}**${report.positiveClass ? ` (positive class: ${escapeMarkdown(report.positiveClass)})` : ''}`, '');
    out.push('| Group | Rows | Selection rate | TPR | FPR | Accuracy |', '|---|---|---|---|---|---|');
    for (const g of report.groups) {
      const cell = (v: number | undefined) => (v === undefined || v !== v ? 'n/a' : fmt(v));
      out.push(`| ${escapeMarkdown(g.group)}${g.tooFew ? ' (too few rows to judge)' : ''} | ${g.n} | ${cell(g.selectionRate)} | ${cell(g.tpr)} | ${cell(g.fpr)} | ${cell(g.accuracy)} |`);
    }
    const d = report.disparities;
    out.push(
      '',
      d
        ? `Demographic-parity ratio ${fmt(d.demographicParityRatio.estimate)} (${fmt(d.demographicParityRatio.low)}–${fmt(d.demographicParityRatio.high)}); equalized-odds difference ${fmt(d.equalizedOddsDifference.estimate)}${d.fourFifths === false ? '; **below the four-fifths rule**' : ''}.`
        : escapeMarkdown(report.noDisparities ?? 'No disparities.'),
      '',
    );
  }
  return out.length ? out : ['No sensitive column was chosen: the model has not been analysed by group.'];
}

/** What the card reads from the evaluation report, when there is one. */
export interface CardReview {
  ci: Record<string, { estimate: number; low: number; high: number; level: number; resamples: number }>;
  calibration: { ece: number } | null;
  fairness: Record<
    string,
    {
      positiveClass: string | null;
      groups: { group: string; n: number; tooFew: boolean; selectionRate?: number; tpr?: number; fpr?: number; accuracy?: number }[];
      disparities: {
        demographicParityRatio: { estimate: number; low: number; high: number };
        equalizedOddsDifference: { estimate: number };
        fourFifths: boolean | null;
      } | null;
      noDisparities?: string;
    }
  >;
  verdict: { passed: boolean; failures: string[] };
}

/**
 * The model card in the sections of Mitchell et al., "Model Cards for Model Reporting": model details,
 * intended use, factors, metrics, evaluation data, training data, quantitative analyses, ethical
 * considerations, caveats and recommendations. With the evaluation report it adds intervals, calibration,
 * the analysis by group and the review verdict.
 */
export function modelCard(info: ModelCardInfo): string {
  const { plan, bundle, evaluation, review } = info;
  const target = escapeMarkdown(plan.target);
  const task = plan.task === 'regression' ? 'regression' : `${plan.task} classification`;
  const classes = bundle.classes ? ` Classes: ${bundle.classes.map(escapeMarkdown).join(', ')}.` : '';
  const sensitive = review ? Object.keys(review.fairness).map(escapeMarkdown) : [];
  const lines = [
    `# ${escapeMarkdown(info.name)} — version ${info.version}`,
    ...section('Model details', [
      `Created ${info.createdAt} with Millrace. Model: ${escapeMarkdown(info.model)}; backend: ${escapeMarkdown(info.backend)}; seed: ${info.seed}. It takes ${bundle.width} inputs made from ${plan.features.length} columns by the transform bundle (transforms.json).`,
      // keepMissing marks a tree model's transforms (only trees leave missing values missing).
      ...(bundle.keepMissing
        ? ['', 'model.json holds the gradient-boosted trees as plain JSON (format millrace.trees/1); it is not a TF.js layers model, and predict.mjs scores it without TF.js.']
        : []),
      ...(info.decision
        ? ['', `Decision threshold: ${info.decision.threshold}. It predicts **${escapeMarkdown(info.decision.positiveClass)}** when that class's probability is at least ${info.decision.threshold}, else the other class (pipeline.json, review.threshold and review.positiveClass).`]
        : []),
    ]),
    ...section('Intended use', [
      `Predicts **${target}** (${task}) from rows shaped like the training data.${classes} It is meant for data from the same source and period; check drift before trusting it on new batches.`,
    ]),
    ...section('Factors', [
      sensitive.length
        ? `Analysed by: ${sensitive.join(', ')} (see Quantitative analyses).`
        : 'No sensitive column (sex, age, ethnicity, …) was chosen for the review, so performance by group is unknown.',
    ]),
    ...section('Metrics', [
      '| Metric | Model | Baseline |',
      '|---|---|---|',
      ...metricRows(evaluation.metrics, evaluation.baseline),
      '',
      `The baseline is a dummy model: ${plan.task === 'regression' ? 'the training mean' : 'the majority class, with training class frequencies as probabilities'}.`,
      ...(review ? ['', ...intervalLines(review)] : []),
      ...(review?.calibration ? ['', `Expected calibration error: ${fmt(review.calibration.ece)} (10 bins).`] : []),
    ]),
    ...section('Evaluation data', [
      `The held-out test split of the same file (${pct(0.2)} of the rows with a target, seed ${info.seed}); the model never saw it while training.`,
    ]),
    ...section('Training data', [
      `- File: ${escapeMarkdown(info.datasetFile)}`,
      `- SHA-256: \`${info.datasetSha256}\``,
      `- Rows: ${info.rows.toLocaleString('en-US')}; rows are split into training and test sets with seed ${info.seed}; transforms are fitted on the training rows only.`,
      ...preparationLines(info.preparation),
      '',
      `Features used (${plan.features.length}): ${plan.features.map(escapeMarkdown).join(', ')}.`,
      ...(plan.dropped.length ? ['', 'Left out:', '', ...plan.dropped.map((d) => `- ${escapeMarkdown(d.column)}: ${escapeMarkdown(d.reason)}`)] : []),
    ]),
    ...section('Quantitative analyses', review ? groupLines(review) : ['Not reviewed by group: no evaluation report is attached.']),
    ...section('Ethical considerations', [
      review?.verdict
        ? review.verdict.passed
          ? 'The review policy passed.'
          : `The review policy failed:\n${review.verdict.failures.map((f) => `- ${escapeMarkdown(f)}`).join('\n')}`
        : 'No review policy was applied.',
      '',
      'A model can repeat the biases of its data; decisions about people need a person to check them.',
    ]),
    ...section('Caveats and recommendations', [
      '- Learned from one file; it reflects that data, its gaps and its biases.',
      bundle.keepMissing
        ? '- Missing numbers stay missing: each split of the trees learned which side they go to. Category levels seen fewer than 5 times, or never, are pooled as "other".'
        : '- Missing values are filled with training medians; category levels seen fewer than 5 times, or never, are pooled as "other".',
      review && Object.keys(review.fairness).length
        ? '- Groups with fewer than 30 test rows are listed but not compared.'
        : '- Fairness across groups has not been checked unless a fairness report is attached.',
      '',
    ]),
  ];
  return lines.join('\n');
}
