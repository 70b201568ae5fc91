// Feature sets on real files: the default set equals the automatic transforms, scoring is bit-identical, errors name the feature.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { featureSetFromPlan, fitFeatureSet, fitPlan } from '../../../../src/lib/pipeline/features/fit.ts';
import { featurePreview } from '../../../../src/lib/pipeline/features/preview.ts';
import type { FeatureSet } from '../../../../src/lib/pipeline/features/types.ts';
import { parseFeatureSet } from '../../../../src/lib/pipeline/features/validate.ts';
import { planFeatures, rowsWithTarget } from '../../../../src/lib/pipeline/plan.ts';
import { profileTable } from '../../../../src/lib/pipeline/profile.ts';
import { splitRows } from '../../../../src/lib/pipeline/split.ts';
import { applyTransforms } from '../../../../src/lib/pipeline/transforms.ts';
import { catchAppError, loadVega } from '../helpers.ts';

const FIXTURES = new URL('../../../fixtures/feature-sets/', import.meta.url);
const fixture = (name: string) => parseFeatureSet(JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')), name);

describe('featureSetFromPlan', () => {
  it.each([
    ['penguins.json', 'Species'],
    ['cars.json', 'Miles_per_Gallon'],
    ['movies.json', 'IMDB Rating'],
  ])('fits from the profile types to the same bundle as from the table types on %s', (file, target) => {
    const table = loadVega(file);
    const profile = profileTable(table);
    const plan = planFeatures(table, profile, target);
    const { train } = splitRows(rowsWithTarget(table, target), 0.2, 42);
    const set = featureSetFromPlan(plan, profile);
    const fromSet = fitFeatureSet(table, set, train, plan);
    const auto = fitPlan(table, plan, train);
    expect(JSON.stringify(fromSet)).toBe(JSON.stringify(auto));
    expect(applyTransforms(table, fromSet)).toEqual(applyTransforms(table, auto));
    // One fitter: every automatic feature is a standardized number or a one-hot category without an unseen slot of its own.
    for (const feature of auto.features) expect(['numeric', 'onehot']).toContain(feature.kind);
  });
});

describe('scoring applies the bundle bit-identically', () => {
  it.each([
    ['movies.json', 'IMDB Rating', 'movies.json'],
    ['seattle-weather.csv', 'weather', 'seattle-weather.json'],
  ])('on a re-parsed copy of %s', (file, target, setFile) => {
    const table = loadVega(file);
    const { train } = splitRows(rowsWithTarget(table, target), 0.2, 7);
    const set = fixture(setFile);
    const bundle = fitFeatureSet(table, set, train, { target, task: target === 'weather' ? 'multiclass' : 'regression' });
    const copy = loadVega(file);
    const shipped = JSON.parse(JSON.stringify(bundle));
    const atTraining = applyTransforms(table, bundle, train);
    const atScoring = applyTransforms(copy, shipped, train);
    expect(new Uint8Array(atScoring.buffer)).toEqual(new Uint8Array(atTraining.buffer));
  });

  it('with every transform kind, including hashed text', () => {
    const table = loadVega('movies.json');
    const set: FeatureSet = {
      name: 'kinds',
      version: 1,
      features: [
        { name: 'title', column: 'Title', transform: 'hash', params: { width: 64, tokens: 'char', ngrams: [2, 3] } },
        { name: 'budget', column: 'Production Budget', transform: 'log1p' },
        { name: 'gross', column: 'US Gross', transform: 'clip', params: { quantiles: [0.05, 0.95] } },
        { name: 'votes', column: 'IMDB Votes', transform: 'bucketize', params: { bins: 5 } },
        { name: 'rt', column: 'Rotten Tomatoes Rating', transform: 'minmax' },
        { name: 'rating', column: 'MPAA Rating', transform: 'ordinal', params: { order: ['G', 'PG', 'PG-13', 'R', 'NC-17'] } },
        { name: 'date', column: 'Release Date', transform: 'dateparts', params: { parts: ['year', 'month', 'dayOfWeek', 'daysSince'] } },
        { name: 'roi', column: 'Worldwide Gross', column2: 'Production Budget', transform: 'ratio' },
        { name: 'intl', column: 'Worldwide Gross', column2: 'US Gross', transform: 'difference' },
        { name: 'genre', column: 'Major Genre', transform: 'onehot' },
      ],
    };
    const { train } = splitRows(rowsWithTarget(table, 'IMDB Rating'), 0.2, 3);
    const bundle = fitFeatureSet(table, set, train, { target: 'IMDB Rating', task: 'regression' });
    const all = applyTransforms(table, bundle);
    expect(all.every((v) => Number.isFinite(v))).toBe(true);
    const again = applyTransforms(loadVega('movies.json'), JSON.parse(JSON.stringify(bundle)));
    expect(new Uint8Array(again.buffer)).toEqual(new Uint8Array(all.buffer));
  });
});

describe('validation names the feature and the column', () => {
  const cars = loadVega('cars.json');
  const rows = Int32Array.from({ length: 300 }, (_, i) => i);
  const goal = { target: 'Miles_per_Gallon', task: 'regression' as const };
  const one = (feature: object): FeatureSet => parseFeatureSet({ name: 's', version: 1, features: [feature] });

  it('rejects a numeric transform of a text column', () => {
    const set = one({ name: 'ratio_1', column: 'Name', column2: 'Weight_in_lbs', transform: 'ratio' });
    expect(catchAppError(() => fitFeatureSet(cars, set, rows, goal)).message).toBe('Feature "ratio_1": column "Name" is not numeric');
  });

  it('rejects unknown columns, the target as a feature, dates and text of the wrong type', () => {
    expect(catchAppError(() => fitFeatureSet(cars, one({ name: 'w', column: 'Weight', transform: 'log1p' }), rows, goal)).message).toMatch(
      /^Feature "w": unknown column "Weight"; the columns are "Name"/,
    );
    expect(catchAppError(() => fitFeatureSet(cars, one({ name: 't', column: 'Miles_per_Gallon', transform: 'standardize' }), rows, goal)).message).toMatch(
      /"Miles_per_Gallon" is the target/,
    );
    const date = one({ name: 'd', column: 'Horsepower', transform: 'dateparts', params: { parts: ['year'] } });
    expect(catchAppError(() => fitFeatureSet(cars, date, rows, goal)).message).toBe('Feature "d": column "Horsepower" is not a date');
    const text = one({ name: 'h', column: 'Origin', transform: 'hash', params: { width: 4 } });
    expect(fitFeatureSet(cars, text, rows, goal).width).toBe(4);
    const notText = one({ name: 'h', column: 'Cylinders', transform: 'hash', params: { width: 4 } });
    expect(catchAppError(() => fitFeatureSet(cars, notText, rows, goal)).message).toBe('Feature "h": column "Cylinders" is not text');
  });

  it('rejects bad JSON shapes with the feature named', () => {
    const message = (json: unknown) => catchAppError(() => parseFeatureSet(json, 'set.json')).message;
    expect(message([])).toMatch(/set\.json must be a JSON object/);
    expect(message({ name: 'a', version: 1, features: [{ name: 'f', column: 'x', transform: 'sqrt' }] })).toMatch(
      /Feature "f": unknown transform "sqrt"; the transforms are standardize, minmax/,
    );
    expect(message({ name: 'a', version: 1, features: [{ name: 'f', column: 'x', transform: 'ratio' }] })).toMatch(/Feature "f": ratio needs a second column/);
    expect(message({ name: 'a', version: 1, features: [{ name: 'f', column: 'x', transform: 'clip', params: { lower: 3, upper: 1 } }] })).toMatch(
      /Feature "f": "lower" must be below "upper"/,
    );
    expect(message({ name: 'a', version: 1, features: [{ name: 'f', column: 'x', transform: 'hash', params: { width: 0 } }] })).toMatch(/Feature "f": "width"/);
    const twice = { name: 'f', column: 'x', transform: 'standardize' };
    expect(message({ name: 'a', version: 1, features: [twice, twice] })).toMatch(/Feature "f" is defined twice/);
    expect(message({ name: 'a', version: 1, features: [{ name: 'f', column: 'x', transform: 'dateparts', params: { parts: ['week'] } }] })).toMatch(
      /Feature "f": "parts" must list some of year, month/,
    );
  });
});

describe('featurePreview', () => {
  it('summarizes each feature on the training rows with its correlation to a numeric target', () => {
    const cars = loadVega('cars.json');
    const { train } = splitRows(rowsWithTarget(cars, 'Miles_per_Gallon'), 0.2, 42);
    const bundle = fitFeatureSet(cars, fixture('cars.json'), train, { target: 'Miles_per_Gallon', task: 'regression' });
    const preview = featurePreview(cars, bundle, train, 'Miles_per_Gallon');
    expect(preview.width).toBe(bundle.width);
    expect(preview.rows).toBe(train.length);
    const weight = preview.features.find((f) => f.name === 'Weight_in_lbs')!;
    expect(weight.correlation).toBeLessThan(-0.8);
    expect(weight.mean).toBeCloseTo(0, 5);
    const hp = preview.features.find((f) => f.name === 'Horsepower')!;
    expect(hp.missing).toBeGreaterThan(0);
    expect(preview.features.find((f) => f.name === 'Origin')!.matrix.map((m) => m.name)).toEqual(['Origin=USA', 'Origin=Japan', 'Origin=Europe', 'Origin=other']);
  });

  it('correlates with the class index of a binary target and gives none for multiclass', () => {
    const penguins = loadVega('penguins.json');
    const rows = rowsWithTarget(penguins, 'Sex');
    const set = parseFeatureSet({ name: 'p', version: 1, features: [{ name: 'mass', column: 'Body Mass (g)', transform: 'standardize' }] });
    const binary = fitFeatureSet(penguins, set, rows, { target: 'Sex', task: 'multiclass' });
    expect(featurePreview(penguins, binary, rows, 'Sex').features[0]!.correlation).toBeNull();
  });
});
