// The evaluation report as one self-contained, static HTML file (inline CSS and SVG, no script, nothing loaded): reviewHtml.
import { AppError } from '../../errors.ts';
import type { ClassificationReport } from '../classification.ts';
import type { RegressionReport } from '../regression.ts';
import { REVIEW_FORMAT, type EvaluationReport } from '../report.ts';
import { esc, num } from './escape.ts';
import { classificationSection, regressionSection } from './sections-model.ts';
import { decisionSection, fairnessSection, headlineSection, importanceSection, verdictSection, type Decision } from './sections.ts';
import { REPORT_CSS } from './style.ts';

/** Nothing may load: no script, no fetch, no font, no image but data: ones; only the inline style sheet applies. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** What the report is about, shown in its header; every string is escaped. */
export interface ReviewHtmlMeta {
  /** The model's name (e.g. the registry name or "Species · MLP (64, 32)"). */
  title: string;
  dataset?: string | undefined;
  target?: string | undefined;
  runId?: string | undefined;
  /** ISO time the report was made. */
  createdAt?: string | undefined;
  /** The person's decision, when one was recorded (approve or reject, with a note). */
  decision?: Decision | null | undefined;
  /** The saved model the report compares with (ReviewRecord['champion']), when it does. */
  champion?: { name?: unknown; version?: unknown; runId?: unknown } | null | undefined;
}

/** The stored report: an EvaluationReport, with the permutation importance when it was computed (ReviewRecord['report']). */
export type ReviewHtmlReport = EvaluationReport & { importance?: unknown };

const TASKS = ['binary', 'multiclass', 'regression'];

function checkReport(report: ReviewHtmlReport): void {
  if (!report || typeof report !== 'object') throw new AppError('bad-argument', `The evaluation report to render is ${report === null ? 'null' : typeof report}, not an object`);
  if (report.format !== REVIEW_FORMAT) {
    throw new AppError('bad-argument', `The evaluation report to render has format ${JSON.stringify(report.format) ?? 'undefined'}, not "${REVIEW_FORMAT}"`);
  }
  if (!TASKS.includes(report.task)) throw new AppError('bad-argument', `The evaluation report to render has task ${JSON.stringify(report.task) ?? 'undefined'}, not one of ${TASKS.join(', ')}`);
  if (!report.metrics || typeof report.metrics !== 'object') throw new AppError('bad-argument', 'The evaluation report to render has no metrics');
}

function header(report: ReviewHtmlReport, meta: ReviewHtmlMeta): string {
  const rows: [string, string][] = [];
  const add = (label: string, value: unknown) => {
    if (value !== undefined && value !== null && value !== '') rows.push([label, esc(value)]);
  };
  add('Dataset', meta.dataset);
  add('Target', meta.target);
  add('Task', report.task === 'binary' ? 'binary classification' : report.task === 'multiclass' ? 'multiclass classification' : 'regression');
  rows.push(['Test rows', esc(num(report.rows))]);
  if (report.positiveClass !== null && report.positiveClass !== undefined) add('Positive class', report.positiveClass);
  if (report.threshold !== null && report.threshold !== undefined) rows.push(['Decision threshold', esc(num(report.threshold, 3))]);
  add('Run', meta.runId);
  const champion = meta.champion;
  if (champion && typeof champion === 'object') add('Champion', `${String(champion.name ?? 'model')}${champion.version !== undefined ? ` v${String(champion.version)}` : ''}${champion.runId ? ` (run ${String(champion.runId)})` : ''}`);
  add('Created', meta.createdAt);
  const dl = rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('');
  return `<header><p class="small">Millrace evaluation report</p><h1>${esc(meta.title)}</h1><dl class="meta">${dl}</dl></header>`;
}

/**
 * The evaluation report as one HTML document: verdict (every failing check), the decision when there is one,
 * headline metrics with bootstrap intervals and paired differences to the baseline and the champion, the task's
 * charts and tables (ROC, precision-recall, calibration, threshold view, confusion, per class; or predicted vs
 * actual, residuals, error by decile), permutation importance and fairness by group. Charts are inline SVG, the
 * style sheet inline, there is no script, and a Content-Security-Policy forbids loading anything; every string from
 * the report or `meta` is escaped. Pure: runs in Node and in a browser. Refuses a report that is not millrace.review/1.
 */
export function reviewHtml(report: ReviewHtmlReport, meta: ReviewHtmlMeta): string {
  checkReport(report);
  if (!meta || typeof meta !== 'object') throw new AppError('bad-argument', 'The evaluation report needs its meta (title, dataset, target, run)');
  const task =
    report.task === 'regression'
      ? regressionSection(report.metrics as RegressionReport)
      : classificationSection(report.metrics as ClassificationReport, report.threshold);
  const title = `${meta.title || 'Model'} — evaluation report`;
  const body = [
    header(report, meta),
    verdictSection(report),
    decisionSection(meta.decision),
    headlineSection(report),
    task,
    importanceSection(report.importance),
    fairnessSection(report),
    `<footer>Made by Millrace from the ${esc(REVIEW_FORMAT)} report${meta.createdAt ? ` of ${esc(meta.createdAt)}` : ''}. This file is static: it runs no script and loads nothing.</footer>`,
  ].join('\n');
  return staticHtml(title, body);
}

/** A static HTML document: the title, the inline report style sheet, `body` inside <main>, and a CSP that loads nothing. */
export function staticHtml(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    `<main>${body}</main>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
