// reviewHtml: every name from the data escaped, nothing loaded from outside, the sections of each task, and the size bound.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../../src/lib/pipeline/errors.ts';
import { esc } from '../../../../../src/lib/pipeline/review/html/escape.ts';
import { REPORT_CSP, reviewHtml, type ReviewHtmlReport } from '../../../../../src/lib/pipeline/review/html/report-html.ts';
import type { ReviewRecord } from '../../../../../src/lib/contracts/training.ts';
import { binaryReport, HOSTILE, metaFor, multiclassReport, regressionReport } from './fixtures.ts';

const ESCAPED = esc(HOSTILE);
const TAGS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'main', 'header', 'footer', 'section', 'div', 'h1', 'h2', 'h3', 'p', 'dl', 'dt', 'dd', 'ol', 'ul', 'li', 'strong', 'span', 'br', 'blockquote', 'table', 'caption', 'thead', 'tbody', 'tr', 'th', 'td', 'figure', 'figcaption', 'svg', 'g', 'path', 'line', 'rect', 'circle', 'text']);
const ATTRIBUTES = new Set(['lang', 'charset', 'http-equiv', 'content', 'name', 'id', 'class', 'style', 'scope', 'colspan', 'viewBox', 'width', 'height', 'role', 'aria-label', 'aria-hidden', 'x', 'y', 'x1', 'x2', 'y1', 'y2', 'dx', 'dy', 'cx', 'cy', 'r', 'd', 'stroke', 'text-anchor', 'transform']);

/** Every tag of the document, with its attribute names (the document is ours: attributes are always double-quoted). */
function tags(html: string): { name: string; attributes: string[] }[] {
  const body = html.replace(/<style>[\s\S]*?<\/style>/, '<style></style>').replace(/^<!doctype html>/i, '');
  return [...body.matchAll(/<\/?([a-zA-Z][\w-]*)((?:\s+[\w:-]+(?:="[^"]*")?)*)\s*\/?>/g)].map((m) => ({
    name: m[1]!.toLowerCase(),
    attributes: [...(m[2] ?? '').matchAll(/([\w:-]+)(?:="[^"]*")?/g)].map((a) => a[1]!),
  }));
}

function expectSafe(html: string): void {
  expect(html).not.toMatch(/<img/i);
  expect(html).not.toMatch(/<script|<link|<iframe|<object|<embed|<base|<form|<input|<a\s/i);
  expect(html).not.toMatch(/https?:|\/\/[a-z]|url\(|@import|xlink/i);
  expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
  // Only our own tags and attributes: nothing with src, href or an event handler, whatever the data held.
  const all = tags(html);
  expect(all.length).toBeGreaterThan(100);
  // Every '<' in the document opens one of those tags: the data's '<' are all entities.
  expect(html.replace(/<style>[\s\S]*?<\/style>/, '<style></style>').replace(/^<!doctype html>/i, '').split('<').length - 1).toBe(all.length);
  for (const tag of all) {
    expect(TAGS, tag.name).toContain(tag.name);
    for (const attribute of tag.attributes) expect(ATTRIBUTES, `${tag.name} ${attribute}`).toContain(attribute);
  }
  // Numbers go through one formatter: no NaN, undefined or object shows (MAPE "is undefined" is prose).
  expect(html).not.toMatch(/\bNaN\b|(?<!is )\bundefined\b|\[object Object\]/);
}

describe('reviewHtml', () => {
  const binary = binaryReport({ champion: true });
  const multiclass = multiclassReport();
  const regression = regressionReport();

  it('escapes a hostile column name, class label, group label, feature and note everywhere they appear', () => {
    const html = reviewHtml(binary, metaFor());
    expectSafe(html);
    // The sensitive column's name (a heading), a class label (the confusion matrix), a group label (the groups table),
    // a feature (importance bars), the note of the decision, and the title.
    expect(html).toContain(`<h3>By ${ESCAPED}</h3>`);
    expect(html).toContain(`<th>${ESCAPED}</th>`);
    expect(html).toContain(`<th scope="row">${ESCAPED}</th>`);
    expect(html).toContain(`<blockquote class="note">Too unfair: ${ESCAPED}\nsecond line</blockquote>`);
    expect(html).toContain(`<h1>${ESCAPED}</h1>`);
    expect(html).toContain(`<dt>Champion</dt><dd>${ESCAPED} champion v3 (run run-0)</dd>`);
    expect(html).toContain(`<title>${ESCAPED} — evaluation report</title>`);
    expect(html).toContain('&lt;img src=x onerror=alert(1…'); // the feature's bar label, cut before escaping
    // Every failing check is listed, escaped.
    expect(binary.verdict.passed).toBe(false);
    for (const failure of binary.verdict.failures) expect(html).toContain(`<li>${esc(failure)}</li>`);
    expect(binary.verdict.failures.some((f) => f.includes(HOSTILE))).toBe(true);
    expect(html.split(ESCAPED).length - 1).toBeGreaterThan(15);
  });

  it('escapes quotes and ampersands in attribute values (chart titles)', () => {
    const name = `x" onload="alert(1)' & <svg onload=alert(2)>`;
    const html = reviewHtml(binaryReport({ name }), metaFor(name));
    expectSafe(html);
    expect(html).not.toContain('" onload="');
    expect(html).toContain(`aria-label="Selection rate by ${esc(name)}"`);
  });

  it('binary: verdict, decision, headline with intervals, curves, calibration, threshold view, confusion, per class, importance, fairness', () => {
    const html = reviewHtml(binary, metaFor());
    for (const id of ['verdict', 'decision', 'headline', 'classification', 'importance', 'fairness']) expect(html).toContain(`<section id="${id}">`);
    for (const title of ['ROC curve', 'Precision-recall curve', 'Calibration curve', 'Metrics by decision threshold', 'Permutation importance (drop in ROC AUC)']) {
      expect(html).toContain(`aria-label="${title}`);
    }
    expect(html).toContain('<h3>Confusion matrix</h3>');
    expect(html).toContain('<h3>Per class</h3>');
    expect(html).toMatch(/0\.42 ◀ chosen/);
    expect(html).toContain('Model − champion');
    expect(html).toContain('<strong>Rejected</strong>');
    expect(html).toContain('<strong>too few rows</strong> (under 30): not compared');
    expect(html).toContain('Demographic-parity ratio');
    expect(html).toMatch(/<strong>Verdict: failed<\/strong> — 3 of \d+ checks fail/);
    expect(html.match(/<svg class="chart"/g)!.length).toBeGreaterThanOrEqual(6);
  });

  it('multiclass: one curve per class, no threshold view', () => {
    const html = reviewHtml(multiclass, { title: 'Species' });
    expectSafe(html);
    expect(html).toContain('Curves one class against the rest');
    expect(html).not.toContain('Metrics by decision threshold');
    expect(html.match(/<path class="line" stroke=/g)!.length).toBe(3 + 3 + 1);
    expect(html).not.toContain('<section id="decision">');
    expect(html).toContain('Mean top-class confidence');
  });

  it('regression: predicted vs actual, residuals, error by decile, the MAPE skip reason', () => {
    const html = reviewHtml(regression, metaFor());
    expectSafe(html);
    for (const title of ['Predicted against actual', 'Residuals against predicted', 'Mean absolute error by decile of the prediction', 'Permutation importance (rise in RMSE)']) {
      expect(html).toContain(`aria-label="${title}"`);
    }
    expect(html).toContain('MAPE skipped: the target crosses zero: MAPE is undefined.');
    expect(html).toContain('<th>Decile</th>');
    expect(html).not.toContain('<section id="classification">');
  });

  it('renders a report read back from JSON (NaN stored as null) and one without importance or fairness', () => {
    const stored = JSON.parse(JSON.stringify(regression)) as ReviewHtmlReport;
    expectSafe(reviewHtml(stored, { title: 'cars' }));
    const { importance: _importance, ...bare } = binary;
    const html = reviewHtml({ ...bare, fairness: {} }, { title: 'bare' });
    expect(html).not.toContain('<section id="importance">');
    expect(html).not.toContain('<section id="fairness">');
  });

  it('takes a stored ReviewRecord as it is: its report, decision and champion', () => {
    const record: ReviewRecord = {
      runId: 'run-7',
      createdAt: '2025-02-01T00:00:00.000Z',
      report: binary,
      decision: { decision: 'approve', note: 'Fair enough & fast', at: '2025-02-02T00:00:00.000Z' },
      champion: { modelId: 2, name: 'churn', version: 4, runId: 'run-3' },
    };
    const html = reviewHtml(record.report, { title: 'churn', runId: record.runId, createdAt: record.createdAt, decision: record.decision, champion: record.champion });
    expect(html).toContain('<strong>Approved</strong> on 2025-02-02T00:00:00.000Z');
    expect(html).toContain('<blockquote class="note">Fair enough &amp; fast</blockquote>');
    expect(html).toContain('<dd>churn v4 (run run-3)</dd>');
  });

  it('refuses what is not a millrace.review/1 report, naming what it got', () => {
    const wrong = (report: unknown) => {
      try {
        reviewHtml(report as ReviewHtmlReport, { title: 't' });
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        return (error as AppError).message;
      }
      throw new Error('no error');
    };
    expect(wrong({ ...binary, format: 'millrace.review/0' })).toBe('The evaluation report to render has format "millrace.review/0", not "millrace.review/1"');
    expect(wrong({ ...binary, task: 'ranking' })).toBe('The evaluation report to render has task "ranking", not one of binary, multiclass, regression');
    expect(wrong(null)).toBe('The evaluation report to render is null, not an object');
  });

  it('stays small: 200,000-row binary and regression reports and a 40-class report under 300 KB', () => {
    const sizes: Record<string, number> = {};
    const big = [
      ['binary 200k', binaryReport({ rows: 200_000, resamples: 10 }), 200_000],
      ['regression 200k', regressionReport({ rows: 200_000, resamples: 10 }), 200_000],
      // The curves, confusion and per-class tables grow with the classes, not the rows.
      ['multiclass 40 classes, 20k', multiclassReport({ rows: 20_000, resamples: 10, classes: 40 }), 20_000],
    ] as const;
    for (const [label, report, rows] of big) {
      expect(report.rows).toBe(rows);
      const html = reviewHtml(report, metaFor());
      expectSafe(html);
      sizes[label] = new TextEncoder().encode(html).length;
    }
    console.log('HTML report sizes (bytes):', sizes);
    for (const size of Object.values(sizes)) expect(size).toBeLessThan(300_000);
  }, 60_000);
});
