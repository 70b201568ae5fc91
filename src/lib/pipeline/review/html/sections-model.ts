// The report's task sections as HTML strings: curves, calibration, threshold view, confusion and per-class tables (classification); plots and deciles (regression).
import type { ClassificationReport } from '../classification.ts';
import type { RegressionReport } from '../regression.ts';
import type { ThresholdRow } from '../threshold.ts';
import { esc, finite, num, pct } from './escape.ts';
import { columnChart, lineChart, scatterChart, type Point } from './svg-charts.ts';

/** The most classes given a curve in the ROC and PR charts. */
export const MAX_CURVES = 10;
/** The most classes the confusion matrix shows. */
export const MAX_CONFUSION_CLASSES = 30;
/** Points per curve at most. */
export const MAX_CURVE_POINTS = 200;

const arr = <T>(value: T[] | null | undefined): T[] => (Array.isArray(value) ? value : []);

function curvesFigures(m: ClassificationReport): string {
  const curves = arr(m.curves).slice(0, MAX_CURVES);
  if (!curves.length) return '';
  const name = (c: (typeof curves)[number], value: unknown, what: string) => `${c.class} (${what} ${num(value, 3)})`;
  const roc = lineChart({
    title: 'ROC curve',
    x: { label: 'False positive rate', domain: [0, 1] },
    y: { label: 'True positive rate', domain: [0, 1] },
    diagonal: true,
    maxPoints: MAX_CURVE_POINTS,
    series: curves.map((c) => ({ name: name(c, c.rocAuc, 'AUC'), points: arr(c.roc).map((p): Point => [p.fpr, p.tpr]) })),
  });
  const positives = m.positive !== null ? arr(m.perClass).find((c) => c.class === m.positive)?.support : undefined;
  const total = arr(m.perClass).reduce((a, c) => a + (finite(c.support) ?? 0), 0);
  const baseRate = positives !== undefined && total ? positives / total : undefined;
  const pr = lineChart({
    title: 'Precision-recall curve',
    x: { label: 'Recall', domain: [0, 1] },
    y: { label: 'Precision', domain: [0, 1] },
    maxPoints: MAX_CURVE_POINTS,
    series: curves.map((c) => ({ name: name(c, c.averagePrecision, 'AP'), points: arr(c.pr).map((p): Point => [p.recall, p.precision]) })),
    ...(baseRate !== undefined ? { marks: [{ y: baseRate, label: `no skill: ${pct(baseRate)} positive` }] } : {}),
  });
  const more = arr(m.curves).length > curves.length ? `<p class="small">Curves of the first ${MAX_CURVES} of ${esc(num(arr(m.curves).length))} classes are drawn.</p>` : '';
  const which = m.positive !== null ? `of the positive class <strong>${esc(m.positive)}</strong>` : 'one class against the rest';
  return `<h3>ROC and precision-recall curves</h3><p class="small">Curves ${which}.</p><div class="figures">${roc}${pr}</div>${more}`;
}

function calibrationFigure(m: ClassificationReport): string {
  const cal = m.calibration;
  if (!cal || !arr(cal.bins).length) return '';
  const chart = lineChart({
    title: 'Calibration curve',
    x: { label: m.positive !== null ? `Mean predicted P(${m.positive})` : 'Mean top-class confidence', domain: [0, 1] },
    y: { label: m.positive !== null ? 'Fraction positive' : 'Fraction correct', domain: [0, 1] },
    diagonal: true,
    series: [{ name: `model (ECE ${num(cal.ece, 3)})`, dots: true, points: cal.bins.map((b): Point => [b.meanPredicted, b.fractionPositive]) }],
  });
  const rows = cal.bins.map(
    (b) => `<tr><td class="n">${esc(num(b.from, 3))}–${esc(num(b.to, 3))}</td><td class="n">${esc(num(b.count))}</td><td class="n">${esc(num(b.meanPredicted))}</td><td class="n">${esc(num(b.fractionPositive))}</td></tr>`,
  );
  const table = `<table class="compact"><thead><tr><th>Bin</th><th>Rows</th><th>Mean predicted</th><th>Observed</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  return `<h3>Calibration</h3><p class="small">${esc(num(cal.binCount))} ${esc(cal.strategy)} bins (empty ones left out); the diagonal is perfect calibration. Expected calibration error <strong>${esc(num(cal.ece))}</strong>.</p><div class="figures">${chart}${table}</div>`;
}

function nearest(rows: ThresholdRow[], t: number): ThresholdRow | undefined {
  let best: ThresholdRow | undefined;
  for (const r of rows) if (!best || Math.abs(r.threshold - t) < Math.abs(best.threshold - t)) best = r;
  return best;
}

function thresholdFigure(m: ClassificationReport, chosen: number | null): string {
  const rows = arr(m.thresholds);
  if (!rows.length) return '';
  const t = finite(chosen) ?? finite(m.threshold) ?? 0.5;
  const line = (key: keyof ThresholdRow) => rows.map((r): Point => [r.threshold, r[key]]);
  const chart = lineChart({
    title: 'Metrics by decision threshold',
    x: { label: `Threshold on P(${m.positive ?? 'positive'})`, domain: [0, 1] },
    y: { label: 'Value', domain: [0, 1] },
    series: [
      { name: 'precision', points: line('precision') },
      { name: 'recall', points: line('recall') },
      { name: 'F1', points: line('f1') },
      { name: 'selection rate', points: line('selectionRate'), dashed: true },
    ],
    marks: [{ x: t, label: `chosen ${num(t, 3)}` }],
  });
  const at = nearest(rows, t);
  const shown = rows.filter((r) => Math.abs(r.threshold * 10 - Math.round(r.threshold * 10)) < 1e-9 || r === at);
  const body = shown.map(
    (r) =>
      `<tr class="${r === at ? 'chosen' : ''}"><td class="n">${esc(num(r.threshold, 3))}${r === at ? ' ◀ chosen' : ''}</td><td class="n">${esc(num(r.precision))}</td><td class="n">${esc(num(r.recall))}</td><td class="n">${esc(num(r.f1))}</td><td class="n">${esc(pct(r.selectionRate))}</td></tr>`,
  );
  const table = `<table class="compact"><thead><tr><th>Threshold</th><th>Precision</th><th>Recall</th><th>F1</th><th>Selected</th></tr></thead><tbody>${body.join('')}</tbody></table>`;
  return `<h3>Decision threshold</h3><p class="small">A row is predicted <strong>${esc(m.positive)}</strong> when its probability is at least the threshold; the metrics use ${esc(num(t, 3))}.</p><div class="figures">${chart}${table}</div>`;
}

function confusionTable(m: ClassificationReport): string {
  const classes = arr(m.classes);
  const k = Math.min(classes.length, MAX_CONFUSION_CLASSES);
  if (!k) return '';
  const matrix = arr(m.confusion);
  const head = `<tr><th class="corner">actual ╲ predicted</th>${classes.slice(0, k).map((c) => `<th>${esc(c)}</th>`).join('')}<th>Rows</th></tr>`;
  const rows = classes.slice(0, k).map((c, y) => {
    const row = arr(matrix[y]);
    const total = row.reduce((a, v) => a + (finite(v) ?? 0), 0);
    const cells = row.slice(0, k).map((v, x) => {
      const share = total ? (finite(v) ?? 0) / total : 0;
      const hue = x === y ? '89,161,79' : '225,87,89';
      const style = share > 0 ? ` style="background:rgba(${hue},${num(Math.min(0.85, share * 0.9), 2)})"` : '';
      return `<td class="n${x === y ? ' diag' : ''}"${style}>${esc(num(v))}</td>`;
    });
    return `<tr><th scope="row">${esc(c)}</th>${cells.join('')}<td class="n">${esc(num(total))}</td></tr>`;
  });
  const more = classes.length > k ? `<p class="small">The first ${MAX_CONFUSION_CLASSES} of ${esc(num(classes.length))} classes are shown (see the JSON report for all).</p>` : '';
  return `<h3>Confusion matrix</h3><p class="small">Rows: the actual class; columns: the predicted class; shaded by the share of the row.</p><div class="scroll"><table class="confusion"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>${more}`;
}

function perClassTable(m: ClassificationReport): string {
  const per = arr(m.perClass);
  if (!per.length) return '';
  const row = (label: string, r: { precision: number; recall: number; f1: number }, support: unknown, cls = '') =>
    `<tr class="${cls}"><th scope="row">${label}</th><td class="n">${esc(num(r.precision))}</td><td class="n">${esc(num(r.recall))}</td><td class="n">${esc(num(r.f1))}</td><td class="n">${esc(num(support))}</td></tr>`;
  const total = per.reduce((a, c) => a + (finite(c.support) ?? 0), 0);
  const body = [
    ...per.map((c) => row(esc(c.class) + (c.class === m.positive ? ' <span class="tag">positive</span>' : ''), c, c.support)),
    ...(m.macro ? [row('Macro average', m.macro, total, 'avg')] : []),
    ...(m.weighted ? [row('Weighted average', m.weighted, total, 'avg')] : []),
  ];
  return `<h3>Per class</h3><table><thead><tr><th>Class</th><th>Precision</th><th>Recall</th><th>F1</th><th>Support</th></tr></thead><tbody>${body.join('')}</tbody></table>`;
}

/** Classification: curves, calibration, the threshold view (binary), the confusion matrix and the per-class table. */
export function classificationSection(m: ClassificationReport, threshold: number | null): string {
  const excluded = finite(m.excluded) ? `<p class="note">${esc(num(m.excluded))} rows were left out: their actual class is missing or was not seen in training.</p>` : '';
  return `<section id="classification"><h2>Classification</h2>${excluded}${curvesFigures(m)}${calibrationFigure(m)}${thresholdFigure(m, threshold)}${confusionTable(m)}${perClassTable(m)}</section>`;
}

/** Regression: predicted against actual, residuals against predicted, and the error by decile of the prediction. */
export function regressionSection(m: RegressionReport): string {
  const points = arr(m.residuals);
  const scatter = scatterChart({
    title: 'Predicted against actual',
    x: { label: 'Actual' },
    y: { label: 'Predicted' },
    reference: 'diagonal',
    points: points.map((p): Point => [p.actual, p.predicted]),
  });
  const residuals = scatterChart({
    title: 'Residuals against predicted',
    x: { label: 'Predicted' },
    y: { label: 'Residual (actual − predicted)' },
    reference: 'zero',
    points: points.map((p): Point => [p.predicted, p.actual - p.predicted]),
  });
  const deciles = arr(m.byDecile);
  const chart = columnChart({
    title: 'Mean absolute error by decile of the prediction',
    x: { label: 'Decile of the prediction (1: lowest)' },
    y: { label: 'MAE' },
    bars: deciles.map((d) => ({ label: String(d.decile), value: finite(d.mae) ?? NaN, note: `${num(d.n)} rows` })),
  });
  const rows = deciles.map(
    (d) =>
      `<tr><td class="n">${esc(num(d.decile))}</td><td class="n">${esc(num(d.from))} – ${esc(num(d.to))}</td><td class="n">${esc(num(d.n))}</td><td class="n">${esc(num(d.mae))}</td><td class="n">${esc(num(d.meanError))}</td></tr>`,
  );
  const table = `<table class="compact"><thead><tr><th>Decile</th><th>Predictions</th><th>Rows</th><th>MAE</th><th>Mean error</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  return `<section id="regression"><h2>Regression</h2><div class="figures">${scatter}${residuals}</div><h3>Error by decile</h3><p class="small">Mean error above 0: the model predicts too low in that decile.</p><div class="figures">${chart}${table}</div></section>`;
}

