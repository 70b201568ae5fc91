// Reads a pipeline spec: checks it against its JSON Schema (errors name the JSON path), fills defaults, then checks what the schema cannot say.
import { AppError } from '../errors.ts';
import { parseFeatureSet } from '../features/validate.ts';
import { jsonValue } from '../json-text.ts';
import { validateRules } from '../quality/validate.ts';
import type { Rule } from '../quality/types.ts';
import { validateRecipe } from '../recipe/validate.ts';
import { pipelineSchema, type JsonSchema } from './schema.ts';
import type { PipelineSpec } from './types.ts';

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const show = (v: unknown): string => {
  // NaN and ±Infinity as themselves (JSON.stringify writes them as null).
  const text = typeof v === 'string' ? `"${v}"` : typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v));
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
};
const fail = (path: string, problem: string) => new AppError('bad-argument', `${path || 'the spec'}: ${problem}`);
const join = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;

/** A deep copy of a JSON value (the parts of a spec the schema does not describe: rules, steps, features). */
function copyJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyJson);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, copyJson(v)]));
  return value;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  if (type === 'number') return (actual === 'number' || actual === 'integer') && Number.isFinite(value as number);
  return actual === type;
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'null',
};

/**
 * Checks `value` against `schema` and returns it with every missing property that has a default filled in
 * (a copy; `value` is not changed). Throws AppError 'bad-argument' whose message starts with the JSON path:
 * "model.dropout: 1.5 is not below 1", "split.sed: unknown field; the fields are kind, seed, …".
 */
export function validateAgainst(value: unknown, schema: JsonSchema, path = ''): unknown {
  if (schema.const !== undefined && value !== schema.const) throw fail(path, `${show(value)} is not "${schema.const}"`);
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length && !types.some((type) => typeMatches(value, type))) {
    throw fail(path, `${show(value)} is not ${types.map((t) => TYPE_WORDS[t] ?? t).join(' or ')}`);
  }
  if (schema.enum && !schema.enum.includes(value as never)) {
    throw fail(path, `${show(value)} is not one of ${schema.enum.filter((v) => v !== null).join(', ')}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) throw fail(path, `${value} is below ${schema.minimum}`);
    if (schema.exclusiveMinimum !== undefined && !(value > schema.exclusiveMinimum)) throw fail(path, `${value} is not above ${schema.exclusiveMinimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) throw fail(path, `${value} is above ${schema.maximum}`);
    if (schema.exclusiveMaximum !== undefined && !(value < schema.exclusiveMaximum)) throw fail(path, `${value} is not below ${schema.exclusiveMaximum}`);
  }
  if (typeof value === 'string' && schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) {
    throw fail(path, `${show(value)} is not ${schema.description ? schema.description.replace(/^.*?, /, '') : `text matching ${schema.pattern}`}`);
  }
  if (typeof value === 'string' && schema.minLength !== undefined && value.length < schema.minLength) {
    throw fail(path, schema.minLength === 1 ? 'is empty' : `${show(value)} is shorter than ${schema.minLength} characters`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) throw fail(path, `needs at least ${schema.minItems} value${schema.minItems === 1 ? '' : 's'}`);
    const items = schema.items;
    return items ? value.map((item, i) => validateAgainst(item, items, join(path, i))) : copyJson(value);
  }
  if (isObject(value) && (schema.properties || schema.additionalProperties !== undefined)) {
    const properties = schema.properties ?? {};
    const out: Record<string, unknown> = {};
    // The schema's order first, so that a spec is written the same way whatever order it was read in.
    const keys = [...Object.keys(properties).filter((key) => key in value), ...Object.keys(value).filter((key) => !(key in properties))];
    for (const key of keys) {
      const sub = properties[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (!sub) {
        if (schema.additionalProperties === false) {
          const known = Object.keys(properties);
          throw fail(join(path, key), `unknown field; the fields are ${known.join(', ')}`);
        }
        out[key] = copyJson(value[key]);
        continue;
      }
      out[key] = validateAgainst(value[key], sub, join(path, key));
    }
    for (const key of schema.required ?? []) if (!(key in value)) throw fail(join(path, key), 'is missing');
    const ordered: Record<string, unknown> = {};
    for (const [key, sub] of Object.entries(properties)) {
      if (key in out) ordered[key] = out[key];
      else if (sub.default !== undefined) ordered[key] = validateAgainst(structuredClone(sub.default), sub, join(path, key));
    }
    for (const key of Object.keys(out)) if (!(key in properties)) ordered[key] = out[key];
    return ordered;
  }
  return copyJson(value);
}

/** Prefixes an error's message with the JSON path of the part that was checked. */
function at<T>(path: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof AppError) throw new AppError(error.code, `${path}: ${error.message}`, error.place, { cause: error });
    throw error;
  }
}

/** What the schema cannot say: nested rules, steps and features, decisions' fields, a time split's column, a search's budget. */
function checkSemantics(spec: PipelineSpec): void {
  const { check, split, model } = spec;
  if (check.recipe) at('check.recipe.steps', () => validateRecipe(check.recipe!.steps));
  if (check.rules) at('check.rules.rules', () => validateRules(check.rules!.rules as Rule[]));
  if (spec.features) spec.features = at('features', () => parseFeatureSet(spec.features, 'the feature set', { unsaved: true }));
  const seen = new Set<string>();
  check.privacy.forEach((decision, i) => {
    const path = `check.privacy[${i}]`;
    const d = decision as Record<string, unknown>;
    if (seen.has(decision.column)) throw fail(`${path}.column`, `"${decision.column}" has a decision already`);
    seen.add(decision.column);
    if (decision.action === 'mask' && d.keep === undefined) throw fail(`${path}.keep`, 'is missing (a mask keeps this many characters)');
    if (decision.action === 'allow' && d.note === undefined) throw fail(`${path}.note`, 'is missing (say why the column may be used)');
    if (decision.action !== 'mask' && d.keep !== undefined) throw fail(`${path}.keep`, `only applies to "mask", not "${decision.action}"`);
    if (decision.action !== 'allow' && d.note !== undefined) throw fail(`${path}.note`, `only applies to "allow", not "${decision.action}"`);
  });
  if (split.kind === 'time' && !split.timeColumn) throw fail('split.timeColumn', 'is missing (a time split needs the column it orders by)');
  if (split.kind !== 'time' && split.timeColumn) throw fail('split.timeColumn', `only applies to split.kind "time", not "${split.kind}"`);
  if (split.timeColumn === spec.target) throw fail('split.timeColumn', `"${spec.target}" is the target`);
  (spec.review?.sensitive ?? []).forEach((sensitive, i) => {
    if (sensitive.cuts && sensitive.quantiles !== undefined) throw fail(`review.sensitive[${i}]`, 'gives both cuts and quantiles; choose one');
    if (sensitive.column === spec.target) throw fail(`review.sensitive[${i}].column`, `"${sensitive.column}" is the target`);
    if (sensitive.cuts && sensitive.cuts.some((c, k) => k > 0 && c <= sensitive.cuts![k - 1]!)) throw fail(`review.sensitive[${i}].cuts`, 'must increase');
  });
  (spec.review?.fairness ?? []).forEach((rule, i) => {
    if (rule.min !== undefined && rule.max !== undefined && rule.min > rule.max) throw fail(`review.fairness[${i}]`, `min ${rule.min} is above max ${rule.max}`);
  });
  const search = model.search;
  if (search && search.strategy === 'random' && search.trials === null && search.minutes === null) {
    throw fail('model.search', 'a random search needs trials or minutes');
  }
}

/**
 * Reads a pipeline spec from JSON text or a parsed value: unknown fields, wrong types and out-of-range
 * values are refused with the JSON path (`model.dropout: 1.5 is not below 1`); missing optional fields get
 * their defaults, so the result is complete.
 */
export function parseSpec(json: unknown): PipelineSpec {
  const value = jsonValue(json, 'The pipeline spec');
  if (!isObject(value)) throw fail('', `${show(value)} is not an object`);
  if (value.format !== undefined && typeof value.format === 'string' && value.format.startsWith('millrace.pipeline/') && value.format !== 'millrace.pipeline/1') {
    throw fail('format', `${show(value.format)} is a newer pipeline format than this version of Millrace reads (millrace.pipeline/1)`);
  }
  const spec = validateAgainst(value, pipelineSchema()) as PipelineSpec;
  checkSemantics(spec);
  return spec;
}

/** The spec as the file people download and the CLI writes: two-space indented JSON with a final newline. */
export function specJson(spec: PipelineSpec): string {
  return JSON.stringify(spec, null, 2) + '\n';
}
