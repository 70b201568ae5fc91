// Checks rule suites read from JSON or edited by the user: every field of every rule, naming the rule and the field.
import { AppError } from '../errors.ts';
import { jsonValue } from '../json-text.ts';
import type { ColumnType } from '../types.ts';
import { parseRowExpression } from './expression.ts';
import type { Rule, RuleKind, RuleSuite } from './types.ts';

const KINDS: readonly RuleKind[] = [
  'not-null', 'unique', 'in-range', 'allowed-values', 'matches-pattern', 'has-type', 'row-count-between',
  'no-duplicate-rows', 'expression', 'row-count-change', 'missing-share-change', 'categories-match',
  'within-reference-range', 'mean-shift',
];
const TYPES: readonly ColumnType[] = ['integer', 'number', 'boolean', 'date', 'category', 'text'];
const CHECKS = ['new', 'vanished', 'both'];

/**
 * Parses a stored or imported suite (a JSON value, or its text): `name` (text), `version` (an integer ≥ 0)
 * and `rules` (checked by {@link validateRules}). Throws AppError 'bad-argument' naming what is wrong.
 */
export function parseSuite(json: unknown, columns?: string[]): RuleSuite {
  const value = jsonValue(json, 'The rule suite', 'bad-argument');
  if (!isRecord(value)) throw new AppError('bad-argument', `A rule suite must be an object with name, version and rules; got ${describe(value)}`);
  const { name, version, rules } = value;
  if (typeof name !== 'string' || name.trim() === '') throw new AppError('bad-argument', `The rule suite's name must be non-empty text, not ${describe(name)}`);
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new AppError('bad-argument', `The rule suite's version must be a whole number ≥ 0, not ${describe(version)}`);
  }
  if (!Array.isArray(rules)) throw new AppError('bad-argument', `The rule suite's rules must be a list, not ${describe(rules)}`);
  validateRules(rules as Rule[], columns);
  const { reference } = value;
  if (reference !== undefined && !(typeof reference === 'number' && Number.isInteger(reference) && reference >= 1)) {
    throw new AppError('bad-argument', `The rule suite's reference must be a version number (1 or more), not ${describe(reference)}`);
  }
  return { name, version, rules: rules as Rule[], ...(reference !== undefined ? { reference } : {}) };
}

/**
 * Throws AppError 'bad-argument' for the first malformed rule: a missing or repeated id, an unknown kind or
 * severity, mostly outside 0..1, a missing or mistyped field (min above max, an invalid pattern, an unknown
 * type, a negative tolerance). With `columns`, a rule naming another column is rejected too. An expression
 * that does not parse (or reads an unknown column) throws 'bad-expression' from validateExpression.
 */
export function validateRules(rules: Rule[], columns?: string[]): void {
  if (!Array.isArray(rules)) throw new AppError('bad-argument', `Rules must be a list, not ${describe(rules)}`);
  const ids = new Set<string>();
  rules.forEach((rule, index) => {
    validateRule(rule, columns, index);
    if (ids.has(rule.id)) throw new AppError('bad-argument', `Rule ${rule.id}: the id is used by another rule of the suite`);
    ids.add(rule.id);
  });
}

/** Checks one rule (see {@link validateRules}); `index` names a rule without an id. */
export function validateRule(rule: Rule, columns?: readonly string[], index?: number): void {
  const label = isRecord(rule) && typeof rule.id === 'string' && rule.id !== '' ? `Rule ${rule.id}` : `Rule #${(index ?? 0) + 1}`;
  const bad = (message: string, column?: string): never => {
    throw new AppError('bad-argument', `${label}: ${message}`, column === undefined ? {} : { column });
  };
  if (!isRecord(rule)) return bad(`a rule must be an object, not ${describe(rule)}`);
  const r = rule as unknown as Record<string, unknown>;
  if (typeof r.id !== 'string' || r.id.trim() === '') bad(`id must be non-empty text, not ${describe(r.id)}`);
  if (!KINDS.includes(r.kind as RuleKind)) bad(`kind must be one of ${KINDS.join(', ')}, not ${describe(r.kind)}`);
  if (r.severity !== 'warn' && r.severity !== 'block') bad(`severity must be "warn" or "block", not ${describe(r.severity)}`);
  if (r.mostly !== undefined && !(typeof r.mostly === 'number' && r.mostly >= 0 && r.mostly <= 1)) {
    bad(`mostly must be between 0 and 1, not ${typeof r.mostly === 'number' ? r.mostly : describe(r.mostly)}`);
  }
  const column = (): string => {
    const name = r.column;
    if (typeof name !== 'string' || name === '') return bad(`column must be a column name, not ${describe(name)}`);
    if (columns && !columns.includes(name)) return bad(`column "${name}" is not a column of the data; columns are: ${listed(columns)}`, name);
    return name;
  };
  const optionalNumber = (field: string): number | undefined => {
    const value = r[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || Number.isNaN(value)) return bad(`${field} must be a number, not ${describe(value)}`);
    return value;
  };
  const nonNegative = (field: string, max = Infinity): void => {
    const value = r[field];
    if (typeof value !== 'number' || !(value >= 0 && value <= max)) {
      bad(`${field} must be a number ${max === Infinity ? '≥ 0' : `between 0 and ${max}`}, not ${describe(value)}`);
    }
  };
  const bounds = (): void => {
    const min = optionalNumber('min');
    const max = optionalNumber('max');
    if (min !== undefined && max !== undefined && min > max) bad(`min (${min}) must not be above max (${max})`, r.column as string | undefined);
  };
  switch (rule.kind) {
    case 'not-null':
    case 'unique':
    case 'within-reference-range':
      column();
      return;
    case 'in-range':
      column();
      bounds();
      return;
    case 'allowed-values':
      column();
      if (!Array.isArray(r.values) || !r.values.every((v) => typeof v === 'string')) bad(`values must be a list of text values, not ${describe(r.values)}`);
      return;
    case 'matches-pattern': {
      const name = column();
      if (typeof r.pattern !== 'string') bad(`pattern must be text, not ${describe(r.pattern)}`);
      try {
        new RegExp(r.pattern as string);
      } catch (error) {
        bad(`invalid pattern /${String(r.pattern)}/: ${error instanceof Error ? error.message : String(error)}`, name);
      }
      return;
    }
    case 'has-type':
      column();
      if (!TYPES.includes(r.type as ColumnType)) bad(`type must be one of ${TYPES.join(', ')}, not ${describe(r.type)}`);
      return;
    case 'row-count-between':
      bounds();
      return;
    case 'no-duplicate-rows':
      if (r.columns === undefined) return;
      if (!Array.isArray(r.columns) || r.columns.length === 0 || !r.columns.every((c) => typeof c === 'string')) {
        bad(`columns must be a non-empty list of column names, not ${describe(r.columns)}`);
      }
      if (columns) {
        const unknown = (r.columns as string[]).find((c) => !columns.includes(c));
        if (unknown !== undefined) bad(`columns names "${unknown}", which is not a column of the data; columns are: ${listed(columns)}`, unknown);
      }
      return;
    case 'expression':
      if (r.column !== undefined) column();
      if (typeof r.expression !== 'string') bad(`expression must be text, not ${describe(r.expression)}`);
      parseRowExpression(r.expression as string, columns, label);
      return;
    case 'row-count-change':
      nonNegative('maxChange');
      return;
    case 'missing-share-change':
      column();
      nonNegative('maxIncrease', 1);
      return;
    case 'categories-match':
      column();
      if (r.check !== undefined && !CHECKS.includes(r.check as string)) bad(`check must be "new", "vanished" or "both", not ${describe(r.check)}`);
      return;
    case 'mean-shift':
      column();
      nonNegative('tolerance');
      return;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A bad value for a message: short JSON, or its kind. */
function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  try {
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 60)}…` : text;
  } catch {
    return typeof value;
  }
}

function listed(columns: readonly string[]): string {
  const names = columns.map((c) => `"${c}"`);
  return names.length > 12 ? `${names.slice(0, 12).join(', ')} and ${names.length - 12} more` : names.join(', ');
}
