// The columns a file to score must have: model inputs and what the recipe reads (a filter's expression too), refused naming each; a filter on the target is skipped for a file without it.
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/lib/pipeline/parse-csv.ts';
import { stepsForScoring } from '../../../src/lib/pipeline/recipe/scoring.ts';
import type { RecipeStep } from '../../../src/lib/pipeline/recipe/types.ts';
import { scoreColumns } from '../../../src/lib/pipeline/score-input.ts';
import type { TransformBundle } from '../../../src/lib/pipeline/types.ts';

const bundle = {
  format: 'millrace.transforms/1',
  target: 'churn',
  task: 'binary',
  features: [{ kind: 'numeric', column: 'income', median: 1, mean: 1, std: 1 }],
  featureNames: ['income'],
  width: 1,
} as unknown as TransformBundle;

describe('scoreColumns', () => {
  it('says the file lacks the column a filter of the recipe reads, naming it and the step', () => {
    const steps: RecipeStep[] = [{ kind: 'filter', expression: 'd.age >= 18' }];
    expect(() => scoreColumns(bundle, steps, ['income', 'city'], 'new.csv')).toThrow(
      'new.csv lacks a column the model needs: "age" (read by step 1 (filter) of the recipe)',
    );
    expect(scoreColumns(bundle, steps, ['income', 'age', 'city'], 'new.csv')).toEqual({ needed: ['income', 'age'], ignored: ['city'] });
  });

  it('names a missing model input as one', () => {
    expect(() => scoreColumns(bundle, [], ['city'], 'new.csv')).toThrow(expect.objectContaining({ code: 'unknown-column', message: 'new.csv lacks a column the model needs: "income" (a model input)' }));
  });
});

describe('stepsForScoring', () => {
  it('skips a filter reading the target when the file has no target, keeps it when it has', () => {
    const steps: RecipeStep[] = [{ kind: 'filter', expression: "d.churn != null && d.income > 0" }, { kind: 'filter', expression: 'd.income < 100' }];
    expect(stepsForScoring(steps, parseCsv('income\n5\n', 'new.csv'), 'churn', 'new.csv')).toEqual([steps[1]]);
    expect(stepsForScoring(steps, parseCsv('income,churn\n5,yes\n', 'new.csv'), 'churn', 'new.csv')).toEqual(steps);
  });
});
