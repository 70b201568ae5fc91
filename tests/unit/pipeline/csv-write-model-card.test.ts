import { describe, expect, it } from 'vitest';
import { dsvFormat } from 'd3-dsv';
import { formatFloat32, predictionsCsv, toCsv } from '../../../src/lib/pipeline/csv-write.ts';
import { modelCard } from '../../../src/lib/pipeline/model-card.ts';
import { parseCsv } from '../../../src/lib/pipeline/parse-csv.ts';
import type { TransformBundle } from '../../../src/lib/pipeline/types.ts';

describe('toCsv', () => {
  it('quotes commas, quotes and line breaks and writes missing as empty', () => {
    const cells = [['plain', 'a,b', 'say "hi"', 'two\nlines', null, 1.5, true, NaN]];
    const csv = toCsv(['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8'], 1, (r, c) => cells[r]?.[c] ?? null);
    expect(csv).toBe('c1,c2,c3,c4,c5,c6,c7,c8\r\nplain,"a,b","say ""hi""","two\nlines",,1.5,true,\r\n');
    expect(dsvFormat(',').parseRows(csv)[1]).toEqual(['plain', 'a,b', 'say "hi"', 'two\nlines', '', '1.5', 'true', '']);
  });

  it('writes float32 values at float32 precision', () => {
    expect(formatFloat32(Math.fround(0.3))).toBe('0.3');
    expect(formatFloat32(Math.fround(1 / 3))).toBe('0.33333334');
  });
});

describe('predictionsCsv', () => {
  it('appends prediction columns and round-trips through the parser', () => {
    const table = parseCsv('name,when,ok\n"Lee, A",2020-01-02,true\nBo,,false\n', 'in.csv');
    const csv = predictionsCsv(table, [
      { name: 'prediction', values: ['yes', 'no'] },
      { name: 'ok', values: Float32Array.of(0.1, 0.9) },
    ]);
    expect(csv).toBe('name,when,ok,prediction,ok_2\r\n"Lee, A",2020-01-02,true,yes,0.1\r\nBo,,false,no,0.9\r\n');
  });

  it('refuses a prediction column of the wrong length', () => {
    const table = parseCsv('a\n1\n2\n', 'in.csv');
    expect(() => predictionsCsv(table, [{ name: 'p', values: [1] }])).toThrow('Prediction column "p" has 1 values for 2 rows');
  });
});

describe('modelCard', () => {
  const bundle: TransformBundle = {
    format: 'millrace.transforms/1',
    target: 'Species',
    task: 'multiclass',
    classes: ['Adelie', 'Chinstrap', 'Gentoo'],
    features: [],
    featureNames: ['Island=Biscoe', 'Beak Length (mm)'],
    width: 2,
  };
  const metrics = { accuracy: 0.97, macroF1: 0.96, rocAuc: 0.995, logLoss: 0.1, confusion: [], classes: [] };
  const baseline = { accuracy: 0.44, macroF1: 0.2, rocAuc: 0.5, logLoss: 1.05, confusion: [], classes: [] };
  const info = {
    name: 'species <b>',
    version: 2,
    createdAt: '2025-01-01T00:00:00.000Z',
    datasetFile: 'penguins.json',
    datasetSha256: 'a'.repeat(64),
    rows: 344,
    bundle,
    plan: {
      target: 'Species',
      task: 'multiclass',
      features: ['Island', 'Beak Length (mm)'],
      dropped: [{ column: 'id', reason: 'every value is different, like an ID' }],
    },
    evaluation: { task: 'multiclass', metrics, baseline },
    backend: 'wasm',
    model: 'mlp',
    seed: 7,
  } satisfies Parameters<typeof modelCard>[0];
  const card = modelCard(info);

  it('has the sections with metrics beside the baseline', () => {
    expect(card).toContain('# species \\<b\\> — version 2');
    expect(card).toContain('## Intended use');
    expect(card).toContain('Predicts **Species** (multiclass classification)');
    expect(card).toContain(`SHA-256: \`${'a'.repeat(64)}\``);
    expect(card).toContain('- id: every value is different, like an ID');
    expect(card).toContain('| Accuracy | 0.970 | 0.440 |');
    expect(card).toContain('| Log loss | 0.100 | 1.050 |');
    expect(card).toContain('## Caveats and recommendations');
    expect(card).not.toContain('Checked with');
  });

  it('names the rule suite, recipe and privacy actions the training data went through', () => {
    const cleaned = modelCard({
      ...info,
      preparation: {
        recipeVersion: 2,
        suiteVersion: 1,
        recipeSteps: [
          { kind: 'replace', columns: ['Sex'], from: ['.'], to: null },
          { kind: 'drop-missing', columns: ['Sex'] },
        ],
        privacySteps: [{ kind: 'hash', column: 'email' }],
      },
    });
    expect(cleaned).toContain('- Checked with rule suite v1; cleaned with recipe v2 and 1 privacy action:');
    expect(cleaned).toMatch(/ {2}1\. Replace "\." with missing in Sex\n {2}2\. Drop rows missing Sex\n {2}3\. .*email/);
    expect(cleaned).toContain('recipe.json in the bundle');
  });

  it("follows Mitchell et al.'s sections and, with a review, shows intervals, calibration, groups and the verdict, escaped", () => {
    const interval = (estimate: number, low: number, high: number) => ({ estimate, low, high, level: 0.95, resamples: 1000 });
    const reviewed = modelCard({
      ...info,
      review: {
        ci: { accuracy: interval(0.97, 0.94, 0.99) },
        calibration: { ece: 0.042 },
        fairness: {
          'Sex <b>': {
            positiveClass: 'Gentoo',
            groups: [
              { group: 'FEMALE', n: 35, tooFew: false, selectionRate: 0.343, tpr: 1, fpr: 0, accuracy: 1 },
              { group: '<img src=x onerror=alert(1)>', n: 3, tooFew: true, selectionRate: 0, tpr: NaN, fpr: 0, accuracy: 1 },
            ],
            disparities: { demographicParityRatio: interval(0.7, 0.5, 0.9), equalizedOddsDifference: { estimate: 0.1 }, fourFifths: false },
          },
        },
        verdict: { passed: false, failures: ['demographicParityRatio on Sex 0.7 is below the floor 0.8'] },
      },
    });
    const headings = reviewed.split('\n').filter((line) => line.startsWith('## '));
    expect(headings).toEqual([
      '## Model details', '## Intended use', '## Factors', '## Metrics', '## Evaluation data', '## Training data',
      '## Quantitative analyses', '## Ethical considerations', '## Caveats and recommendations',
    ]);
    expect(reviewed).toContain('- accuracy: 0.970 (95% interval 0.940–0.990, 1000 bootstrap resamples)');
    expect(reviewed).toContain('Expected calibration error: 0.042 (10 bins).');
    expect(reviewed).toContain('**Sex \\<b\\>** (positive class: Gentoo)');
    expect(reviewed).toContain('| \\<img src=x onerror=alert(1)\\> (too few rows to judge) | 3 | 0.000 | n/a | 0.000 | 1.000 |');
    // Every < from the data is escaped, so Markdown shows it as text.
    expect(reviewed).not.toMatch(/(^|[^\\])<img/m);
    expect(reviewed).toContain('Demographic-parity ratio 0.700 (0.500–0.900); equalized-odds difference 0.100; **below the four-fifths rule**.');
    expect(reviewed).toContain('The review policy failed:\n- demographicParityRatio on Sex 0.7 is below the floor 0.8');
    expect(card).toContain('Not reviewed by group: no evaluation report is attached.');
  });
});
