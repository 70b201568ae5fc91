// The Train view's form parsing: search-space comma lists and feature params edited as text.
import { describe, expect, it } from 'vitest';
import { hiddenList, numberList, TrainOptions } from '../../../src/lib/state/train-options.svelte.ts';
import { paramText, withParam, withTransform } from '../../../src/lib/state/feature-edit.ts';
import type { FeatureDef } from '../../../src/lib/pipeline/features/types.ts';

describe('search space lists', () => {
  it('reads numbers and layer options, naming the field and the bad entry', () => {
    expect(numberList('0.003, 0.01 ,0.03', 'Learning rates')).toEqual([0.003, 0.01, 0.03]);
    expect(hiddenList('16, 64-32')).toEqual([[16], [64, 32]]);
    expect(() => numberList('0.1, x', 'Dropout values')).toThrow('Dropout values: "x" is not an allowed value');
    expect(() => numberList('1.5', 'Dropout values', (v) => v < 1)).toThrow(/"1.5"/);
    expect(() => hiddenList('64-0')).toThrow(/"64-0"/);
  });

  it('leaves defaults out of the request and builds the search from the lists', () => {
    const options = new TrainOptions();
    expect(options.request('linear')).toEqual({});
    options.search = true;
    options.trials = 6;
    options.split = 'time';
    expect(() => options.request('mlp')).toThrow(/time column/);
    options.timeColumn = 'date';
    const request = options.request('mlp');
    expect(request).toMatchObject({ split: 'time', timeColumn: 'date', activation: 'relu', search: { strategy: 'random', trials: 6 } });
    expect(request.search?.space.hidden).toEqual([[16], [32], [64, 32]]);
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
