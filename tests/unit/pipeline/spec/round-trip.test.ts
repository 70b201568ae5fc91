// Pipeline specs read and written: defaults filled, specJson → parseSpec gives the same spec, key order does not matter.
import { describe, expect, it } from 'vitest';
import { makeSpec } from '../../../../src/lib/pipeline/spec/build.ts';
import { defaultHyperParams } from '../../../../src/lib/pipeline/spec/hyperparams.ts';
import { SPEC_FORMAT, type PipelineSpec } from '../../../../src/lib/pipeline/spec/types.ts';
import { parseSpec, specJson } from '../../../../src/lib/pipeline/spec/validate.ts';
import { accepted, full, minimal, minimalFilled, reversedKeys } from './cases.ts';

describe('parseSpec fills defaults', () => {
  it('fills every default of a spec that names only its format and target', () => {
    const spec = parseSpec(minimal());
    expect(spec).toEqual(minimalFilled());
    // Every field is present: none is left undefined for a later reader to guess.
    expect(specJson(spec)).toBe(JSON.stringify(minimalFilled(), null, 2) + '\n');
  });

  it("fills the model with the hyper-parameter registry's defaults", () => {
    const { search, ...params } = parseSpec(minimal()).model;
    expect(search).toBeNull();
    expect(params).toEqual(defaultHyperParams());
  });

  it('fills the parts of a nested object that is given in part', () => {
    const spec = parseSpec({ ...minimal(), split: { seed: 9 }, model: { search: { strategy: 'grid' } }, check: { recipe: { steps: [] }, rules: { rules: [] } } });
    expect(spec.split).toEqual({ kind: 'auto', seed: 9, timeColumn: null, folds: null });
    expect(spec.model.search).toEqual({ strategy: 'grid', trials: null, minutes: null, space: {} });
    expect(spec.check.recipe).toEqual({ version: 1, steps: [] });
    expect(spec.check.rules).toEqual({ name: 'rules', version: 1, rules: [], reference: null });
  });

  it('makeSpec is parseSpec of the format and the parts given', () => {
    expect(makeSpec({ target: 'Miles_per_Gallon' })).toEqual(minimalFilled());
    expect(makeSpec({ target: 'Species', split: { seed: 3 } }).split.seed).toBe(3);
    expect(SPEC_FORMAT).toBe('millrace.pipeline/1');
  });

  it('takes an edited feature set that was never saved (version 0), as the studio runs it', () => {
    const features = { name: 'f (unsaved)', version: 0, features: [{ name: 'hp', column: 'Horsepower', transform: 'standardize' as const, params: {} }] };
    expect(parseSpec({ format: 'millrace.pipeline/1', target: 'Miles_per_Gallon', features }).features).toEqual(features);
  });

  it('reads JSON text as well as a parsed value', () => {
    expect(parseSpec(JSON.stringify(full()))).toEqual(parseSpec(full()));
  });
});

describe('specJson and parseSpec round-trip', () => {
  it('writes two-space JSON with a final newline', () => {
    const text = specJson(parseSpec(minimal()));
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "format": "millrace.pipeline/1",');
  });

  it('gives the same object back for the minimal spec', () => {
    const spec = parseSpec(minimal());
    expect(parseSpec(specJson(spec))).toEqual(spec);
    expect(specJson(parseSpec(specJson(spec)))).toBe(specJson(spec));
  });

  it('keeps every part of a full spec: recipe, rules, privacy decisions, feature set, time split, folds, search space', () => {
    const given = full();
    const spec = parseSpec(given);
    // Everything the full spec says is kept as it was said (it sets every field).
    expect(spec).toEqual(given);
    const again = parseSpec(specJson(spec));
    expect(again).toEqual(spec);
    expect(specJson(again)).toBe(specJson(spec));
    expect(again.model.search?.space).toEqual({ kind: ['linear', 'mlp'], learningRate: [0.01, 0.03], hidden: [[16], [32, 16]], dropout: [0, 0.2], batchSize: [null, 64] });
    expect(again.check.privacy.map((d) => d.action)).toEqual(['allow', 'mask', 'hash', 'drop']);
  });

  it('round-trips every accepted spec', () => {
    for (const { name, spec } of accepted()) {
      const parsed = parseSpec(spec);
      expect(parseSpec(specJson(parsed)), name).toEqual(parsed);
      expect(specJson(parseSpec(specJson(parsed))), name).toBe(specJson(parsed));
    }
  });

  it('writes the same text whatever order the keys were read in', () => {
    const reordered = reversedKeys(full()) as ReturnType<typeof full>;
    // The rules, recipe steps and feature set are the studio's own objects, outside the schema: given as before.
    const original = full();
    reordered.check.recipe.steps = original.check.recipe.steps;
    reordered.check.rules.rules = original.check.rules.rules;
    reordered.features = original.features;
    expect(Object.keys(reordered)[0]).toBe('monitor');
    expect(Object.keys(reordered.model)[0]).toBe('search');
    expect(Object.keys(reordered.check.privacy[1]!)).toEqual(['keep', 'action', 'column']);
    expect(specJson(parseSpec(reordered))).toBe(specJson(parseSpec(original)));
    // The same for a spec with defaults to fill, given back to front.
    const sparse = { model: { dropout: 0.2, kind: 'mlp' }, split: { folds: 3, kind: 'random' }, target: 'Miles_per_Gallon', format: SPEC_FORMAT };
    expect(specJson(parseSpec(sparse))).toBe(specJson(parseSpec(reversedKeys(sparse))));
    expect(Object.keys(parseSpec(sparse))).toEqual(['format', 'input', 'check', 'features', 'target', 'task', 'split', 'model', 'review', 'monitor']);
  });

  it('returns a copy: changing the value read, or the spec, changes neither', () => {
    const given = full();
    const before = JSON.stringify(given);
    const spec = parseSpec(given);
    expect(JSON.stringify(given)).toBe(before);
    given.check.rules.rules[0]!.severity = 'warn';
    given.check.recipe.steps.push({ kind: 'drop-missing', columns: ['Origin'], how: 'all' });
    given.features.features[0]!.transform = 'log1p';
    given.model.search.space.hidden[0]!.push(8);
    expect(spec).toEqual(full());
    const copy: PipelineSpec = parseSpec(spec);
    (copy.check.rules!.rules[0] as { severity: string }).severity = 'warn';
    expect(spec).toEqual(full());
  });
});
