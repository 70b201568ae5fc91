// The Train view's form parsing: search-space comma lists and feature params edited as text.
import { describe, expect, it } from 'vitest';
import { kindsTextFor, searchKinds, TrainOptions, valueList } from '../../../src/lib/state/train-options.svelte.ts';
import { defaultHyperParams, defaultSearchSpace, HYPER_PARAMS, type HyperParam } from '../../../src/lib/pipeline/spec/hyperparams.ts';
import { makeSpec } from '../../../src/lib/pipeline/spec/build.ts';
import { paramText, withParam, withTransform } from '../../../src/lib/state/feature-edit.ts';
import type { FeatureDef } from '../../../src/lib/pipeline/features/types.ts';

describe('search space lists', () => {
  const param = (key: string) => HYPER_PARAMS.find((p) => p.key === key) as HyperParam;

  it('reads each value with the registry, naming the field and the bad entry', () => {
    expect(valueList(param('learningRate'), '0.003, 0.01 ,0.03')).toEqual([0.003, 0.01, 0.03]);
    expect(valueList(param('hidden'), '16, 64-32')).toEqual([[16], [64, 32]]);
    expect(() => valueList(param('dropout'), '0.1, x')).toThrow('Dropout (search): "x" is not a number');
    expect(() => valueList(param('dropout'), '1.5')).toThrow('Dropout (search): 1.5 is not below 1');
    expect(() => valueList(param('hidden'), '64-0')).toThrow(/layer size 0/);
    expect(() => valueList(param('kind'), 'auto')).toThrow(/linear, mlp or gbdt, not auto/);
    expect(valueList(param('kind'), 'gbdt, linear')).toEqual(['gbdt', 'linear']);
    expect(valueList(param('leaves'), '15, 63')).toEqual([15, 63]);
    expect(() => valueList(param('leaves'), '1')).toThrow('Leaves per tree (search): 1 is below 2');
  });

  it("follows the model choice with the search's model list until the person edits it", () => {
    const options = new TrainOptions();
    expect(options.space.kind).toBe('linear, mlp');
    options.setParam('kind', 'gbdt');
    expect(options.space.kind).toBe('gbdt');
    options.setParam('kind', 'mlp');
    expect(options.space.kind).toBe('mlp');
    options.setParam('kind', 'auto');
    expect(options.space.kind).toBe(kindsTextFor('auto'));
    // Edited by the person: kept.
    options.space.kind = 'gbdt, linear';
    options.setParam('kind', 'mlp');
    expect(options.space.kind).toBe('gbdt, linear');
  });

  it("offers and sends only the fields of the models searched", () => {
    const keys = (o: TrainOptions) => o.searchFields.map((p) => p.key);
    const options = new TrainOptions();
    expect(keys(options)).toEqual(['kind', 'learningRate', 'hidden', 'dropout', 'l2']);
    options.setParam('kind', 'gbdt');
    expect(keys(options)).toEqual(['kind', 'l2', 'leaves', 'treeLearningRate']);
    options.search = true;
    expect(options.specParts().model.search?.space).toEqual({ kind: ['gbdt'], l2: [0, 1e-4, 1e-3], leaves: [15, 31, 63], treeLearningRate: [0.05, 0.1, 0.2] });
    options.space.kind = 'linear, gbdt';
    expect(keys(options)).toEqual(['kind', 'learningRate', 'l2', 'leaves', 'treeLearningRate']);
    // A cleared model list searches the chosen model's fields.
    options.space.kind = '';
    expect(keys(options)).toEqual(['kind', 'l2', 'leaves', 'treeLearningRate']);
    expect(searchKinds('', 'auto')).toEqual(['linear', 'mlp', 'gbdt']);
    expect(searchKinds('mlp, bogus', 'gbdt')).toEqual(['mlp']);
  });

  it('makes the spec parts: defaults from the registry, the search from the lists', () => {
    const options = new TrainOptions();
    const plain = options.specParts();
    expect(plain.model).toEqual({ ...defaultHyperParams(), search: null });
    expect(plain.split).toEqual({ kind: 'auto', seed: 42, timeColumn: null, folds: null });
    options.search = true;
    options.trials = 6;
    options.split = 'time';
    expect(() => options.specParts()).toThrow(/time column/);
    options.timeColumn = 'date';
    options.setParam('dropout', 0.2);
    const parts = options.specParts();
    expect(parts.split).toMatchObject({ kind: 'time', timeColumn: 'date' });
    expect(parts.model).toMatchObject({ dropout: 0.2, search: { strategy: 'random', trials: 6, minutes: null } });
    expect(parts.model.search?.space.hidden).toEqual([[16], [32], [64, 32]]);
    // The default space without the trees' fields: the default search tries linear models and MLPs.
    const { leaves: _leaves, treeLearningRate: _rate, ...networks } = defaultSearchSpace();
    expect(parts.model.search?.space).toEqual(networks);
    // The form's parts make a valid spec, and loading that spec back gives the same parts.
    const spec = makeSpec({ target: 'weather', ...parts });
    const again = new TrainOptions();
    again.load(spec);
    expect(again.specParts()).toEqual(parts);
  });
});

describe('feature params as text', () => {
  const mass: FeatureDef = { name: 'mass', column: 'Body Mass (g)', transform: 'standardize' };

  it('switches transforms with their required params and edits params from fields', () => {
    const ratio = withTransform(mass, 'ratio', ['Body Mass (g)', 'Flipper Length (mm)']);
    expect(ratio).toMatchObject({ transform: 'ratio', column2: 'Flipper Length (mm)' });
    const buckets = withParam(withTransform(mass, 'bucketize', []), 'bins', '5');
    expect(buckets.params).toEqual({ bins: 5 });
    const edges = withParam(buckets, 'edges', '3000, 4000');
    expect(edges.params).toEqual({ edges: [3000, 4000] });
    expect(paramText(edges, 'edges')).toBe('3000, 4000');
    expect(withParam(edges, 'edges', '').params).toEqual({});
    expect(withTransform(mass, 'hash', []).params).toEqual({ width: 32, tokens: 'word' });
  });
});
