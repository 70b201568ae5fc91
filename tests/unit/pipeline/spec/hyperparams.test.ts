// The hyper-parameter registry: defaults and search values valid, text read as values, search spaces checked like specs.
import { describe, expect, it } from 'vitest';
import {
  defaultHyperParams,
  defaultSearchSpace,
  HYPER_PARAMS,
  hyperParam,
  normalizeHyperParams,
  paramProblem,
  parseParamText,
  rangeProblem,
  rangeText,
  searchSpaceProblem,
  type HyperParam,
} from '../../../../src/lib/pipeline/spec/hyperparams.ts';
import { resolveParams } from '../../../../src/lib/pipeline/spec/resolve.ts';
import { parseSpec } from '../../../../src/lib/pipeline/spec/validate.ts';
import { refusal } from './cases.ts';

const PARAMS = HYPER_PARAMS as readonly HyperParam[];
const param = (key: string): HyperParam => {
  const found = hyperParam(key);
  if (!found) throw new Error(`no hyper-parameter ${key}`);
  return found;
};
const problemOf = (key: string, text: string): string => {
  try {
    parseParamText(param(key), text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`"${text}" was read as a value of ${key}`);
};

describe('the registry', () => {
  it('declares each key and flag once', () => {
    const keys = PARAMS.map((p) => p.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(PARAMS.map((p) => p.flag)).size).toBe(keys.length);
    expect(keys).toEqual(['kind', 'epochs', 'earlyStopping', 'learningRate', 'hidden', 'activation', 'dropout', 'l2', 'classWeights', 'batchSize', 'rounds', 'leaves', 'treeLearningRate', 'minLeafRows', 'maxDepth']);
    expect(hyperParam('nope')).toBeUndefined();
  });

  it('has defaults that pass its own checks', () => {
    for (const p of PARAMS) expect(paramProblem(p, p.default), p.key).toBeNull();
    const defaults = defaultHyperParams() as Record<string, unknown>;
    for (const p of PARAMS) expect(defaults[p.key], p.key).toEqual(p.default);
  });

  it('has search values that pass its own checks, and a default search space that passes searchSpaceProblem', () => {
    for (const p of PARAMS) {
      if ('search' in p && p.search) for (const value of p.search) expect(paramProblem(p, value), `${p.key} ${JSON.stringify(value)}`).toBeNull();
    }
    expect(searchSpaceProblem(defaultSearchSpace())).toBeNull();
    expect(defaultSearchSpace()).toEqual({
      kind: ['linear', 'mlp'],
      learningRate: [0.003, 0.01, 0.03],
      hidden: [[16], [32], [64, 32]],
      dropout: [0, 0.1, 0.2],
      l2: [0, 1e-4, 1e-3],
      leaves: [15, 31, 63],
      treeLearningRate: [0.05, 0.1, 0.2],
    });
    // A spec accepts the default space as it is.
    expect(parseSpec({ format: 'millrace.pipeline/1', target: 'y', model: { search: { strategy: 'grid', space: defaultSearchSpace() } } }).model.search?.space).toEqual(defaultSearchSpace());
  });

  it('hands out copies of its defaults', () => {
    const a = defaultHyperParams();
    a.hidden.push(99);
    expect(defaultHyperParams().hidden).toEqual([32]);
    const space = defaultSearchSpace();
    space.hidden![0]!.push(99);
    expect(defaultSearchSpace().hidden![0]).toEqual([16]);
  });
});

describe('paramProblem and ranges', () => {
  it('says what is wrong with a value, without the place', () => {
    expect(paramProblem(param('dropout'), 1.5)).toBe('1.5 is not below 1');
    expect(paramProblem(param('learningRate'), 0)).toBe('0 is not above 0');
    expect(paramProblem(param('epochs'), 0)).toBe('0 is below 1');
    expect(paramProblem(param('epochs'), 100001)).toBe('100001 is above 100000');
    expect(paramProblem(param('epochs'), 2.5)).toBe('2.5 is not a whole number');
    expect(paramProblem(param('epochs'), null)).toBe('null is not a number');
    expect(paramProblem(param('batchSize'), null)).toBeNull();
    expect(paramProblem(param('l2'), NaN)).toBe('NaN is not a number');
    expect(paramProblem(param('activation'), 'sigmoid')).toBe('"sigmoid" is not one of relu, tanh, gelu');
    expect(paramProblem(param('earlyStopping'), 'yes')).toBe('"yes" is not true or false');
    expect(paramProblem(param('hidden'), [])).toBe('[] is not a list of layer sizes such as [64, 32]');
    expect(paramProblem(param('hidden'), [64, 4097])).toBe('layer size 4097 is not a whole number from 1 to 4096');
  });

  it('reads ranges in words', () => {
    expect(rangeText(param('dropout') as never)).toBe('at least 0 and below 1');
    expect(rangeText(param('learningRate') as never)).toBe('above 0 and below 10');
    expect(rangeProblem({ min: 0, max: 1 }, 0)).toBeNull();
    expect(rangeProblem({ min: 0, max: 1 }, 1)).toBeNull();
    expect(rangeProblem({ above: 0, below: 1 }, 1)).toBe('is not below 1');
  });
});

describe('parseParamText (CLI flags and form fields)', () => {
  it('reads good text as values', () => {
    expect(parseParamText(param('dropout'), '0.25')).toBe(0.25);
    expect(parseParamText(param('epochs'), ' 10 ')).toBe(10);
    expect(parseParamText(param('learningRate'), '1e-3')).toBe(0.001);
    expect(parseParamText(param('hidden'), '64,32')).toEqual([64, 32]);
    expect(parseParamText(param('hidden'), '64-32')).toEqual([64, 32]);
    expect(parseParamText(param('hidden'), ' 8 , 4 ')).toEqual([8, 4]);
    expect(parseParamText(param('activation'), 'tanh')).toBe('tanh');
    expect(parseParamText(param('kind'), 'mlp')).toBe('mlp');
    expect(parseParamText(param('earlyStopping'), 'false')).toBe(false);
    expect(parseParamText(param('earlyStopping'), 'true')).toBe(true);
    expect(parseParamText(param('batchSize'), '64')).toBe(64);
  });

  it('refuses bad text, quoting it where it is not a number', () => {
    expect(problemOf('dropout', '1.5')).toBe('1.5 is not below 1');
    expect(problemOf('learningRate', '0')).toBe('0 is not above 0');
    expect(problemOf('epochs', 'ten')).toBe('"ten" is not a number');
    expect(problemOf('epochs', '')).toBe('"" is not a number');
    expect(problemOf('epochs', '2.5')).toBe('2.5 is not a whole number');
    expect(problemOf('learningRate', '1e999')).toBe('"1e999" is not a number');
    expect(problemOf('batchSize', 'auto')).toBe('"auto" is not a number');
    expect(problemOf('activation', 'sigmoid')).toBe('"sigmoid" is not one of relu, tanh, gelu');
    expect(problemOf('kind', 'forest')).toBe('"forest" is not one of auto, linear, mlp, gbdt');
    expect(problemOf('earlyStopping', 'yes')).toBe('"yes" is not true or false');
    expect(problemOf('hidden', '64,0')).toBe('layer size 0 is not a whole number from 1 to 4096');
    expect(problemOf('hidden', '64,,32')).toMatch(/^layer size NaN is not a whole number from 1 to 4096$/);
  });
});

describe('searchSpaceProblem', () => {
  it('accepts lists of valid values, including null for a parameter chosen automatically', () => {
    expect(searchSpaceProblem({})).toBeNull();
    expect(searchSpaceProblem({ kind: ['linear'], batchSize: [null, 32], earlyStopping: [true, false], activation: ['gelu'] })).toBeNull();
  });

  const bad: [unknown, string][] = [
    [[], '[] is not an object of value lists'],
    [null, 'null is not an object of value lists'],
    [{ dropout: [0, 1.5] }, 'dropout: 1.5 is not below 1'],
    [{ kind: ['auto'] }, 'kind: "auto" is not a model a search can try; use linear, mlp or gbdt'],
    [{ l2: [] }, 'l2: must be a non-empty list'],
    [{ l2: 0 }, 'l2: must be a non-empty list'],
    [{ hidden: [[16], [0]] }, 'hidden: layer size 0 is not a whole number from 1 to 4096'],
    [{ model: ['linear'] }, 'model: unknown hyper-parameter; the hyper-parameters are kind, epochs, earlyStopping, learningRate, hidden, activation, dropout, l2, classWeights, batchSize, rounds, leaves, treeLearningRate, minLeafRows, maxDepth'],
  ];
  it.each(bad)('refuses %j', (space, message) => {
    expect(searchSpaceProblem(space)).toBe(message);
  });

  it('agrees with the spec: a space is refused in a spec exactly when searchSpaceProblem refuses it', () => {
    for (const [space] of bad) {
      const spec = { format: 'millrace.pipeline/1', target: 'y', model: { search: { strategy: 'grid', space } } };
      expect(refusal(spec).message, JSON.stringify(space)).toMatch(/^model\.search\.space/);
    }
    const good = { kind: ['linear'], batchSize: [null, 32], earlyStopping: [true, false], hidden: [[4096]] };
    expect(searchSpaceProblem(good)).toBeNull();
    expect(() => parseSpec({ format: 'millrace.pipeline/1', target: 'y', model: { search: { strategy: 'grid', space: good } } })).not.toThrow();
  });
});

describe('normalizing and resolving', () => {
  it("clears a linear model's MLP knobs and gives an MLP layers", () => {
    const params = { ...defaultHyperParams(), hidden: [8], dropout: 0.3, activation: 'tanh' as const };
    expect(normalizeHyperParams({ ...params, kind: 'linear' as const })).toMatchObject({ kind: 'linear', hidden: [], dropout: 0, activation: 'relu' });
    expect(normalizeHyperParams({ ...params, kind: 'mlp' as const, hidden: [] })).toMatchObject({ kind: 'mlp', hidden: [32], dropout: 0.3, activation: 'tanh' });
  });

  it("resolves 'auto' by task: linear for classes, an MLP for regression", () => {
    const model = parseSpec({ format: 'millrace.pipeline/1', target: 'y', model: { dropout: 0.2 } }).model;
    const classes = resolveParams(model, 'multiclass');
    expect(classes.params).toMatchObject({ kind: 'linear', hidden: [], dropout: 0 });
    expect(classes.reason).toMatch(/^auto: a linear/);
    const regression = resolveParams(model, 'regression');
    expect(regression.params).toEqual({ ...defaultHyperParams(), kind: 'mlp', dropout: 0.2 });
    expect(resolveParams({ ...model, kind: 'mlp' }, 'binary').reason).toBe('mlp requested');
    expect('search' in regression.params).toBe(false);
  });
});
