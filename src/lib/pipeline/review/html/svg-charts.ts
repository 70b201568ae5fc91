// Small static SVG charts for the HTML report (lines, scatter, bars with spread, interval glyphs): strings only, no DOM, every label escaped.
import { coord, esc, finite, num } from './escape.ts';

export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export type Point = [number, number];

export interface Axis {
  label: string;
  /** Default: the data's extent, padded a little. */
  domain?: [number, number];
}

export interface Series {
  name: string;
  points: Point[];
  dashed?: boolean;
  /** Also mark each point with a dot (e.g. the calibration bins). */
  dots?: boolean;
  /** Default: the palette, in order. */
  color?: string;
}

export interface Mark {
  /** A vertical line at x (or horizontal at y) with a short label. */
  x?: number;
  y?: number;
  label: string;
}

const W = 440;
const H = 300;
const M = { left: 54, right: 16, top: 14, bottom: 44 };

/** At most `max` items, evenly spaced, keeping the first and the last. */
export function thin<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return items.slice();
  const out: T[] = [];
  const step = (items.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(items[Math.round(i * step)] as T);
  return out;
}

/** About `count` round tick values covering [lo, hi] (1, 2 or 5 times a power of ten apart). */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * power).find((s) => s >= raw) ?? 10 * power;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return out;
}

function extent(values: number[], fallback: [number, number]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return fallback;
  if (lo === hi) return [lo - 1, hi + 1];
  const pad = (hi - lo) * 0.04;
  return [lo - pad, hi + pad];
}

interface Frame {
  x: (v: number) => number;
  y: (v: number) => number;
  xDomain: [number, number];
  yDomain: [number, number];
  width: number;
  height: number;
}

function frame(xDomain: [number, number], yDomain: [number, number], width = W, height = H): Frame {
  const [x0, x1] = xDomain;
  const [y0, y1] = yDomain;
  const clamp = (v: number, a: number, b: number) => Math.min(Math.max(v, a), b);
  return {
    x: (v) => M.left + ((clamp(v, x0, x1) - x0) / (x1 - x0 || 1)) * (width - M.left - M.right),
    y: (v) => height - M.bottom - ((clamp(v, y0, y1) - y0) / (y1 - y0 || 1)) * (height - M.top - M.bottom),
    xDomain,
    yDomain,
    width,
    height,
  };
}

function axes(f: Frame, xLabel: string, yLabel: string): string {
  const parts: string[] = [];
  const [x0, x1] = f.xDomain;
  const [y0, y1] = f.yDomain;
  const bottom = f.height - M.bottom;
  for (const t of ticks(x0, x1)) {
    const x = coord(f.x(t));
    parts.push(`<line class="grid" x1="${x}" x2="${x}" y1="${M.top}" y2="${bottom}"/><text x="${x}" y="${bottom + 14}" text-anchor="middle">${esc(num(t, 3))}</text>`);
  }
  for (const t of ticks(y0, y1)) {
    const y = coord(f.y(t));
    parts.push(`<line class="grid" x1="${M.left}" x2="${f.width - M.right}" y1="${y}" y2="${y}"/><text x="${M.left - 5}" y="${y}" dy="3.5" text-anchor="end">${esc(num(t, 3))}</text>`);
  }
  parts.push(`<rect class="frame" x="${M.left}" y="${M.top}" width="${f.width - M.left - M.right}" height="${bottom - M.top}"/>`);
  parts.push(`<text class="axis" x="${coord((M.left + f.width - M.right) / 2)}" y="${f.height - 8}" text-anchor="middle">${esc(xLabel)}</text>`);
  parts.push(`<text class="axis" transform="translate(13 ${coord((M.top + bottom) / 2)}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  return parts.join('');
}

function svg(f: Frame, title: string, body: string): string {
  return `<svg class="chart" viewBox="0 0 ${f.width} ${f.height}" width="${f.width}" height="${f.height}" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title>${body}</svg>`;
}

function pathOf(f: Frame, points: Point[]): string {
  const ok = points.filter(([x, y]) => finite(x) !== null && finite(y) !== null);
  if (!ok.length) return '';
  return ok.map(([x, y], i) => `${i === 0 ? 'M' : i === 1 ? 'L' : ' '}${coord(f.x(x))} ${coord(f.y(y))}`).join('');
}

function marks(f: Frame, list: Mark[]): string {
  return list
    .map((m) => {
      if (m.x !== undefined && finite(m.x) !== null) {
        const x = coord(f.x(m.x));
        return `<line class="mark" x1="${x}" x2="${x}" y1="${M.top}" y2="${f.height - M.bottom}"/><text class="mark-label" x="${x}" y="${M.top + 11}" dx="4">${esc(m.label)}</text>`;
      }
      if (m.y !== undefined && finite(m.y) !== null) {
        const y = coord(f.y(m.y));
        return `<line class="mark" x1="${M.left}" x2="${f.width - M.right}" y1="${y}" y2="${y}"/><text class="mark-label" x="${f.width - M.right - 4}" y="${y}" dy="-4" text-anchor="end">${esc(m.label)}</text>`;
      }
      return '';
    })
    .join('');
}

function dotsOf(f: Frame, points: Point[]): string {
  return points
    .filter(([x, y]) => finite(x) !== null && finite(y) !== null)
    .map(([x, y]) => `M${coord(f.x(x))} ${coord(f.y(y))}h0`)
    .join('');
}

/** The legend under a chart, as HTML (names wrap there instead of running off the SVG). */
export function legend(series: { name: string; color?: string; dashed?: boolean }[]): string {
  if (!series.length) return '';
  const items = series.map((s, i) => `<li><span class="swatch${s.dashed ? ' dashed' : ''}" style="border-color:${s.color ?? PALETTE[i % PALETTE.length]}"></span>${esc(s.name)}</li>`);
  return `<ul class="legend">${items.join('')}</ul>`;
}

export interface LineChartOptions {
  title: string;
  x: Axis;
  y: Axis;
  series: Series[];
  /** Draw y = x (ROC's chance line, a perfect calibration). */
  diagonal?: boolean;
  marks?: Mark[];
  /** Points drawn per series at most (default 200). */
  maxPoints?: number;
}

/** Lines over a shared frame, with an optional diagonal and marks, and the legend below. */
export function lineChart(o: LineChartOptions): string {
  const all = o.series.flatMap((s) => s.points);
  const f = frame(o.x.domain ?? extent(all.map((p) => p[0]), [0, 1]), o.y.domain ?? extent(all.map((p) => p[1]), [0, 1]));
  const parts = [axes(f, o.x.label, o.y.label)];
  const [x0, x1] = f.xDomain;
  if (o.diagonal) parts.push(`<path class="diagonal" d="${pathOf(f, [[x0, x0], [x1, x1]])}"/>`);
  o.series.forEach((s, i) => {
    const d = pathOf(f, thin(s.points, o.maxPoints ?? 200));
    const color = s.color ?? PALETTE[i % PALETTE.length];
    if (d) parts.push(`<path class="line${s.dashed ? ' dashed' : ''}" stroke="${color}" d="${d}"><title>${esc(s.name)}</title></path>`);
    if (d && s.dots) parts.push(`<path class="points" stroke="${color}" d="${dotsOf(f, s.points)}"/>`);
  });
  parts.push(marks(f, o.marks ?? []));
  return `<figure>${svg(f, o.title, parts.join(''))}${legend(o.series)}</figure>`;
}

export interface ScatterOptions {
  title: string;
  x: Axis;
  y: Axis;
  points: Point[];
  /** 'diagonal': y = x (predicted vs actual); 'zero': y = 0 (residuals). */
  reference?: 'diagonal' | 'zero';
  /** Points drawn at most (default 1,500): one path of round dots, about 14 bytes a point. */
  maxPoints?: number;
}

/** A scatter plot as one path of zero-length round-capped segments (a dot each), with a reference line. */
export function scatterChart(o: ScatterOptions): string {
  const points = thin(o.points.filter(([x, y]) => finite(x) !== null && finite(y) !== null), o.maxPoints ?? 1500);
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  let xDomain = o.x.domain ?? extent(xs, [0, 1]);
  let yDomain = o.y.domain ?? extent(ys, [0, 1]);
  if (o.reference === 'diagonal' && !o.x.domain && !o.y.domain) {
    xDomain = yDomain = extent([...xs, ...ys], [0, 1]);
  }
  const f = frame(xDomain, yDomain);
  const parts = [axes(f, o.x.label, o.y.label)];
  if (o.reference === 'diagonal') parts.push(`<path class="diagonal" d="${pathOf(f, [[xDomain[0], xDomain[0]], [xDomain[1], xDomain[1]]])}"/>`);
  if (o.reference === 'zero') parts.push(`<path class="diagonal" d="${pathOf(f, [[xDomain[0], 0], [xDomain[1], 0]])}"/>`);
  const dots = dotsOf(f, points);
  if (dots) parts.push(`<path class="dots" d="${dots}"/>`);
  return `<figure>${svg(f, o.title, parts.join(''))}<figcaption>${esc(num(points.length))} of ${esc(num(o.points.length))} points drawn</figcaption></figure>`;
}

export interface Bar {
  label: string;
  value: number;
  /** Drawn as a whisker of ± spread (e.g. a standard deviation). */
  spread?: number;
  /** Shown in the bar's tooltip and after it. */
  note?: string;
}

/** Cuts a label to `max` characters (before escaping, so no entity is cut), with an ellipsis. */
export function cut(label: string, max: number): string {
  const chars = [...String(label)];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
}

/** Horizontal bars from a zero line (negative values to the left), with optional ± spread whiskers; one row per bar. */
export function barChart(o: { title: string; axisLabel: string; bars: Bar[]; labelWidth?: number }): string {
  const labelWidth = o.labelWidth ?? 170;
  const row = 20;
  const width = 560;
  const height = M.top + o.bars.length * row + M.bottom - 10;
  const values = o.bars.flatMap((b) => {
    const v = finite(b.value) ?? 0;
    const s = finite(b.spread) ?? 0;
    return [v - s, v + s, 0];
  });
  const [lo, hi] = extent(values, [0, 1]);
  const left = labelWidth;
  const right = width - 70;
  const x = (v: number) => left + ((Math.min(Math.max(v, lo), hi) - lo) / (hi - lo || 1)) * (right - left);
  const bottom = height - M.bottom + 10;
  const parts: string[] = [];
  for (const t of ticks(lo, hi, 5)) {
    const tx = coord(x(t));
    parts.push(`<line class="grid" x1="${tx}" x2="${tx}" y1="${M.top}" y2="${bottom}"/><text x="${tx}" y="${bottom + 14}" text-anchor="middle">${esc(num(t, 3))}</text>`);
  }
  const zero = coord(x(0));
  o.bars.forEach((b, i) => {
    const y = M.top + i * row;
    const v = finite(b.value);
    const tip = `${b.label}: ${num(b.value)}${finite(b.spread) !== null ? ` ± ${num(b.spread)}` : ''}${b.note ? ` (${b.note})` : ''}`;
    parts.push(`<g><title>${esc(tip)}</title><text x="${left - 6}" y="${y + row / 2}" dy="3.5" text-anchor="end">${esc(cut(b.label, Math.floor(labelWidth / 6.2)))}</text>`);
    if (v !== null) {
      const a = x(Math.min(0, v));
      const bw = Math.max(0.5, x(Math.max(0, v)) - a);
      parts.push(`<rect class="bar${v < 0 ? ' negative' : ''}" x="${coord(a)}" y="${y + 4}" width="${coord(bw)}" height="${row - 8}"/>`);
      const s = finite(b.spread);
      if (s !== null && s > 0) {
        const cy = coord(y + row / 2);
        parts.push(`<path class="whisker" d="M${coord(x(v - s))} ${cy}H${coord(x(v + s))}M${coord(x(v - s))} ${y + 6}V${y + row - 6}M${coord(x(v + s))} ${y + 6}V${y + row - 6}"/>`);
      }
      parts.push(`<text class="value" x="${coord(Math.max(x(v), x(v + (s ?? 0))) + 4)}" y="${y + row / 2}" dy="3.5">${esc(num(v, 3))}</text>`);
    }
    parts.push('</g>');
  });
  parts.push(`<line class="zero" x1="${zero}" x2="${zero}" y1="${M.top}" y2="${bottom}"/>`);
  parts.push(`<text class="axis" x="${coord((left + right) / 2)}" y="${height - 6}" text-anchor="middle">${esc(o.axisLabel)}</text>`);
  const f = frame([lo, hi], [0, 1], width, height);
  return `<figure>${svg(f, o.title, parts.join(''))}</figure>`;
}

/** Vertical bars over category labels (e.g. deciles), with a zero line. */
export function columnChart(o: { title: string; x: Axis; y: Axis; bars: Bar[] }): string {
  const values = o.bars.map((b) => finite(b.value) ?? 0);
  const [lo, hi] = o.y.domain ?? extent([...values, 0], [0, 1]);
  const f = frame([0, Math.max(1, o.bars.length)], [Math.min(lo, 0), hi]);
  const parts = [axesCategorical(f, o.bars.map((b) => b.label), o.x.label, o.y.label)];
  const band = (f.x(1) - f.x(0)) * 0.7;
  o.bars.forEach((b, i) => {
    const v = finite(b.value);
    if (v === null) return;
    const cx = f.x(i + 0.5);
    const top = f.y(Math.max(0, v));
    const h = Math.max(0.5, f.y(Math.min(0, v)) - top);
    parts.push(`<rect class="bar${v < 0 ? ' negative' : ''}" x="${coord(cx - band / 2)}" y="${coord(top)}" width="${coord(band)}" height="${coord(h)}"><title>${esc(`${b.label}: ${num(v)}${b.note ? ` (${b.note})` : ''}`)}</title></rect>`);
  });
  parts.push(`<line class="zero" x1="${M.left}" x2="${f.width - M.right}" y1="${coord(f.y(0))}" y2="${coord(f.y(0))}"/>`);
  return `<figure>${svg(f, o.title, parts.join(''))}</figure>`;
}

function axesCategorical(f: Frame, labels: string[], xLabel: string, yLabel: string): string {
  const parts: string[] = [];
  const bottom = f.height - M.bottom;
  labels.forEach((label, i) => parts.push(`<text x="${coord(f.x(i + 0.5))}" y="${bottom + 14}" text-anchor="middle">${esc(cut(label, 8))}</text>`));
  for (const t of ticks(f.yDomain[0], f.yDomain[1])) {
    const y = coord(f.y(t));
    parts.push(`<line class="grid" x1="${M.left}" x2="${f.width - M.right}" y1="${y}" y2="${y}"/><text x="${M.left - 5}" y="${y}" dy="3.5" text-anchor="end">${esc(num(t, 3))}</text>`);
  }
  parts.push(`<rect class="frame" x="${M.left}" y="${M.top}" width="${f.width - M.left - M.right}" height="${bottom - M.top}"/>`);
  parts.push(`<text class="axis" x="${coord((M.left + f.width - M.right) / 2)}" y="${f.height - 8}" text-anchor="middle">${esc(xLabel)}</text>`);
  parts.push(`<text class="axis" transform="translate(13 ${coord((M.top + bottom) / 2)}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  return parts.join('');
}

/**
 * A small inline glyph of an interval against a reference line (0 for a difference): the estimate as a dot, the
 * interval as a bar; green when the interval lies wholly on the better side, red wholly on the worse side.
 */
export function intervalGlyph(estimate: unknown, low: unknown, high: unknown, options: { reference?: number; higherIsBetter?: boolean } = {}): string {
  const e = finite(estimate);
  const l = finite(low);
  const h = finite(high);
  if (e === null) return '';
  const ref = options.reference ?? 0;
  const span = Math.max(Math.abs((l ?? e) - ref), Math.abs((h ?? e) - ref), Math.abs(e - ref), 1e-12) * 1.1;
  const w = 84;
  const x = (v: number) => coord(w / 2 + ((v - ref) / span) * (w / 2 - 4));
  const better = options.higherIsBetter ?? true;
  const above = l !== null && l > ref;
  const below = h !== null && h < ref;
  const tone = above || below ? ((above === better) ? 'good' : 'bad') : 'neutral';
  const bar = l !== null && h !== null ? `<path class="ci" d="M${x(l)} 7H${x(h)}"/>` : '';
  return `<svg class="glyph ${tone}" viewBox="0 0 ${w} 14" width="${w}" height="14" aria-hidden="true"><path class="ref" d="M${coord(w / 2)} 1V13"/>${bar}<circle cx="${x(e)}" cy="7" r="3"/></svg>`;
}
