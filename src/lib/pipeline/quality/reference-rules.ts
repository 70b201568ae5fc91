// Batch-vs-reference rules: row count change, missing share increase, new or vanished categories, reference range, mean shift.
import { isNumericColumn, isStringColumn, numericToString } from '../table.ts';
import type { Column, DataTable, NumericColumn } from '../types.ts';
import {
  baseOf, displayValue, EPSILON, formatNumber, formatPercent, MAX_EXAMPLES, notNull, tallyResult, unknownColumn, wholeFailure, type Tally,
} from './rule-results.ts';
import type { Rule, RuleResult } from './types.ts';

/** Rules that compare the checked batch with a reference version. */
export type ReferenceRule = Extract<Rule, { kind: 'row-count-change' | 'missing-share-change' | 'categories-match' | 'within-reference-range' | 'mean-shift' }>;

const REFERENCE_KINDS = new Set<string>(['row-count-change', 'missing-share-change', 'categories-match', 'within-reference-range', 'mean-shift']);

export function isReferenceRule(rule: Rule): rule is ReferenceRule {
  return REFERENCE_KINDS.has(rule.kind);
}

/** Whether rules of this kind compare the batch with a reference. */
export function isReferenceKind(kind: Rule['kind']): boolean {
  return REFERENCE_KINDS.has(kind);
}

/** Levels listed by name in a categories-match message. */
const MAX_LISTED_LEVELS = 10;

/** Runs a batch-vs-reference rule; without a reference it fails with a message saying so. */
export function runReferenceRule(table: DataTable, rule: ReferenceRule, reference: DataTable | undefined): RuleResult {
  const base = baseOf(rule);
  if (!reference) {
    return { ...base, ...wholeFailure(`Rule ${rule.kind}: needs a reference version to compare with (there is none, e.g. for a dataset's first version)`) };
  }
  if (rule.kind === 'row-count-change') return rowCountChange(table, rule, reference);
  const column = table.columns.find((c) => c.name === rule.column);
  if (!column) return { ...base, ...wholeFailure(unknownColumn(table, rule.kind, rule.column)) };
  const refColumn = reference.columns.find((c) => c.name === rule.column);
  if (!refColumn) return { ...base, ...wholeFailure(unknownColumn(reference, rule.kind, rule.column, ' in the reference version')) };
  switch (rule.kind) {
    case 'missing-share-change':
      return missingShareChange(table, rule, column, reference, refColumn);
    case 'categories-match':
      return categoriesMatch(rule, column, refColumn);
    case 'within-reference-range':
    case 'mean-shift': {
      for (const [c, where] of [[column, ''], [refColumn, ' in the reference version']] as const) {
        if (!isNumericColumn(c) || c.type === 'boolean') {
          return { ...base, ...wholeFailure(`Rule ${rule.kind}: column "${c.name}"${where} is ${c.type}, not numeric`) };
        }
      }
      const stats = numericStats(refColumn as NumericColumn);
      if (stats.count === 0) return { ...base, ...wholeFailure(`Rule ${rule.kind}: column "${column.name}" has no values in the reference version`) };
      return rule.kind === 'mean-shift'
        ? meanShift(rule, column as NumericColumn, stats)
        : withinRange(rule, column as NumericColumn, stats);
    }
  }
}

/** |rows − reference rows| / reference rows; a table-level rule (mostly does not apply). */
function rowCountChange(table: DataTable, rule: Extract<Rule, { kind: 'row-count-change' }>, reference: DataTable): RuleResult {
  const rows = table.rowCount;
  const refRows = reference.rowCount;
  const change = refRows === 0 ? (rows === 0 ? 0 : Infinity) : (rows - refRows) / refRows;
  const passed = Math.abs(change) <= rule.maxChange + EPSILON;
  const result = { ...baseOf(rule), observed: change };
  if (passed) return { ...result, passed, failingShare: 0, failingCount: 0, examples: [] };
  const shown = Number.isFinite(change) ? `${change > 0 ? '+' : '−'}${formatPercent(Math.abs(change))}` : 'the reference has none';
  return {
    ...result,
    ...wholeFailure(`Rule row-count-change: ${rows} rows vs ${refRows} in the reference (${shown}), allowed ±${formatPercent(rule.maxChange)}`),
  };
}

/**
 * Batch missing share − reference missing share ≤ maxIncrease. The failing count, share and examples are the
 * batch's missing cells (for the user to look at); whether it passes depends on the increase only.
 */
function missingShareChange(
  table: DataTable,
  rule: Extract<Rule, { kind: 'missing-share-change' }>,
  column: Column,
  reference: DataTable,
  refColumn: Column,
): RuleResult {
  const tally = notNull(column, table.rowCount);
  const refMissing = notNull(refColumn, reference.rowCount).failing;
  const share = table.rowCount > 0 ? tally.failing / table.rowCount : 0;
  const refShare = reference.rowCount > 0 ? refMissing / reference.rowCount : 0;
  const increase = share - refShare;
  const passed = increase <= rule.maxIncrease + EPSILON;
  const result: RuleResult = {
    ...baseOf(rule),
    passed,
    failingShare: share,
    failingCount: tally.failing,
    examples: tally.rows.map((row) => ({ row: row + 1, value: null })),
    observed: increase,
  };
  if (!passed) {
    result.message = `Rule missing-share-change: ${formatPercent(share)} of "${column.name}" is missing vs ${formatPercent(refShare)} in the reference (+${formatPoints(increase)} points), allowed +${formatPoints(rule.maxIncrease)} points`;
  }
  return result;
}

/**
 * 'new': cells whose level the reference never has fail (`mostly` applies, over non-missing cells);
 * 'vanished': any reference level absent from the batch fails the rule; 'both' (the default): both checks.
 */
function categoriesMatch(rule: Extract<Rule, { kind: 'categories-match' }>, column: Column, refColumn: Column): RuleResult {
  const check = rule.check ?? 'both';
  const refLevels = presentTexts(refColumn);
  const batchLevels = presentTexts(column);
  const known = new Set(refLevels);
  const newLevels = batchLevels.filter((level) => !known.has(level));
  const present = new Set(batchLevels);
  const vanished = refLevels.filter((level) => !present.has(level));
  const tally = check === 'vanished' ? { checked: 0, failing: 0, rows: [] } : cellsOutside(column, known);
  const result = tallyResult(rule, tally, (row) => displayValue(column, row));
  const problems: string[] = [];
  if (check !== 'vanished' && newLevels.length > 0) {
    problems.push(`${newLevels.length} ${newLevels.length === 1 ? 'level' : 'levels'} not in the reference: ${levelList(newLevels)}`);
  }
  if (check !== 'new' && vanished.length > 0) {
    problems.push(`${vanished.length} reference ${vanished.length === 1 ? 'level' : 'levels'} missing from the batch: ${levelList(vanished)}`);
    result.passed = false;
    if (check === 'vanished') result.failingShare = 1;
  }
  if (!result.passed) result.message = `Rule categories-match: ${problems.join('; ')}`;
  return result;
}

/** Cells outside [reference min, reference max] fail; missing cells are skipped; `mostly` applies. */
function withinRange(rule: Extract<Rule, { kind: 'within-reference-range' }>, column: NumericColumn, ref: Stats): RuleResult {
  const values = column.values;
  const tally: Tally = { checked: 0, failing: 0, rows: [] };
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v !== v) continue;
    tally.checked++;
    if (v >= ref.min && v <= ref.max) continue;
    tally.failing++;
    if (tally.rows.length < MAX_EXAMPLES) tally.rows.push(i);
  }
  const result = tallyResult(rule, tally, (row) => displayValue(column, row));
  if (!result.passed) {
    const show = (v: number) => (column.type === 'date' ? numericToString(column, v) : formatNumber(v));
    result.message = `Rule within-reference-range: ${tally.failing} of ${tally.checked} values outside the reference's range ${show(ref.min)} to ${show(ref.max)}`;
  }
  return result;
}

/** |mean − reference mean| / reference std (population) ≤ tolerance; an absolute difference when the reference is constant. */
function meanShift(rule: Extract<Rule, { kind: 'mean-shift' }>, column: NumericColumn, ref: Stats): RuleResult {
  const base = baseOf(rule);
  const stats = numericStats(column);
  if (stats.count === 0) return { ...base, ...wholeFailure(`Rule mean-shift: column "${column.name}" has no values`) };
  const diff = Math.abs(stats.mean - ref.mean);
  const shift = ref.std > 0 ? diff / ref.std : diff;
  const passed = shift <= rule.tolerance + EPSILON;
  const result = { ...base, observed: shift };
  if (passed) return { ...result, passed, failingShare: 0, failingCount: 0, examples: [] };
  const unit = ref.std > 0 ? ` (${formatNumber(shift)} reference standard deviations)` : ' (the reference is constant: compared as is)';
  return {
    ...result,
    ...wholeFailure(
      `Rule mean-shift: mean ${formatNumber(stats.mean)} vs ${formatNumber(ref.mean)} in the reference, a shift of ${formatNumber(diff)}${unit}, allowed ${formatNumber(rule.tolerance)}`,
    ),
  };
}

interface Stats {
  count: number;
  min: number;
  max: number;
  mean: number;
  /** Population standard deviation. */
  std: number;
}

/** Count, min, max, mean and population std of the non-missing values (Welford). */
function numericStats(column: NumericColumn): Stats {
  const values = column.values;
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v !== v) continue;
    count++;
    if (v < min) min = v;
    if (v > max) max = v;
    const delta = v - mean;
    mean += delta / count;
    m2 += delta * (v - mean);
  }
  return { count, min, max, mean, std: count > 0 ? Math.sqrt(m2 / count) : 0 };
}

/** The distinct text values a column holds (numbers by their text form), in order of first appearance. */
function presentTexts(column: Column): string[] {
  if (isStringColumn(column)) {
    const first = new Int32Array(column.levels.length).fill(-1);
    const { codes } = column;
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i] as number;
      if (c >= 0 && (first[c] as number) < 0) first[c] = i;
    }
    const used = column.levels.map((level, code) => ({ level, at: first[code] as number })).filter((x) => x.at >= 0);
    return used.sort((a, b) => a.at - b.at).map((x) => x.level);
  }
  const seen = new Set<number>();
  const out: string[] = [];
  const values = column.values;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v !== v || seen.has(v)) continue;
    seen.add(v);
    out.push(numericToString(column, v));
  }
  return [...new Set(out)];
}

/** Non-missing cells whose text is not in `known` fail. */
function cellsOutside(column: Column, known: Set<string>): Tally {
  const tally: Tally = { checked: 0, failing: 0, rows: [] };
  const fail = (i: number) => {
    tally.failing++;
    if (tally.rows.length < MAX_EXAMPLES) tally.rows.push(i);
  };
  if (isStringColumn(column)) {
    const outside = Uint8Array.from(column.levels, (level) => (known.has(level) ? 0 : 1));
    const { codes } = column;
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i] as number;
      if (c < 0) continue;
      tally.checked++;
      if (outside[c] === 1) fail(i);
    }
    return tally;
  }
  const memo = new Map<number, boolean>();
  const values = column.values;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v !== v) continue;
    tally.checked++;
    let out = memo.get(v);
    if (out === undefined) {
      out = !known.has(numericToString(column, v));
      memo.set(v, out);
    }
    if (out) fail(i);
  }
  return tally;
}

function levelList(levels: string[]): string {
  const shown = levels.slice(0, MAX_LISTED_LEVELS).map((l) => `"${l}"`).join(', ');
  return levels.length > MAX_LISTED_LEVELS ? `${shown} and ${levels.length - MAX_LISTED_LEVELS} more` : shown;
}

/** A share difference in percentage points, e.g. 0.053 → '5.3'. */
function formatPoints(share: number): string {
  return String(Number((share * 100).toFixed(1)));
}
