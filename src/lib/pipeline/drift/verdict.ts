// Verdicts of a compared column: the one rule (distance against max(practical, noise95)), Evidently's sample-size aware classic test, and a person's per-column method.
import { AppError } from '../errors.ts';
import type { CategoryFigures, ColumnDrift, ColumnDriftOverride, DriftMethod, NumericFigures } from './types.ts';

export const PRACTICAL_THRESHOLD = 0.1;
export const P_VALUE = 0.05;
/** Evidently's switch from tests to distances: reference columns of more than this many values use distances. */
export const CLASSIC_MAX_TEST_ROWS = 1000;
/** Below this many values in the batch a column's distances are marked unreliable. */
export const RELIABLE_MIN_VALUES = 30;

type Method = Exclude<DriftMethod, 'auto'>;
type Verdict = { method: Method; value: number | null; threshold: number; drifted: boolean };

const TESTS: ReadonlySet<Method> = new Set(['ks', 'chi2']);
const NUMERIC: ReadonlySet<Method> = new Set(['psi', 'ks', 'wasserstein', 'jensen-shannon']);
const CATEGORY: ReadonlySet<Method> = new Set(['psi', 'chi2', 'jensen-shannon']);

/** The distance the one rule uses: normed Wasserstein for numbers, Jensen–Shannon for categories. */
export function autoMethod(kind: 'number' | 'category'): Method {
  return kind === 'number' ? 'wasserstein' : 'jensen-shannon';
}

/** The figure a method reads. */
export function figureOf(method: Method, figures: NumericFigures | CategoryFigures): number {
  switch (method) {
    case 'psi':
      return figures.psi;
    case 'ks':
      return (figures as NumericFigures).ksP ?? NaN;
    case 'chi2':
      return (figures as CategoryFigures).chi2P ?? NaN;
    case 'wasserstein':
      return (figures as NumericFigures).wassersteinNormed ?? NaN;
    case 'jensen-shannon':
      return figures.jensenShannon;
  }
}

/** Tests drift when p < bar; distances (PSI, normed Wasserstein, Jensen–Shannon) when value ≥ bar, as Evidently. */
export function judge(method: Method, value: number, threshold: number): boolean {
  return TESTS.has(method) ? value < threshold : value >= threshold;
}

/**
 * Evidently's default test (registry.py `_get_default_stattest`): a reference of at most 1,000 values uses the KS test
 * for numbers and chi-square for categories (p < 0.05); a larger one normed Wasserstein for numbers and Jensen–Shannon
 * for categories (≥ 0.1). Differences: Evidently switches numbers with at most 5 distinct values to chi-square/z-test
 * (small) or Jensen–Shannon over values (large), and uses a z-test for 2 categories; here numbers always use KS/
 * Wasserstein, and 2 categories chi-square, which on a 2 × 2 table without correction is the pooled two-proportion
 * z-test squared (the same p). Evidently's chi-square is a goodness-of-fit test against the reference's shares; this
 * one is the test of homogeneity (the reference is a sample too). Its Jensen–Shannon for numbers uses 30 Sturges bins
 * of both sides together; here the 10 reference quantile bins of the PSI.
 */
export function classicVerdict(kind: 'number' | 'category', referenceValues: number, figures: NumericFigures | CategoryFigures | null, options: { pValue: number; practical: number }): Verdict {
  const small = referenceValues <= CLASSIC_MAX_TEST_ROWS;
  const method: Method = small ? (kind === 'number' ? 'ks' : 'chi2') : autoMethod(kind);
  const threshold = small ? options.pValue : options.practical;
  if (!figures) return { method, value: null, threshold, drifted: true };
  const value = figureOf(method, figures);
  return { method, value, threshold, drifted: judge(method, value, threshold) };
}

/** Checks a person's override for a column of this kind; a method that does not apply is AppError naming the column. */
export function checkOverride(column: string, kind: 'number' | 'category', override: ColumnDriftOverride | undefined): ColumnDriftOverride {
  if (!override) return {};
  const { method, threshold } = override;
  if (method !== undefined && method !== 'auto' && !(kind === 'number' ? NUMERIC : CATEGORY).has(method)) {
    throw new AppError('bad-argument', `Column "${column}" is a ${kind === 'number' ? 'numeric' : 'category'} column: method "${method}" does not apply (use ${[...(kind === 'number' ? NUMERIC : CATEGORY), 'auto'].join(', ')})`, { column });
  }
  if (threshold !== undefined && !(threshold > 0 && threshold < Infinity)) {
    throw new AppError('bad-argument', `Column "${column}": threshold must be a positive number; got ${threshold}`, { column });
  }
  return override;
}

export interface RuleInput {
  kind: 'number' | 'category';
  figures: NumericFigures | CategoryFigures;
  noise95: number;
  practical: number;
  pValue: number;
  override: ColumnDriftOverride;
}

/** The column's own verdict: the one rule by default, or the person's method and bar. */
export function columnVerdict(input: RuleInput): Pick<ColumnDrift, 'method' | 'value' | 'threshold' | 'drifted' | 'practical'> {
  const { kind, figures, override } = input;
  if (!override.method || override.method === 'auto') {
    const practical = override.threshold ?? input.practical;
    const method = autoMethod(kind);
    const value = figureOf(method, figures);
    const threshold = Math.max(practical, input.noise95);
    return { method, value, threshold, drifted: value > threshold, practical };
  }
  const method = override.method;
  const threshold = override.threshold ?? (TESTS.has(method) ? input.pValue : PRACTICAL_THRESHOLD);
  const value = figureOf(method, figures);
  return { method, value, threshold, drifted: judge(method, value, threshold), practical: input.practical };
}
