// Runs a rule suite over a table with typed-array loops and reports, per rule, failing counts, shares and example rows.
import { AppError } from '../errors.ts';
import { cellValue, isNumericColumn, isStringColumn, numericToString } from '../table.ts';
import type { Column, DataTable, NumericColumn } from '../types.ts';
import { firstEqualRows } from './row-hash.ts';
import type { FailureExample, Rule, RuleResult, RuleSuite, SuiteReport } from './types.ts';

/** Most example rows kept per rule. */
export const MAX_EXAMPLES = 5;

/** Slack when comparing shares, so that e.g. 1 failure in 10 passes mostly 0.9. */
const EPSILON = 1e-9;

/** Failing rows counted by a rule: the count and the first few 0-based rows. */
interface Tally {
  checked: number;
  failing: number;
  rows: number[];
}

/**
 * Runs every rule of the suite on the table. A rule naming a column the table lacks fails with a message
 * naming it; a suite that is malformed (duplicate ids, mostly outside 0..1, min above max, a bad pattern)
 * throws an AppError 'bad-argument' naming the rule.
 */
export function runSuite(table: DataTable, suite: RuleSuite): SuiteReport {
  const ids = new Set<string>();
  for (const rule of suite.rules) {
    if (ids.has(rule.id)) throw new AppError('bad-argument', `Rule ${rule.id}: the id is used by another rule of the suite`);
    ids.add(rule.id);
  }
  const rules = suite.rules.map((rule) => runRule(table, rule));
  return {
    suite: suite.name,
    version: suite.version,
    rows: table.rowCount,
    rules,
    blocked: rules.some((r) => !r.passed && r.severity === 'block'),
  };
}

/** Runs one rule. */
export function runRule(table: DataTable, rule: Rule): RuleResult {
  const mostly = rule.mostly ?? 1;
  if (!(mostly >= 0 && mostly <= 1)) throw new AppError('bad-argument', `Rule ${rule.id}: mostly must be between 0 and 1, not ${mostly}`);
  if (rule.kind === 'row-count-between') return rowCountRule(table, rule);
  if (rule.kind === 'no-duplicate-rows') return duplicateRowsRule(table, rule, mostly);
  const column = table.columns.find((c) => c.name === rule.column);
  const base = { id: rule.id, kind: rule.kind, column: rule.column, severity: rule.severity };
  if (!column) return { ...base, ...wholeFailure(unknownColumn(table, rule.kind, rule.column)) };
  let tally: Tally;
  switch (rule.kind) {
    case 'not-null':
      tally = notNull(column, table.rowCount);
      break;
    case 'unique':
      tally = unique(column, table.rowCount);
      break;
    case 'in-range': {
      const { min = -Infinity, max = Infinity } = rule;
      if (Number.isNaN(min) || Number.isNaN(max) || min > max) {
        throw new AppError('bad-argument', `Rule ${rule.id}: min (${min}) must not be above max (${max})`, { column: rule.column });
      }
      if (!isNumericColumn(column)) {
        return { ...base, ...typeFailure(column, `Rule in-range: column "${column.name}" is ${column.type}, not numeric`) };
      }
      tally = inRange(column, min, max);
      break;
    }
    case 'allowed-values': {
      const allowed = new Set(rule.values);
      tally = cellsMatching(column, (text) => allowed.has(text));
      break;
    }
    case 'matches-pattern': {
      const regex = compile(rule.id, rule.pattern, rule.column);
      tally = cellsMatching(column, (text) => regex.test(text));
      break;
    }
    case 'has-type': {
      if (column.type === rule.type || (rule.type === 'number' && column.type === 'integer')) {
        tally = { checked: table.rowCount, failing: 0, rows: [] };
        break;
      }
      return { ...base, ...typeFailure(column, `Rule has-type: column "${column.name}" is ${column.type}, expected ${rule.type}`) };
    }
  }
  const failingShare = tally.checked > 0 ? tally.failing / tally.checked : 0;
  return {
    ...base,
    passed: failingShare <= 1 - mostly + EPSILON,
    failingShare,
    failingCount: tally.failing,
    examples: tally.rows.map((row) => ({ row: row + 1, value: displayValue(column, row) })),
  };
}

/** The result fields of a rule that fails as a whole, with no rows to show. */
function wholeFailure(message: string) {
  return { passed: false, failingShare: 1, failingCount: 0, examples: [] as FailureExample[], message };
}

/** A column of the wrong type: every non-missing cell fails, and the rule fails whatever `mostly` says. */
function typeFailure(column: Column, message: string) {
  const present = notNull(column, rowsOf(column));
  const failing = present.checked - present.failing;
  const rows: number[] = [];
  for (let i = 0; i < present.checked && rows.length < MAX_EXAMPLES; i++) if (!missing(column, i)) rows.push(i);
  return {
    passed: false,
    failingShare: 1,
    failingCount: failing,
    examples: rows.map((row) => ({ row: row + 1, value: displayValue(column, row) })),
    message,
  };
}

function unknownColumn(table: DataTable, kind: string, name: string): string {
  const names = table.columns.map((c) => `"${c.name}"`);
  const shown = names.length > 12 ? `${names.slice(0, 12).join(', ')} and ${names.length - 12} more` : names.join(', ');
  return `Rule ${kind}: unknown column "${name}"; columns are: ${shown}`;
}

function compile(id: string, pattern: string, column: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('bad-argument', `Rule ${id}: invalid pattern /${pattern}/: ${reason}`, { column });
  }
}

function rowsOf(column: Column): number {
  return isStringColumn(column) ? column.codes.length : column.values.length;
}

function missing(column: Column, row: number): boolean {
  return isStringColumn(column) ? (column.codes[row] as number) < 0 : Number.isNaN(column.values[row] as number);
}

/** A cell as an example value: booleans as true/false, dates as ISO strings, missing as null. */
function displayValue(column: Column, row: number): string | number | null {
  const value = cellValue(column, row);
  return typeof value === 'boolean' ? String(value) : value;
}

function notNull(column: Column, rowCount: number): Tally {
  const rows: number[] = [];
  let failing = 0;
  if (isStringColumn(column)) {
    const codes = column.codes;
    for (let i = 0; i < rowCount; i++) {
      if ((codes[i] as number) >= 0) continue;
      failing++;
      if (rows.length < MAX_EXAMPLES) rows.push(i);
    }
  } else {
    const values = column.values;
    for (let i = 0; i < rowCount; i++) {
      const v = values[i] as number;
      if (v === v) continue;
      failing++;
      if (rows.length < MAX_EXAMPLES) rows.push(i);
    }
  }
  return { checked: rowCount, failing, rows };
}

/** Later occurrences of a non-missing value fail; the first occurrence passes. */
function unique(column: Column, rowCount: number): Tally {
  const rows: number[] = [];
  let failing = 0;
  let checked = 0;
  if (isStringColumn(column)) {
    const codes = column.codes;
    const seen = new Uint8Array(column.levels.length);
    for (let i = 0; i < rowCount; i++) {
      const c = codes[i] as number;
      if (c < 0) continue;
      checked++;
      if (seen[c] === 0) seen[c] = 1;
      else {
        failing++;
        if (rows.length < MAX_EXAMPLES) rows.push(i);
      }
    }
    return { checked, failing, rows };
  }
  const first = firstEqualRows([column], rowCount);
  const values = column.values;
  for (let i = 0; i < rowCount; i++) {
    const v = values[i] as number;
    if (v !== v) continue;
    checked++;
    if ((first[i] as number) < 0) continue;
    failing++;
    if (rows.length < MAX_EXAMPLES) rows.push(i);
  }
  return { checked, failing, rows };
}

function inRange(column: NumericColumn, min: number, max: number): Tally {
  const values = column.values;
  const n = values.length;
  const rows: number[] = [];
  let failing = 0;
  let checked = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (v !== v) continue;
    checked++;
    if (v >= min && v <= max) continue;
    failing++;
    if (rows.length < MAX_EXAMPLES) rows.push(i);
  }
  return { checked, failing, rows };
}

/** Tests the text form of every non-missing cell, once per level (string columns) or distinct value (numbers). */
function cellsMatching(column: Column, test: (text: string) => boolean): Tally {
  const rows: number[] = [];
  let failing = 0;
  let checked = 0;
  if (isStringColumn(column)) {
    const ok = Uint8Array.from(column.levels, (level) => (test(level) ? 1 : 0));
    const codes = column.codes;
    const n = codes.length;
    for (let i = 0; i < n; i++) {
      const c = codes[i] as number;
      if (c < 0) continue;
      checked++;
      if (ok[c] === 1) continue;
      failing++;
      if (rows.length < MAX_EXAMPLES) rows.push(i);
    }
    return { checked, failing, rows };
  }
  const memo = new Map<number, boolean>();
  const values = column.values;
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (v !== v) continue;
    checked++;
    let ok = memo.get(v);
    if (ok === undefined) {
      ok = test(numericToString(column, v));
      memo.set(v, ok);
    }
    if (ok) continue;
    failing++;
    if (rows.length < MAX_EXAMPLES) rows.push(i);
  }
  return { checked, failing, rows };
}

function rowCountRule(table: DataTable, rule: Extract<Rule, { kind: 'row-count-between' }>): RuleResult {
  const { min = 0, max = Infinity } = rule;
  if (Number.isNaN(min) || Number.isNaN(max) || min > max) {
    throw new AppError('bad-argument', `Rule ${rule.id}: min (${min}) must not be above max (${max})`);
  }
  const rows = table.rowCount;
  const base = { id: rule.id, kind: rule.kind, severity: rule.severity };
  if (rows >= min && rows <= max) return { ...base, passed: true, failingShare: 0, failingCount: 0, examples: [] };
  const expected = rows < min ? `at least ${min}` : `at most ${max}`;
  return { ...base, ...wholeFailure(`Rule row-count-between: the table has ${rows} rows, expected ${expected}`) };
}

/** Rows that repeat an earlier row fail; the example value names the 1-based row they repeat. */
function duplicateRowsRule(table: DataTable, rule: Extract<Rule, { kind: 'no-duplicate-rows' }>, mostly: number): RuleResult {
  const base = { id: rule.id, kind: rule.kind, severity: rule.severity };
  const columns: Column[] = [];
  for (const name of rule.columns ?? table.columns.map((c) => c.name)) {
    const column = table.columns.find((c) => c.name === name);
    if (!column) return { ...base, ...wholeFailure(unknownColumn(table, rule.kind, name)) };
    columns.push(column);
  }
  const n = table.rowCount;
  const first = firstEqualRows(columns, n);
  const examples: FailureExample[] = [];
  let failing = 0;
  for (let i = 0; i < n; i++) {
    const head = first[i] as number;
    if (head < 0) continue;
    failing++;
    if (examples.length < MAX_EXAMPLES) examples.push({ row: i + 1, value: `same as row ${head + 1}` });
  }
  const failingShare = n > 0 ? failing / n : 0;
  return { ...base, passed: failingShare <= 1 - mostly + EPSILON, failingShare, failingCount: failing, examples };
}
