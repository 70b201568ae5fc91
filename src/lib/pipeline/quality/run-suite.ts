// Runs a rule suite over a table with typed-array loops and reports, per rule, failing counts, shares and example rows.
import { AppError } from '../errors.ts';
import { isNumericColumn, isStringColumn, numericToString } from '../table.ts';
import type { Column, DataTable, NumericColumn } from '../types.ts';
import { evaluateParsed, parseRowExpression } from './expression.ts';
import { isReferenceRule, runReferenceRule, type ReferenceRule } from './reference-rules.ts';
import { rowsAt } from '../batch-rows.ts';
import { firstEqualRows } from './row-hash.ts';
import {
  baseOf, displayValue, EPSILON, MAX_EXAMPLES, notNull, tallyResult, typeFailure, unknownColumn, wholeFailure, type Tally,
} from './rule-results.ts';
import type { FailureExample, Rule, RuleResult, RuleSuite, SuiteOptions, SuiteReport } from './types.ts';
import { validateRule, validateRules } from './validate.ts';

export { MAX_EXAMPLES } from './rule-results.ts';

/** Converted columns kept while one suite runs, shared by its expression rules. */
type ExpressionCache = Map<Column, ArrayLike<unknown>>;

/**
 * Runs every rule of the suite on the table; batch-vs-reference rules compare the batch (`options.batchRows`,
 * else the whole table) with `options.reference` (and fail with a message without one). A rule naming a column the table lacks fails with a message naming it; a
 * suite that is malformed (duplicate ids, mostly outside 0..1, min above max, a bad pattern, a missing field)
 * throws an AppError 'bad-argument' naming the rule, an expression that does not parse 'bad-expression'.
 */
export function runSuite(table: DataTable, suite: RuleSuite, options: SuiteOptions = {}): SuiteReport {
  validateRules(suite.rules);
  const cache: ExpressionCache = new Map();
  const batch = batchOf(table, options);
  const rules = suite.rules.map((rule) => evaluateRule(table, rule, options, cache, batch));
  const report: SuiteReport = {
    suite: suite.name,
    version: suite.version,
    rows: table.rowCount,
    rules,
    blocked: rules.some((r) => !r.passed && r.severity === 'block'),
  };
  if (options.reference) report.referenceRows = options.reference.rowCount;
  if (options.reference && options.batchRows) report.batchRows = options.batchRows.length;
  return report;
}

/** The rows batch rules check: the batch's rows of the table when options name them (made once per suite), else the table. */
function batchOf(table: DataTable, options: SuiteOptions): () => DataTable {
  let made: DataTable | undefined;
  return () => (made ??= options.batchRows ? rowsAt(table, options.batchRows) : table);
}

/** A batch rule's result on the batch, its example rows numbered as rows of the whole table. */
function batchRule(table: DataTable, rule: ReferenceRule, options: SuiteOptions, batch: () => DataTable): RuleResult {
  const result = runReferenceRule(batch(), rule, options.reference);
  const rows = options.batchRows;
  if (!rows || !options.reference) return result;
  return { ...result, examples: result.examples.map((e) => ({ ...e, row: (rows[e.row - 1] as number) + 1 })) };
}

/** Runs one rule (see runSuite). */
export function runRule(table: DataTable, rule: Rule, options: SuiteOptions = {}): RuleResult {
  validateRule(rule);
  return evaluateRule(table, rule, options, new Map(), batchOf(table, options));
}

function evaluateRule(table: DataTable, rule: Rule, options: SuiteOptions, cache: ExpressionCache, batch: () => DataTable): RuleResult {
  if (rule.kind === 'row-count-between') return rowCountRule(table, rule);
  if (rule.kind === 'no-duplicate-rows') return duplicateRowsRule(table, rule, rule.mostly ?? 1);
  if (rule.kind === 'expression') return expressionRule(table, rule, cache);
  if (isReferenceRule(rule)) return batchRule(table, rule, options, batch);
  const column = table.columns.find((c) => c.name === rule.column);
  const base = baseOf(rule);
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
  return tallyResult(rule, tally, (row) => displayValue(column, row));
}

/**
 * Rows where the expression is falsy fail (share over all rows). An expression reading a column the table
 * lacks, or a `column` the table lacks, fails the rule with a message; one that does not parse throws.
 */
function expressionRule(table: DataTable, rule: Extract<Rule, { kind: 'expression' }>, cache: ExpressionCache): RuleResult {
  const context = `Rule ${rule.id}`;
  const parsed = parseRowExpression(rule.expression, undefined, context);
  const names = new Set(table.columns.map((c) => c.name));
  const unknown = parsed.columns.find((name) => !names.has(name));
  if (unknown !== undefined) return { ...baseOf(rule), ...wholeFailure(`${context}: unknown column "${unknown}" in ${rule.expression.trim()}`) };
  if (rule.column !== undefined && !names.has(rule.column)) return { ...baseOf(rule), ...wholeFailure(unknownColumn(table, rule.kind, rule.column)) };
  const truth = evaluateParsed(table, parsed, cache, context);
  const n = table.rowCount;
  const tally: Tally = { checked: n, failing: 0, rows: [] };
  for (let i = 0; i < n; i++) {
    if (truth[i] === 1) continue;
    tally.failing++;
    if (tally.rows.length < MAX_EXAMPLES) tally.rows.push(i);
  }
  const shown = (rule.column !== undefined ? [rule.column] : parsed.columns).map((name) => table.columns.find((c) => c.name === name) as Column);
  const example = (row: number): FailureExample['value'] => {
    if (shown.length === 0) return null;
    if (shown.length === 1) return displayValue(shown[0] as Column, row);
    return shown.map((c) => `${c.name}: ${displayValue(c, row) ?? 'missing'}`).join(', ');
  };
  return tallyResult(rule, tally, example);
}

function compile(id: string, pattern: string, column: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('bad-argument', `Rule ${id}: invalid pattern /${pattern}/: ${reason}`, { column });
  }
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
