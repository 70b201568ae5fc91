// Types of the Check stage: rule suites (data quality gates) and the reports running them produces.
import type { ColumnType, DataTable } from '../types.ts';

/** How a failed rule is treated: 'warn' is reported, 'block' also stops the pipeline. */
export type RuleSeverity = 'warn' | 'block';

/** Fields every rule has. */
export interface RuleBase {
  /** Unique within its suite; names the rule in reports and errors. */
  id: string;
  /** Share (0..1) of the checked cells or rows that must pass; default 1. */
  mostly?: number;
  severity: RuleSeverity;
}

/**
 * One check. Value rules (in-range, allowed-values, matches-pattern, unique) skip missing cells, which only
 * not-null counts; their share is over the non-missing cells. Patterns are searched (not anchored): write
 * `^…$` for a whole-value match. Numeric, boolean and date cells are matched as their text form (dates as
 * ISO strings, booleans as true/false); in-range compares dates as epoch milliseconds (UTC). has-type passes
 * the same type (and 'number' for an integer column); a column of another type (or in-range on a string
 * column) fails every non-missing cell and the rule, whatever `mostly` says. no-duplicate-rows compares all
 * columns unless `columns` names some; a row repeating an earlier one fails, missing equal to missing.
 */
export type Rule =
  | (RuleBase & { kind: 'not-null'; column: string })
  | (RuleBase & { kind: 'unique'; column: string })
  | (RuleBase & { kind: 'in-range'; column: string; min?: number; max?: number })
  | (RuleBase & { kind: 'allowed-values'; column: string; values: string[] })
  | (RuleBase & { kind: 'matches-pattern'; column: string; pattern: string })
  | (RuleBase & { kind: 'has-type'; column: string; type: ColumnType })
  | (RuleBase & { kind: 'row-count-between'; min?: number; max?: number })
  | (RuleBase & { kind: 'no-duplicate-rows'; columns?: string[] })
  /**
   * A custom condition: an Arquero table expression over a row, e.g. `d => d.Year <= 2026 || d.Year == null`,
   * or the shorthand `d.Year <= 2026` (wrapped as `d => (…)`). Parsed by Arquero's own parser; anything else is
   * rejected with a message. A row passes when the expression is truthy (false, null, NaN, 0 and "" fail); the
   * share is over all rows. In the expression a missing cell is null, integer/number cells are numbers,
   * booleans true/false, dates Date objects (UTC instants: use op.utcyear etc.), category/text cells strings.
   * JavaScript semantics apply: `null >= 18` is false but `null <= 120` is true, so test `d.x == null` first.
   * Allowed: column references (`d.x`, `d["Release Date"]`), literals, operators, `? :`, `.length` and op.*
   * row functions and aggregates (op.mean…); not statements, other calls, globals or window functions (see
   * expression.ts). Examples show `column` when given, else the referenced columns' values. An expression
   * that does not parse throws AppError 'bad-expression'; one reading a column the table lacks fails the rule
   * with a message (like any rule naming an unknown column).
   */
  | (RuleBase & { kind: 'expression'; expression: string; column?: string })
  // Rules comparing the checked batch with a reference version (by default the parent version). Without a
  // reference (SuiteOptions.reference) they fail with the message "needs a reference version". A column the
  // batch or the reference lacks fails the rule with a message. `mostly` applies only to the cell-level ones
  // (categories-match's new levels, within-reference-range); the others are table-level.
  /** |rows − reference rows| / reference rows ≤ maxChange (e.g. 0.5 = ±50%). `observed` is the signed change. */
  | (RuleBase & { kind: 'row-count-change'; maxChange: number })
  /**
   * missing share − reference missing share ≤ maxIncrease (absolute, e.g. 0.05; shares over all rows).
   * failingCount/failingShare/examples are the batch's missing cells; `observed` is the increase.
   */
  | (RuleBase & { kind: 'missing-share-change'; column: string; maxIncrease: number })
  /**
   * No category levels absent from the reference ('new': cells with such levels fail, examples are those
   * rows), or none of the reference's gone ('vanished': fails as a whole), or 'both' (the default). Levels
   * compare as text (numbers by their text form); the message lists up to 10 new and vanished levels.
   */
  | (RuleBase & { kind: 'categories-match'; column: string; check?: 'new' | 'vanished' | 'both' })
  /** Values within [reference min, reference max] (cells outside fail; missing skipped; numeric and date columns only). */
  | (RuleBase & { kind: 'within-reference-range'; column: string })
  /**
   * |mean − reference mean| / reference std ≤ tolerance (in reference standard deviations, population std;
   * when the reference std is 0 the absolute difference is compared). `observed` is the shift.
   */
  | (RuleBase & { kind: 'mean-shift'; column: string; tolerance: number });

/** The kinds a rule can have. */
export type RuleKind = Rule['kind'];

/** A named, versioned list of rules, stored as plain JSON. */
export interface RuleSuite {
  name: string;
  version: number;
  rules: Rule[];
  /**
   * The dataset version (its number, e.g. 1) that batch-vs-reference rules compare every new version with;
   * absent: each version's parent (the batch before it).
   */
  reference?: number;
}

/** A failing cell shown to the user: its 1-based row and its display value (null when missing). */
export interface FailureExample {
  row: number;
  value: string | number | null;
}

/** The outcome of one rule. */
export interface RuleResult {
  id: string;
  kind: RuleKind;
  column?: string;
  severity: RuleSeverity;
  passed: boolean;
  /** failingCount over the cells or rows checked (0 when none were); 0 or 1 for table-level rules. */
  failingShare: number;
  failingCount: number;
  /** The first (at most 5) failing rows, in row order. */
  examples: FailureExample[];
  /** Why a rule failed as a whole: unknown column, wrong type, row count out of bounds, a change beyond its limit. */
  message?: string;
  /** Batch-vs-reference rules: the measured change (row-count change share, missing-share increase, mean shift). */
  observed?: number;
}

/** The outcome of a suite. */
export interface SuiteReport {
  suite: string;
  version: number;
  rows: number;
  rules: RuleResult[];
  /** True when any rule of severity 'block' failed. */
  blocked: boolean;
  /** Rows of the reference the batch rules compared with, when there was one. */
  referenceRows?: number;
  /** Rows the batch rules compared with the reference when they were the rows an append added, not the whole table. */
  batchRows?: number;
}

/** What `runSuite` may compare with: the reference version's table (reference rules fail with a message without it). */
export interface SuiteOptions {
  reference?: DataTable;
  /**
   * The rows of the checked table that are the batch (an append's added rows, ascending): batch-vs-reference
   * rules compare only them with the reference (examples keep their rows in the table); absent: the whole table.
   */
  batchRows?: Int32Array;
}
