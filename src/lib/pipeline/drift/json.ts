// drift.json, the CLI's drift report: dataset verdict, share, and per column its kind, verdict, method and figures.
import type { CategoryFigures, ColumnDrift, DriftReport, NumericFigures } from './types.ts';

export interface NumericColumnJson {
  kind: 'number';
  drifted: boolean;
  status: ColumnDrift['status'];
  method: ColumnDrift['method'];
  value: number | null;
  threshold: number;
  practical: number;
  noise95: number | null;
  classic: ColumnDrift['classic'];
  psi: number | null;
  ks: number | null;
  ksP: number | null;
  wasserstein: number | null;
  wassersteinNormed: number | null;
  jensenShannon: number | null;
  missingReference: number;
  missingCurrent: number | null;
  note?: string;
}

export interface CategoryColumnJson extends Omit<NumericColumnJson, 'kind' | 'ks' | 'ksP' | 'wasserstein' | 'wassersteinNormed'> {
  kind: 'category';
  chi2: number | null;
  chi2P: number | null;
  newCategories: string[];
  vanishedCategories: string[];
}

export interface DriftJson {
  format: 'millrace.drift/1';
  datasetDrift: boolean;
  driftShare: number;
  shareThreshold: number;
  referenceRows: number;
  currentRows: number;
  columns: Record<string, NumericColumnJson | CategoryColumnJson>;
  extraColumns: string[];
}

/** A finite number, or null (JSON has no NaN or Infinity). */
const num = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function columnJson(c: ColumnDrift): NumericColumnJson | CategoryColumnJson {
  const common = {
    drifted: c.drifted,
    status: c.status,
    method: c.method,
    value: num(c.value),
    threshold: c.threshold,
    practical: c.practical,
    noise95: num(c.noise95),
    classic: { ...c.classic, value: num(c.classic.value) },
  };
  const tail = { missingReference: c.missingReference, missingCurrent: num(c.missingCurrent), ...(c.note ? { note: c.note } : {}) };
  if (c.kind === 'number') {
    const f = c.figures as NumericFigures | null;
    return { kind: 'number', ...common, psi: num(f?.psi), ks: num(f?.ks), ksP: num(f?.ksP), wasserstein: num(f?.wasserstein), wassersteinNormed: num(f?.wassersteinNormed), jensenShannon: num(f?.jensenShannon), ...tail };
  }
  const f = c.figures as CategoryFigures | null;
  return { kind: 'category', ...common, psi: num(f?.psi), chi2: num(f?.chi2), chi2P: num(f?.chi2P), jensenShannon: num(f?.jensenShannon), newCategories: f?.newCategories ?? [], vanishedCategories: f?.vanishedCategories ?? [], ...tail };
}

/**
 * The report as drift.json: `datasetDrift`, `driftShare` and `columns` by name with `kind`, `drifted`, `method` and the
 * figures (numbers: psi, ks, ksP, wasserstein, wassersteinNormed, jensenShannon; categories: psi, chi2, chi2P,
 * jensenShannon, newCategories, vanishedCategories), plus the one rule's value and bar (practical, noise95), the classic
 * verdict, missing shares, status and note. A figure a column does not have (missing in the batch) is null.
 */
export function driftJson(report: DriftReport): DriftJson {
  const columns: DriftJson['columns'] = {};
  for (const c of report.columns) columns[c.column] = columnJson(c);
  return {
    format: report.format,
    datasetDrift: report.datasetDrift,
    driftShare: report.driftShare,
    shareThreshold: report.shareThreshold,
    referenceRows: report.referenceRows,
    currentRows: report.currentRows,
    columns,
    extraColumns: report.extraColumns,
  };
}
