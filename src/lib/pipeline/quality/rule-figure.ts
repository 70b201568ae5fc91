// The one figure a rule's outcome is shown by (share and count failing), the same in the report's table and its chart.
import { formatPercent } from './rule-results.ts';
import type { RuleResult } from './types.ts';

/** Rules that judge the table as a whole (row counts, a mean): they have no failing cells to count. */
const TABLE_LEVEL_KINDS = new Set<RuleResult['kind']>(['row-count-between', 'row-count-change', 'mean-shift']);

export interface RuleFigure {
  /** 0..1: the bar's length; a rule that fails as a whole fails at 1. */
  share: number;
  /** The share as shown, e.g. '3.2%', '100%'. */
  shareText: string;
  /** What failed, as shown: a count of cells or rows, or 'whole table' for a rule that fails as a whole. */
  countText: string;
  /** The rule judges the table as a whole (or failed as a whole: unknown column, vanished levels). */
  whole: boolean;
}

/**
 * How a rule's outcome is shown everywhere. A table-level rule (row-count-between, row-count-change,
 * mean-shift) or any rule that failed with no failing cell to count fails as a whole: 100%, 'whole table';
 * when it passed, 0% and 0. Other rules show their failing share and count as measured.
 */
export function ruleFigure(result: RuleResult): RuleFigure {
  const whole = TABLE_LEVEL_KINDS.has(result.kind) || (!result.passed && result.failingCount === 0);
  if (whole) {
    return result.passed
      ? { share: 0, shareText: '0%', countText: '0', whole }
      : { share: 1, shareText: '100%', countText: 'whole table', whole };
  }
  const share = result.failingShare;
  return { share, shareText: formatPercent(share), countText: result.failingCount.toLocaleString('en-US'), whole };
}

/** A bar of the failed-rules chart: the rule, its figure and its severity. */
export interface FigureRow {
  rule: string;
  share: number;
  shareText: string;
  failing: string;
  severity: 'blocks' | 'warns';
}

/** The chart's bars, one per failed rule, from the same figures the table shows. */
export function figureRows(failed: RuleResult[]): FigureRow[] {
  return failed.map((r) => {
    const figure = ruleFigure(r);
    return { rule: r.id, share: figure.share, shareText: figure.shareText, failing: figure.countText, severity: r.severity === 'block' ? 'blocks' : 'warns' };
  });
}
