// Stored runs (their summaries) as rows for comparison: what each was trained on and with (params) and how it did (metrics).
import type { RunSummary } from '../contracts/training.ts';
import { HYPER_PARAMS, usesParam, type HyperParam } from '../pipeline/spec/hyperparams.ts';
import { formatDuration, formatMetric } from './format.svelte.ts';
import { featureSetLabel } from './training.svelte.ts';
import { splitText } from './split-words.ts';

export interface CompareRow {
  key: string;
  label: string;
  values: string[];
}

/** A short name for a run in legends and headings: "mlp · 3f2a" (the id's start tells runs apart). */
export { runLabel } from '../pipeline/run-label.ts';

/** A hyper-parameter's value as the comparison shows it ('—' where the model does not use it). */
function paramText(param: HyperParam, run: RunSummary): string {
  if (!usesParam(param, run.params.kind)) return '—';
  const value = (run.params as Record<string, unknown>)[param.key];
  if (param.kind === 'switch') return value ? 'on' : 'off';
  if (value === null || value === undefined) return 'automatic';
  return Array.isArray(value) ? value.join('-') : String(value);
}

const PARAMS: [string, string, (run: RunSummary) => unknown][] = [
  ['target', 'Target', (r) => r.target],
  ['task', 'Task', (r) => r.task],
  ['recipe', 'Cleaning recipe', (r) => (r.preparation?.recipeVersion ? `v${r.preparation.recipeVersion} (${r.preparation.recipeSteps} steps)` : 'none')],
  ['suite', 'Rule suite', (r) => (r.preparation?.suiteVersion ? `v${r.preparation.suiteVersion}` : 'suggested')],
  ['privacy', 'Privacy actions', (r) => r.preparation?.privacySteps ?? 0],
  ['featureSet', 'Feature set', (r) => featureSetLabel(r.spec.features ?? undefined)],
  ...(HYPER_PARAMS as readonly HyperParam[]).map((param): [string, string, (run: RunSummary) => unknown] => [param.key, param.label, (r) => paramText(param, r)]),
  ['split', 'Split', (r) => splitText(r.spec.split.kind, r.task)],
  ['folds', 'CV folds', (r) => r.spec.split.folds ?? 'off'],
  ['seed', 'Seed', (r) => r.spec.split.seed],
  ['backend', 'Backend', (r) => r.backend],
];

/** The params of each run, one row per param, values as text. */
export function paramRows(runs: RunSummary[], versionLabel: (run: RunSummary) => string): CompareRow[] {
  return [
    { key: 'dataset', label: 'Dataset version', values: runs.map(versionLabel) },
    ...PARAMS.map(([key, label, read]) => ({ key, label, values: runs.map((r) => String(read(r))) })),
  ];
}

const METRICS: [string, string][] = [
  ['accuracy', 'Accuracy'],
  ['macroF1', 'Macro F1'],
  ['rocAuc', 'ROC AUC'],
  ['logLoss', 'Log loss'],
  ['rmse', 'RMSE'],
  ['mae', 'MAE'],
  ['r2', 'R²'],
];

/** Headline metrics side by side (the ones any of the runs has), then the split sizes and duration. */
export function metricRows(runs: RunSummary[]): CompareRow[] {
  const value = (run: RunSummary, key: string) => (run.metrics as Record<string, number | undefined>)[key];
  const rows = METRICS.filter(([key]) => runs.some((r) => typeof value(r, key) === 'number')).map(([key, label]) => ({
    key,
    label,
    values: runs.map((r) => {
      const v = value(r, key);
      return typeof v === 'number' ? formatMetric(v) : '—';
    }),
  }));
  return [
    ...rows,
    { key: 'rows', label: 'Train / test rows', values: runs.map((r) => `${r.split.train} / ${r.split.test}`) },
    { key: 'duration', label: 'Duration', values: runs.map((r) => formatDuration(r.durationMs)) },
  ];
}
