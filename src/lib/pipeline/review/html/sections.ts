// The report's task-independent sections as HTML strings: verdict, decision, headline metrics with intervals, permutation importance and fairness by group.
import type { BootstrapInterval } from '../bootstrap.ts';
import type { FairnessReport, GroupMetrics } from '../fairness-types.ts';
import { metricName, POLICY_METRICS } from '../policy.ts';
import type { EvaluationReport } from '../report.ts';
import { esc, finite, num, pct, signed } from './escape.ts';
import { barChart, intervalGlyph, type Bar } from './svg-charts.ts';

/** The most importance bars drawn; the rest are counted. */
export const MAX_IMPORTANCE_BARS = 40;

export { metricName };

/** Whether a larger value of the metric is better (policy metrics' own direction; ECE and unknown: lower is not assumed). */
export function higherIsBetter(key: string): boolean {
  if (key === 'ece') return false;
  return (POLICY_METRICS as Record<string, boolean>)[key] ?? true;
}

/** "[low, high]" of an interval, or '—'. */
export function range(interval: Pick<BootstrapInterval, 'low' | 'high'> | null | undefined, format: (v: unknown) => string = num): string {
  if (!interval || finite(interval.low) === null || finite(interval.high) === null) return '—';
  return `[${format(interval.low)}, ${format(interval.high)}]`;
}

function levelOf(ci: Record<string, BootstrapInterval>): string {
  const first = Object.values(ci)[0];
  return first && finite(first.level) !== null ? `${num(first.level * 100, 3)}%` : '95%';
}

export interface Decision {
  decision?: unknown;
  note?: unknown;
  at?: unknown;
}

/** The verdict: passed or failed, every failing check's message, then every check with its value and limit. */
export function verdictSection(report: EvaluationReport): string {
  const verdict = report.verdict ?? { passed: false, checks: [], failures: ['The report holds no verdict'] };
  const checks = Array.isArray(verdict.checks) ? verdict.checks : [];
  const failures = Array.isArray(verdict.failures) ? verdict.failures : [];
  const head = verdict.passed
    ? `<p class="verdict passed"><strong>Verdict: passed</strong> — all ${esc(num(checks.length))} checks pass.</p>`
    : `<p class="verdict failed"><strong>Verdict: failed</strong> — ${esc(num(failures.length))} of ${esc(num(checks.length))} checks fail.</p>`;
  const list = failures.length ? `<h3>Failing checks</h3><ol class="failures">${failures.map((f) => `<li>${esc(f)}</li>`).join('')}</ol>` : '';
  const rows = checks.map(
    (c) =>
      `<tr class="${c.passed ? 'ok' : 'fail'}"><td>${esc(c.check)}</td><td class="n">${esc(num(c.value))}</td><td class="n">${esc(num(c.limit))}</td><td>${c.passed ? 'pass' : '<strong>FAIL</strong>'}</td><td>${esc(c.message)}</td></tr>`,
  );
  const table = checks.length
    ? `<table><caption>Every check of the review policy</caption><thead><tr><th>Check</th><th>Value</th><th>Limit</th><th>Result</th><th>Detail</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
    : '<p>The policy has no checks.</p>';
  return `<section id="verdict"><h2>Verdict</h2>${head}${list}${table}</section>`;
}

/** The person's decision on the model (approve or reject, with a note), when there is one. */
export function decisionSection(decision: Decision | null | undefined): string {
  if (!decision || typeof decision !== 'object') return '';
  const kind = decision.decision === 'approve' ? 'Approved' : decision.decision === 'reject' ? 'Rejected' : String(decision.decision ?? 'No decision');
  const note = decision.note === undefined || decision.note === null || decision.note === '' ? '' : `<blockquote class="note">${esc(decision.note)}</blockquote>`;
  const at = decision.at ? ` on ${esc(decision.at)}` : '';
  const tone = decision.decision === 'approve' ? 'passed' : decision.decision === 'reject' ? 'failed' : '';
  return `<section id="decision"><h2>Decision</h2><p class="verdict ${tone}"><strong>${esc(kind)}</strong>${at}</p>${note}</section>`;
}

/**
 * Headline metrics: the value with its bootstrap interval, the dummy baseline's value and the paired difference to it
 * (with its interval and a glyph against 0), and the same against the champion when there is one.
 */
export function headlineSection(report: EvaluationReport): string {
  const ci = report.ci ?? {};
  const keys = Object.keys(ci).length ? Object.keys(ci) : Object.keys(report.baseline ?? {});
  const metrics = report.metrics as unknown as Record<string, unknown>;
  const champion = report.champion && report.vsChampion;
  const level = levelOf(ci);
  const head = `<tr><th>Metric</th><th>Value</th><th>${esc(level)} interval</th><th>Dummy<br>baseline</th><th colspan="2">Model − baseline<br><span class="small">paired ${esc(level)} interval</span></th>${
    champion ? `<th>Champion</th><th colspan="2">Model − champion<br><span class="small">paired ${esc(level)} interval</span></th>` : ''
  }</tr>`;
  const rows = keys.map((key) => {
    const interval = ci[key];
    const value = interval ? interval.estimate : metrics[key];
    const better = higherIsBetter(key);
    const vb = report.vsBaseline?.[key];
    const vc = report.vsChampion?.[key];
    const cells = [
      `<th scope="row">${esc(metricName(key))}<span class="dir">${better ? '↑' : '↓'}</span></th>`,
      `<td class="n strong">${esc(num(value))}</td>`,
      `<td class="n">${esc(range(interval))}</td>`,
      `<td class="n">${esc(num(report.baseline?.[key]))}</td>`,
      `<td class="n">${esc(signed(vb?.estimate))}<br><span class="small">${esc(range(vb))}</span></td><td>${vb ? intervalGlyph(vb.estimate, vb.low, vb.high, { higherIsBetter: better }) : ''}</td>`,
    ];
    if (champion) {
      cells.push(`<td class="n">${esc(num(report.champion?.[key]))}</td>`, `<td class="n">${esc(signed(vc?.estimate))}<br><span class="small">${esc(range(vc))}</span></td><td>${vc ? intervalGlyph(vc.estimate, vc.low, vc.high, { higherIsBetter: better }) : ''}</td>`);
    }
    return `<tr>${cells.join('')}</tr>`;
  });
  const first = Object.values(ci)[0];
  const how = first
    ? `Seeded bootstrap: ${esc(num(first.resamples))} resamples of the ${esc(num(report.rows))} test rows (seed ${esc(num(first.seed))}); percentile intervals. A difference is green when its interval lies wholly on the better side of 0, red when wholly on the worse side. ↑: higher is better; ↓: lower is better.`
    : '';
  const mape = (metrics as { mapeSkipped?: unknown }).mapeSkipped;
  const skipped = mape ? `<p class="note">MAPE skipped: ${esc(mape)}.</p>` : '';
  return `<section id="headline"><h2>Headline metrics</h2><div class="scroll"><table class="metrics"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div><p class="small">${how}</p>${skipped}</section>`;
}

/** Permutation importance as the report stores it (the ML layer's PermutationImportance, read structurally). */
export interface ImportanceLike {
  metric?: unknown;
  higherIsBetter?: unknown;
  repeats?: unknown;
  baseline?: unknown;
  rows?: unknown;
  columns: { column: unknown; mean: unknown; std: unknown }[];
}

/** The importance record when it has the expected shape, else null. */
export function importanceOf(value: unknown): ImportanceLike | null {
  if (!value || typeof value !== 'object') return null;
  const columns = (value as { columns?: unknown }).columns;
  if (!Array.isArray(columns)) return null;
  return value as ImportanceLike;
}

/** Permutation importance per source column: mean drop of the metric with ± one standard deviation over the repeats. */
export function importanceSection(value: unknown): string {
  const importance = importanceOf(value);
  if (!importance) return '';
  const columns = importance.columns.filter((c) => c && typeof c === 'object');
  if (!columns.length) return `<section id="importance"><h2>Permutation importance</h2><p>No columns were scored.</p></section>`;
  const shown = columns.slice(0, MAX_IMPORTANCE_BARS);
  const bars: Bar[] = shown.map((c) => ({ label: String(c.column), value: finite(c.mean) ?? NaN, spread: finite(c.std) ?? 0 }));
  const metric = metricName(String(importance.metric ?? 'score'));
  // The importance is how much worse the metric gets: a drop of a score, a rise of an error.
  const change = importance.higherIsBetter === false ? 'rise' : 'drop';
  const chart = barChart({ title: `Permutation importance (${change} in ${metric})`, axisLabel: `${change} in ${metric} when the column is shuffled (mean ± std)`, bars });
  const more = columns.length > shown.length ? `<p class="small">The ${esc(num(columns.length - shown.length))} least important columns are not drawn (see the JSON report).</p>` : '';
  const how = `Each column's values were shuffled ${esc(num(importance.repeats))} times among the ${esc(num(importance.rows))} test rows; the bar is the mean ${change} of ${esc(metric)} from ${esc(num(importance.baseline))}, the whisker ± one standard deviation. Above 0: the model uses the column.`;
  return `<section id="importance"><h2>Permutation importance</h2><p class="small">${how}</p>${chart}${more}</section>`;
}

const GROUP_FIELDS: [keyof GroupMetrics, string, (v: unknown) => string][] = [
  ['baseRate', 'Base rate', pct],
  ['selectionRate', 'Selection rate', pct],
  ['tpr', 'TPR', num],
  ['fpr', 'FPR', num],
  ['precision', 'Precision', num],
  ['accuracy', 'Accuracy', num],
  ['macroF1', 'Macro F1', num],
  ['rmse', 'RMSE', num],
  ['meanError', 'Mean error', num],
];

const DISPARITIES: [string, string, boolean][] = [
  ['demographicParityRatio', 'Demographic-parity ratio (lowest ÷ highest selection rate)', true],
  ['demographicParityDifference', 'Demographic-parity difference (highest − lowest selection rate)', false],
  ['equalizedOddsRatio', 'Equalized-odds ratio (the smaller of the TPR and FPR ratios)', true],
  ['equalizedOddsDifference', 'Equalized-odds difference (the larger of the TPR and FPR gaps)', false],
];

function fairnessColumn(report: FairnessReport): string {
  const groups = Array.isArray(report.groups) ? report.groups : [];
  const fields = GROUP_FIELDS.filter(([key]) => groups.some((g) => g[key] !== undefined));
  const head = `<tr><th>Group</th><th>Rows</th>${fields.map(([, label]) => `<th>${esc(label)}</th>`).join('')}<th>Compared</th></tr>`;
  const rows = groups.map((g) => {
    const status = g.tooFew ? `<strong>too few rows</strong> (under ${esc(num(report.minRows))}): not compared` : 'yes';
    return `<tr class="${g.tooFew ? 'muted' : ''}"><th scope="row">${esc(g.group)}${g.missing ? ' <span class="tag">missing value</span>' : ''}</th><td class="n">${esc(num(g.n))}</td>${fields
      .map(([key, , format]) => `<td class="n">${esc(format(g[key]))}</td>`)
      .join('')}<td>${status}</td></tr>`;
  });
  const parts = [`<h3>By ${esc(report.column)}</h3>`];
  parts.push(
    `<p class="small">${esc(num(report.rows))} rows${report.excluded ? `, ${esc(num(report.excluded))} left out (missing or unknown actual class)` : ''}${
      report.positiveClass !== null && report.positiveClass !== undefined ? `; rates are about the positive class <strong>${esc(report.positiveClass)}</strong>` : ''
    }.</p>`,
  );
  parts.push(`<table><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`);
  const rate = groups.some((g) => g.selectionRate !== undefined) ? 'selectionRate' : groups.some((g) => g.rmse !== undefined) ? 'rmse' : null;
  if (rate && groups.length) {
    const bars = groups.map((g) => ({ label: g.tooFew ? `${String(g.group)} (too few)` : String(g.group), value: finite(g[rate]) ?? NaN }));
    parts.push(barChart({ title: `${rate === 'rmse' ? 'RMSE' : 'Selection rate'} by ${report.column}`, axisLabel: rate === 'rmse' ? 'RMSE' : 'selection rate', bars }));
  }
  const d = report.disparities;
  if (d) {
    const rowsD = DISPARITIES.map(([key, label, better]) => {
      const interval = (d as unknown as Record<string, BootstrapInterval | undefined>)[key];
      return `<tr><th scope="row">${esc(label)}</th><td class="n strong">${esc(num(interval?.estimate))}</td><td class="n">${esc(range(interval))}</td><td>${better ? '↑ 1 is parity' : '↓ 0 is parity'}</td></tr>`;
    });
    parts.push(`<table><caption>Disparities between the compared groups (${esc((report.compared ?? []).join(', '))})</caption><thead><tr><th>Measure</th><th>Value</th><th>${esc(levelOf(d as unknown as Record<string, BootstrapInterval>))} interval</th><th>Parity</th></tr></thead><tbody>${rowsD.join('')}</tbody></table>`);
    const flag =
      d.fourFifths === null || d.fourFifths === undefined
        ? 'The four-fifths rule cannot be checked: no group is selected.'
        : d.fourFifths
          ? 'Passes the four-fifths rule: every compared group is selected at least 0.8 times as often as the most selected one.'
          : `<strong>Fails the four-fifths rule</strong>: ${esc((d.belowFourFifths ?? []).join(', '))} ${(d.belowFourFifths ?? []).length === 1 ? 'is' : 'are'} selected less than 0.8 times as often as the most selected group.`;
    parts.push(`<p>${flag}</p>`);
  } else if (report.noDisparities) {
    parts.push(`<p class="note">No disparities: ${esc(report.noDisparities)}</p>`);
  }
  return `<div class="fairness">${parts.join('')}</div>`;
}

/** Fairness by each sensitive column: groups with their rates (too-few groups marked), disparities with intervals. */
export function fairnessSection(report: EvaluationReport): string {
  const columns = Object.values(report.fairness ?? {});
  if (!columns.length) return '';
  return `<section id="fairness"><h2>Fairness by group</h2>${columns.map(fairnessColumn).join('')}</section>`;
}
