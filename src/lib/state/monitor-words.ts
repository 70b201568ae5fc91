// The Monitor view's words: drift methods, figures and verdicts as the person reads them.
import type { ColumnDrift, DriftMethod } from '../pipeline/drift/types.ts';

export { batchLabel } from '../pipeline/monitor/batch-label.ts';

export const METHOD_LABELS: Record<Exclude<DriftMethod, 'auto'>, string> = {
  psi: 'PSI',
  ks: 'KS p-value',
  chi2: 'chi-square p-value',
  wasserstein: 'Wasserstein (normed)',
  'jensen-shannon': 'Jensen–Shannon',
};

const isTest = (method: Exclude<DriftMethod, 'auto'>) => method === 'ks' || method === 'chi2';

/** A figure with 3 significant digits, tiny p-values in exponent form, "—" for none. */
export function figure(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (value === 0) return '0';
  if (Math.abs(value) < 1e-3) return value.toExponential(1);
  return String(Number(value.toPrecision(3)));
}

/** "Wasserstein (normed) 0.231 > 0.1" or "KS p-value 0.003 < 0.05": the verdict's figure against its bar. */
export function verdictWords(column: Pick<ColumnDrift, 'method' | 'value' | 'threshold' | 'drifted'>): string {
  const label = METHOD_LABELS[column.method];
  if (column.value === null) return `${label}: not computed`;
  const sign = isTest(column.method) ? (column.drifted ? '<' : '≥') : column.drifted ? '>' : '≤';
  return `${label} ${figure(column.value)} ${sign} ${figure(column.threshold)}`;
}

/** The one rule's two numbers: the practical bar and the noise of an unchanged batch of this size. */
export function barWords(column: Pick<ColumnDrift, 'practical' | 'noise95'>): string {
  return column.noise95 === null ? `practical ${figure(column.practical)}` : `practical ${figure(column.practical)} · unchanged batches ${figure(column.noise95)}`;
}

/** What a column's status means when it was not compared. */
export function statusWords(column: Pick<ColumnDrift, 'status'>): string | null {
  switch (column.status) {
    case 'missing-in-batch':
      return 'missing from the batch (counted as drifted)';
    case 'type-changed':
      return 'holds another kind of values than at training';
    case 'all-missing':
      return 'every value is missing';
    case 'empty-batch':
      return 'no rows';
    default:
      return null;
  }
}

/** A missing-share change, e.g. "2.0% → 9.5%". */
export function missingWords(column: Pick<ColumnDrift, 'missingReference' | 'missingCurrent'>): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return `${pct(column.missingReference)} → ${pct(column.missingCurrent)}`;
}
