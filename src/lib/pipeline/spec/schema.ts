// The pipeline spec's JSON Schema (draft 2020-12), built from the hyper-parameter registry; docs/pipeline.schema.json is this, written out.
import { reviewSchema } from '../review/policy.ts';
import { monitorSchema } from '../monitor/policy.ts';
import type { JsonSchema } from './json-schema.ts';
import { HYPER_PARAMS, type HyperParam } from './hyperparams.ts';
import { SPEC_FORMAT } from './types.ts';

export type { JsonSchema };

const COLUMN_TYPES = ['integer', 'number', 'boolean', 'date', 'category', 'text'];

/** The schema of one hyper-parameter's value. */
export function paramSchema(param: HyperParam): JsonSchema {
  const description = param.help;
  switch (param.kind) {
    case 'number':
    case 'integer':
      return {
        description,
        type: param.default === null ? [param.kind, 'null'] : param.kind,
        ...(param.min !== undefined ? { minimum: param.min } : {}),
        ...(param.above !== undefined ? { exclusiveMinimum: param.above } : {}),
        ...(param.max !== undefined ? { maximum: param.max } : {}),
        ...(param.below !== undefined ? { exclusiveMaximum: param.below } : {}),
        default: param.default,
      };
    case 'choice':
      return { description, type: 'string', enum: param.values, default: param.default };
    case 'switch':
      return { description, type: 'boolean', default: param.default };
    case 'layers':
      return { description, type: 'array', minItems: 1, items: { type: 'integer', minimum: 1, maximum: param.maxSize }, default: param.default };
  }
}

function searchSpaceSchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const param of HYPER_PARAMS as readonly HyperParam[]) {
    const { default: _default, description: _description, ...item } = paramSchema(param);
    if (param.key === 'kind') item.enum = (param as { values: readonly string[] }).values.filter((v) => v !== 'auto');
    properties[param.key] = { description: `values of ${param.key} to try`, type: 'array', minItems: 1, items: item };
  }
  return { description: 'The values each hyper-parameter may take; a missing entry keeps the value above.', type: 'object', properties, additionalProperties: false, default: {} };
}

function modelSchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const param of HYPER_PARAMS as readonly HyperParam[]) properties[param.key] = paramSchema(param);
  properties.search = {
    description: 'A hyper-parameter search ranked on a validation slice of the training split; null: train once.',
    type: ['object', 'null'],
    properties: {
      strategy: { type: 'string', enum: ['random', 'grid'], default: 'random' },
      trials: { description: 'most trials', type: ['integer', 'null'], minimum: 1, maximum: 10000, default: null },
      minutes: { description: 'starts no new trial after this many minutes', type: ['number', 'null'], exclusiveMinimum: 0, default: null },
      space: searchSpaceSchema(),
    },
    additionalProperties: false,
    default: null,
  };
  return { description: 'The model and its hyper-parameters.', type: 'object', properties, additionalProperties: false, default: {} };
}

const nullableObject = (description: string, properties: Record<string, JsonSchema>, required: string[]): JsonSchema => ({
  description,
  type: ['object', 'null'],
  properties,
  required,
  additionalProperties: false,
  default: null,
});

/** The whole schema. Nested rule, recipe-step and feature lists are checked further by their own validators. */
export function pipelineSchema(): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'millrace.pipeline/1',
    title: 'Millrace pipeline spec',
    description: 'One run of the pipeline as a document: input, Check stage, features, target, split, model.',
    type: 'object',
    properties: {
      format: { const: SPEC_FORMAT },
      input: {
        description: 'The data the pipeline runs on.',
        type: 'object',
        properties: {
          dataset: { type: ['string', 'null'], default: null },
          version: { type: ['integer', 'null'], minimum: 1, default: null },
          sha256: { description: "SHA-256 of the data's content, 64 hex digits", type: ['string', 'null'], pattern: '^[0-9a-f]{64}$', default: null },
          types: { description: 'column types chosen instead of the inferred ones', type: 'object', additionalProperties: { type: 'string', enum: COLUMN_TYPES }, default: {} },
          dateFormats: { description: 'date columns and their format, e.g. "dd/mm/yyyy"', type: 'object', additionalProperties: { type: 'string' }, default: {} },
        },
        additionalProperties: false,
        default: {},
      },
      check: {
        description: 'The Check stage: cleaning recipe, rule suite, personal-data decisions.',
        type: 'object',
        properties: {
          recipe: nullableObject('The cleaning recipe; null: none.', {
            version: { type: 'integer', minimum: 0, default: 1 },
            steps: { description: 'recipe steps, as the studio saves them', type: 'array', items: { type: 'object' } },
          }, ['steps']),
          rules: nullableObject('The rule suite; null: rules suggested from the data, which only warn.', {
            name: { type: 'string', minLength: 1, default: 'rules' },
            version: { type: 'integer', minimum: 0, default: 1 },
            rules: { description: 'rules, as the studio saves them', type: 'array', items: { type: 'object' } },
            reference: { description: 'the version number batch rules compare with; null: each version\'s parent', type: ['integer', 'null'], minimum: 1, default: null },
          }, ['rules']),
          privacy: {
            description: 'decisions on columns that hold personal data',
            type: 'array',
            items: {
              type: 'object',
              properties: {
                column: { type: 'string', minLength: 1 },
                action: { type: 'string', enum: ['drop', 'mask', 'hash', 'allow'] },
                keep: { description: 'mask: characters kept at the end', type: 'integer', minimum: 0 },
                note: { description: 'allow: why the column may be used', type: 'string', minLength: 1 },
              },
              required: ['column', 'action'],
              additionalProperties: false,
            },
            default: [],
          },
        },
        additionalProperties: false,
        default: {},
      },
      features: { description: 'A feature set {name, version, features}; null: the automatic features.', type: ['object', 'null'], default: null },
      target: { description: 'the column to predict', type: 'string', minLength: 1 },
      task: { description: 'null: inferred from the target', type: ['string', 'null'], enum: ['binary', 'multiclass', 'regression', null], default: null },
      split: {
        type: 'object',
        properties: {
          kind: { description: 'auto: stratified for classes, random for regression', type: 'string', enum: ['auto', 'random', 'stratified', 'time'], default: 'auto' },
          seed: { description: "the split is scikit-learn's train_test_split(test_size=0.2, random_state=seed)", type: 'integer', minimum: 0, maximum: 4294967295, default: 42 },
          timeColumn: { description: 'kind "time": train on the past, test on the most recent 20%', type: ['string', 'null'], default: null },
          folds: { description: 'also cross-validate on this many folds; null: no cross-validation', type: ['integer', 'null'], minimum: 2, maximum: 50, default: null },
        },
        additionalProperties: false,
        default: {},
      },
      model: modelSchema(),
      review: reviewSchema(),
      monitor: monitorSchema(),
    },
    required: ['format', 'target'],
    additionalProperties: false,
  };
}
