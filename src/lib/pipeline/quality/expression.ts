// Custom row conditions as Arquero expressions: validated with Arquero's own parser plus an allow-list, evaluated per row.
import * as aq from 'arquero';
import { AppError } from '../errors.ts';
import { isStringColumn } from '../table.ts';
import type { Column, DataTable } from '../types.ts';

/**
 * Window functions: they depend on row order and neighbours, so a condition using them is not about one row.
 * (Aggregates such as op.mean are allowed: they are computed over the whole table, then compared per row.)
 */
const WINDOW_FUNCTIONS = new Set([
  'row_number', 'rank', 'avg_rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile',
  'lag', 'lead', 'first_value', 'last_value', 'nth_value', 'fill_down', 'fill_up',
]);

/** Longest expression accepted (a rule is one condition, not a program). */
const MAX_LENGTH = 2000;

/** An arrow function (`d => …`, `(d) => …`, `({ a }) => …`) or a function expression at the start of the text. */
const FUNCTION_START = /^(?:async\s+)?(?:[A-Za-z_$][\w$]*|\([^()]*\))\s*=>|^(?:async\s+)?function\b/;

/** A checked expression: its normalized `d => …` text and the columns it reads, in order of first use. */
export interface ParsedExpression {
  expression: string;
  columns: string[];
}

/** Node of the AST that Arquero's parser returns (`parse(…, { ast: true })`). */
interface Node {
  type: string;
  [key: string]: unknown;
}

/**
 * Checks `expression` and returns its normalized form: `d => …` as written, or the shorthand `d.Year <= 2026`
 * wrapped as `d => (d.Year <= 2026)`. The expression must be one row condition that Arquero's parser accepts:
 * column references (`d.Year`, `d["Release Date"]`), literals, operators, `? :`, and `op.*` functions (row
 * functions and aggregates such as `op.mean`; not window functions). Statements, other function calls, global
 * names, property access other than `.length`, and (when `columns` is given) unknown columns are rejected
 * with AppError 'bad-expression': '<context>: <what is wrong> in <expression>'.
 * @param context names the owner in messages, e.g. 'Rule year-not-future' or 'Recipe step 3 (filter)'.
 */
export function validateExpression(expression: string, columns: string[], context = 'Expression'): string {
  return parseRowExpression(expression, columns, context).expression;
}

/** Like {@link validateExpression}, also returning the columns the expression reads; `columns` undefined skips the column check. */
export function parseRowExpression(expression: string, columns: readonly string[] | undefined, context = 'Expression'): ParsedExpression {
  const fail = (what: string): never => {
    const shown = typeof expression === 'string' ? shorten(expression.trim()) : String(expression);
    throw new AppError('bad-expression', `${context}: ${what} in ${shown}`);
  };
  if (typeof expression !== 'string') throw new AppError('bad-expression', `${context}: the expression must be text, not ${typeof expression}`);
  const text = expression.trim();
  if (text === '') throw new AppError('bad-expression', `${context}: the expression is empty`);
  if (text.length > MAX_LENGTH) fail(`the expression is longer than ${MAX_LENGTH} characters`);
  const normalized = FUNCTION_START.test(text) ? text : `d => (${text})`;
  let root: Node;
  try {
    root = (aq.parse({ condition: normalized }, { ast: true }).exprs[0] as Node | undefined) ?? fail('syntax error');
  } catch (error) {
    if (error instanceof AppError) throw error;
    return fail(arqueroReason(error instanceof Error ? error.message : String(error)));
  }
  const used: string[] = [];
  checkNode(root, used, fail);
  if (columns) {
    const known = new Set(columns);
    const unknown = used.find((name) => !known.has(name));
    if (unknown !== undefined) fail(`unknown column "${unknown}"`);
  }
  return { expression: normalized, columns: used };
}

/**
 * Evaluates a row condition over the table: 1 where it is truthy, 0 where it is falsy (false, null, NaN, 0,
 * ""). Throws AppError 'bad-expression' as {@link validateExpression} does. Cells are seen as: missing → null
 * (so `d.x == null` finds them); integer and number → numbers; boolean → true/false; date → a Date (UTC
 * instant: use `op.utcyear(d.date)` etc. for calendar parts, `op.year` reads local time; compare with `<`, `>`
 * or through `op.timestamp`, since `==` on two Dates compares identity); category and text → strings.
 */
export function evaluateExpression(table: DataTable, expression: string, context = 'Expression'): Uint8Array {
  const parsed = parseRowExpression(expression, table.columns.map((c) => c.name), context);
  return evaluateParsed(table, parsed, new Map(), context);
}

/** Evaluates an already checked expression; `cache` keeps converted columns for other expressions on the same table. */
export function evaluateParsed(
  table: DataTable,
  parsed: ParsedExpression,
  cache: Map<Column, ArrayLike<unknown>>,
  context = 'Expression',
): Uint8Array {
  const n = table.rowCount;
  const out = new Uint8Array(n);
  if (n === 0) return out;
  const data: Record<string, ArrayLike<unknown>> = Object.create(null) as Record<string, ArrayLike<unknown>>;
  for (const name of parsed.columns) {
    const column = table.columns.find((c) => c.name === name);
    if (!column) throw new AppError('unknown-column', `Unknown column "${name}" in ${parsed.expression}`, { column: name });
    let values = cache.get(column);
    if (!values) {
      values = expressionValues(column, n);
      cache.set(column, values);
    }
    data[name] = values;
  }
  // A table with no columns has no rows for Arquero: give it one to count.
  if (parsed.columns.length === 0) data[''] = new Uint8Array(n);
  let result = 'ok';
  while (result in data) result += '_';
  let truth: ArrayLike<unknown>;
  try {
    truth = aq.table(data).derive({ [result]: parsed.expression }).array(result) as ArrayLike<unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const hint = /null|undefined/.test(reason) ? ' (missing cells are null: test d.x != null first)' : '';
    throw new AppError('bad-expression', `${context}: evaluating it failed: ${reason}${hint} in ${shorten(parsed.expression)}`, {}, { cause: error });
  }
  for (let i = 0; i < n; i++) if (truth[i]) out[i] = 1;
  return out;
}

/**
 * The condition at the rows `rows` (all rows when null), 1 where truthy: the same compiled Arquero expression
 * and the same values as {@link evaluateParsed}, called row by row as Arquero's derive calls it, without
 * building a table and a result column. Null when the expression uses an aggregate (computed over the whole
 * table): evaluate the gathered table with evaluateParsed then.
 */
export function evaluateParsedRows(table: DataTable, parsed: ParsedExpression, rows: Int32Array | null, context = 'Expression'): Uint8Array | null {
  const n = rows ? rows.length : table.rowCount;
  const out = new Uint8Array(n);
  if (n === 0) return out;
  const data: Record<string, ArrayLike<unknown>> = Object.create(null) as Record<string, ArrayLike<unknown>>;
  for (const name of parsed.columns) {
    const column = table.columns.find((c) => c.name === name);
    if (!column) throw new AppError('unknown-column', `Unknown column "${name}" in ${parsed.expression}`, { column: name });
    data[name] = expressionValues(column, table.rowCount);
  }
  if (parsed.columns.length === 0) data[''] = new Uint8Array(table.rowCount);
  let result = 'ok';
  while (result in data) result += '_';
  try {
    const source = aq.table(data);
    const compiled = aq.parse({ [result]: parsed.expression }, { table: source }) as unknown as {
      exprs: ((row: number, data: unknown, op: unknown) => unknown)[];
      ops: unknown[];
    };
    const get = compiled.exprs[0];
    if (compiled.ops.length > 0 || !get) return null;
    const columns = source.data();
    const op = () => undefined;
    if (rows) {
      for (let i = 0; i < n; i++) if (get(rows[i] as number, columns, op)) out[i] = 1;
    } else {
      for (let i = 0; i < n; i++) if (get(i, columns, op)) out[i] = 1;
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const hint = /null|undefined/.test(reason) ? ' (missing cells are null: test d.x != null first)' : '';
    throw new AppError('bad-expression', `${context}: evaluating it failed: ${reason}${hint} in ${shorten(parsed.expression)}`, {}, { cause: error });
  }
  return out;
}

/** A column as the values an expression sees (see evaluateExpression); numeric columns without missing cells are passed as they are. */
function expressionValues(column: Column, n: number): ArrayLike<unknown> {
  if (isStringColumn(column)) {
    const out = new Array<string | null>(n);
    const { codes, levels } = column;
    for (let i = 0; i < n; i++) {
      const c = codes[i] as number;
      out[i] = c < 0 ? null : (levels[c] as string);
    }
    return out;
  }
  const values = column.values;
  if (column.type === 'date') {
    const out = new Array<Date | null>(n);
    for (let i = 0; i < n; i++) {
      const v = values[i] as number;
      out[i] = v === v ? new Date(v) : null;
    }
    return out;
  }
  if (column.type === 'boolean') {
    const out = new Array<boolean | null>(n);
    for (let i = 0; i < n; i++) {
      const v = values[i] as number;
      out[i] = v === v ? v !== 0 : null;
    }
    return out;
  }
  let hasMissing = false;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (v !== v) {
      hasMissing = true;
      break;
    }
  }
  if (!hasMissing) return values;
  const out = new Array<number | null>(n);
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    out[i] = v === v ? v : null;
  }
  return out;
}

/** Arquero's error message in the user's words (its notes about aq.escape and closures do not apply here). */
function arqueroReason(message: string): string {
  const first = (message.split('\n')[0] ?? '').trim();
  const snippet = /: "(.*)"$/.exec(first)?.[1];
  if (first.startsWith('Expression parse error')) return 'syntax error (not a valid JavaScript expression)';
  if (first.startsWith('Invalid function call')) return `only op.* functions can be called, not ${snippet ?? 'this call'}`;
  if (first.startsWith('Invalid variable reference')) {
    return `unknown name ${snippet ? `"${snippet}"` : ''} (refer to a column as d.name or d["name"])`.replace('  ', ' ');
  }
  if (first.startsWith('Invalid param reference')) return `parameters ($) are not supported${snippet ? `: "${snippet}"` : ''}`;
  return first.charAt(0).toLowerCase() + first.slice(1);
}

/** Allowed node types of a row condition, after Arquero has rewritten column references and op calls. */
function checkNode(node: Node, used: string[], fail: (what: string) => never): void {
  const visit = (child: unknown) => checkNode(child as Node, used, fail);
  switch (node.type) {
    case 'Literal':
    case 'Constant':
      return;
    case 'Column': {
      const name = String(node.name);
      if (name === '__proto__') fail('a column named "__proto__" cannot be read by Arquero expressions');
      if (!used.includes(name)) used.push(name);
      return;
    }
    case 'BinaryExpression':
      if (node.operator === 'in' || node.operator === 'instanceof') fail(`the operator "${String(node.operator)}" is not supported`);
      visit(node.left);
      visit(node.right);
      return;
    case 'LogicalExpression':
      visit(node.left);
      visit(node.right);
      return;
    case 'UnaryExpression':
      // Arquero 8 compiles word operators without a space ("typeofdata…"): reject them up front.
      if (node.operator === 'typeof' || node.operator === 'void' || node.operator === 'delete') {
        fail(`the operator "${String(node.operator)}" is not supported (use op functions, e.g. op.is_nan)`);
      }
      visit(node.argument);
      return;
    case 'ConditionalExpression':
      visit(node.test);
      visit(node.consequent);
      visit(node.alternate);
      return;
    case 'CallExpression': {
      const callee = node.callee as Node;
      const name = String(callee.name);
      if (callee.type !== 'Function') fail('only op.* functions can be called');
      if (WINDOW_FUNCTIONS.has(name)) fail(`op.${name} is a window function (it depends on other rows' order); a condition looks at one row`);
      for (const arg of node.arguments as unknown[]) visit(arg);
      return;
    }
    case 'ArrayExpression':
      for (const element of node.elements as unknown[]) if (element) visit(element);
      return;
    case 'TemplateLiteral':
      for (const part of node.expressions as unknown[]) visit(part);
      return;
    case 'MemberExpression': {
      const property = node.property as Node;
      if (node.computed || property.type !== 'Identifier' || property.name !== 'length') {
        fail('property access is not supported except .length (use op functions, e.g. op.lower(d.name))');
      }
      visit(node.object);
      return;
    }
    case 'Identifier':
      return fail(`"${String(node.name)}" alone is not a value (refer to a column as d.name or d["name"])`);
    case 'BlockStatement':
      return fail('a block of statements is not allowed: a condition is one expression (write d => <condition>)');
    case 'SequenceExpression':
      return fail('a comma-separated sequence is not allowed: a condition is one expression');
    case 'ObjectExpression':
      return fail('an object is not a condition');
    case 'ThisExpression':
      return fail('"this" is not allowed');
    case 'ChainExpression':
      return fail('optional chaining (?.) is not supported');
    default:
      return fail(`${node.type} is not allowed in a condition`);
  }
}

function shorten(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
