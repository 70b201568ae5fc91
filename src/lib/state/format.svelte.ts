// Display formatting shared by views and components: numbers, dates, hashes, metric names.
import type { ColumnType, Evaluation } from '../pipeline/types.ts';

// Fewer decimals as numbers grow, so a statistic fits a narrow card: 4,201.8 · 43.92 · 0.123.
const threeDecimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
const twoDecimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
// Column dates are UTC epoch milliseconds; 'en-CA' gives YYYY-MM-DD.
const isoDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' });
const dateTime = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** 1234.5678 → "1,234.568"; missing → "—". */
export function formatNumber(value: number | undefined | null): string {
  if (value === undefined || value === null || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e9 || abs < 1e-3)) return value.toExponential(2);
  const format = abs >= 1000 ? oneDecimal : abs >= 10 ? twoDecimals : threeDecimals;
  return format.format(value);
}

/** A statistic of a column in its own type: dates as calendar dates, others as numbers. */
export function formatStat(value: number | undefined, type: ColumnType): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  if (type === 'date') return isoDate.format(value);
  return formatNumber(value);
}

/** Metrics are shown with exactly four decimals (the end-to-end tests read these cells). */
export function formatMetric(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  const text = value.toFixed(4);
  return text === '-0.0000' ? '0.0000' : text;
}

export function formatDate(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : dateTime.format(time);
}

export function formatPercent(part: number, whole: number): string {
  if (whole <= 0) return '0%';
  const pct = (100 * part) / whole;
  return pct > 0 && pct < 0.1 ? '<0.1%' : `${pct.toFixed(pct < 10 ? 1 : 0)}%`;
}

export function shortHash(hash: string, length = 12): string {
  return hash.slice(0, length);
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A cell of the preview grid as plain text. */
export function formatCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : formatNumber(value);
  return String(value);
}

/** Default registry name for a trained model: dataset name and target, e.g. "penguins-species". */
export function defaultModelName(datasetName: string, target: string): string {
  const slug = (text: string) =>
    text
      .toLowerCase()
      .replace(/\.(csv|tsv|json|ndjson|parquet|arrow)$/, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
  return [slug(datasetName), slug(target)].filter(Boolean).join('-') || 'model';
}

/** The headline metric of an evaluation: accuracy for classification, RMSE for regression. */
export function keyMetric(evaluation: Evaluation | undefined): { name: string; value: string } | null {
  if (!evaluation) return null;
  const metrics = evaluation.metrics;
  if ('accuracy' in metrics) return { name: 'accuracy', value: formatMetric(metrics.accuracy) };
  if ('rmse' in metrics) return { name: 'RMSE', value: formatMetric(metrics.rmse) };
  return null;
}

/** The headline metric of a run's summary metrics: accuracy for classification, RMSE for regression. */
export function keySummaryMetric(metrics: Partial<Record<string, number>> | undefined): { name: string; value: string } | null {
  if (metrics?.accuracy !== undefined) return { name: 'accuracy', value: formatMetric(metrics.accuracy) };
  if (metrics?.rmse !== undefined) return { name: 'RMSE', value: formatMetric(metrics.rmse) };
  return null;
}

/** 1536 → "1.5 KB"; decimal units as browsers report storage. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}
