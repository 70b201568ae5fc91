// A drift report as one static HTML file (inline CSS, no script, nothing loaded): the verdict, every column's figures and bars, as `millrace drift --html` writes it.
import type { CategoryFigures, ColumnDrift, DriftReport, NumericFigures } from '../drift/types.ts';
import { AppError } from '../errors.ts';
import { esc, num } from '../review/html/escape.ts';
import { staticHtml } from '../review/html/report-html.ts';

export interface DriftHtmlMeta {
  reference: string;
  current: string;
  createdAt: string;
}

const LABELS: Record<ColumnDrift['method'], string> = {
  psi: 'PSI',
  ks: 'KS p-value',
  chi2: 'chi-square p-value',
  wasserstein: 'Wasserstein (normed)',
  'jensen-shannon': 'Jensen–Shannon',
};

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const fig = (x: number | null | undefined) => (x === null || x === undefined || Number.isNaN(x) ? '—' : Math.abs(x) < 1e-3 && x !== 0 ? x.toExponential(2) : num(x, 4));

function figures(column: ColumnDrift): string {
  const f = column.figures;
  if (!f) return '—';
  if (column.kind === 'number') {
    const n = f as NumericFigures;
    return `PSI ${fig(n.psi)} · KS ${fig(n.ks)} (p ${fig(n.ksP)}) · Wasserstein ${fig(n.wasserstein)} (normed ${fig(n.wassersteinNormed)}) · JS ${fig(n.jensenShannon)}`;
  }
  const c = f as CategoryFigures;
  const fresh = c.newCategories.length ? ` · new: ${c.newCategories.slice(0, 10).join(', ')}${c.newCategories.length > 10 ? ` and ${c.newCategories.length - 10} more` : ''}` : '';
  const gone = c.vanishedCategories.length ? ` · vanished: ${c.vanishedCategories.slice(0, 10).join(', ')}${c.vanishedCategories.length > 10 ? ` and ${c.vanishedCategories.length - 10} more` : ''}` : '';
  return `PSI ${fig(c.psi)} · chi-square ${fig(c.chi2)} (p ${fig(c.chi2P)}) · JS ${fig(c.jensenShannon)}${fresh}${gone}`;
}

function row(column: ColumnDrift): string {
  const verdict = column.drifted ? '<td class="strong" style="color:var(--bad)">drifted</td>' : '<td>stable</td>';
  const bar = column.value === null ? esc(column.status) : `${esc(LABELS[column.method])} ${esc(fig(column.value))} against ${esc(fig(column.threshold))}`;
  const noise = column.noise95 === null ? '' : `; unchanged batches reach ${esc(fig(column.noise95))}`;
  return `<tr><td class="strong">${esc(column.column)}</td><td>${esc(column.kind)}</td>${verdict}<td>${bar}<div class="small">practical ${esc(fig(column.practical))}${noise}</div>${
    column.note ? `<div class="note">${esc(column.note)}</div>` : ''
  }</td><td>${esc(LABELS[column.classic.method])} ${esc(fig(column.classic.value))}: ${column.classic.drifted ? 'drift' : 'no drift'}</td><td class="nw">${esc(pct(column.missingReference))} → ${esc(
    pct(column.missingCurrent),
  )}</td><td class="small">${esc(figures(column))}</td></tr>`;
}

/** The report as an HTML document; every string is escaped and a Content-Security-Policy forbids loading anything. */
export function driftHtml(report: DriftReport, meta: DriftHtmlMeta): string {
  if (!report || report.format !== 'millrace.drift/1') throw new AppError('bad-argument', 'The drift report to render is not a millrace.drift/1 report');
  const drifted = report.columns.filter((c) => c.drifted);
  const verdict = `<p class="verdict ${report.datasetDrift ? 'failed' : 'passed'}"><strong>${report.datasetDrift ? 'Dataset drift' : 'No dataset drift'}</strong>: ${drifted.length} of ${
    report.columns.length
  } columns drifted (${esc(pct(report.driftShare))}; dataset drift from ${esc(pct(report.shareThreshold))})${drifted.length ? `: ${esc(drifted.map((c) => c.column).join(', '))}` : ''}.</p>`;
  const extra = report.extraColumns.length ? `<p class="small">Columns only in the current data (not compared): ${esc(report.extraColumns.join(', '))}</p>` : '';
  const table = `<table><thead><tr><th>Column</th><th>Kind</th><th>Verdict</th><th>Figure against its bar</th><th>Classic test</th><th>Missing</th><th>Every figure</th></tr></thead><tbody>${report.columns
    .map(row)
    .join('')}</tbody></table>`;
  const head = `<header><p class="small">Millrace drift report</p><h1>${esc(meta.current)} against ${esc(meta.reference)}</h1><dl class="meta"><dt>Reference</dt><dd>${esc(meta.reference)} · ${esc(
    num(report.referenceRows),
  )} rows</dd><dt>Current</dt><dd>${esc(meta.current)} · ${esc(num(report.currentRows))} rows</dd><dt>Created</dt><dd>${esc(meta.createdAt)}</dd></dl></header>`;
  const rule =
    '<p class="small">A column drifts when its distance (normed Wasserstein for numbers, Jensen–Shannon for categories) exceeds the larger of the practical bar and what an unchanged batch of the same size, drawn from the reference, reaches 95% of the time; a method chosen per column applies its own bar. The classic test is shown beside it.</p>';
  return staticHtml(`Drift: ${meta.current} against ${meta.reference}`, `${head}${verdict}${extra}${rule}${table}<footer>Made by Millrace. This file is static: it runs no script and loads nothing.</footer>`);
}
