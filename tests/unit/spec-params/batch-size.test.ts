// The hyper-parameter added through the registry alone (plus the line in trial.ts that hands it to training):
// the spec, the CLI flag and help, the form's defaults and the run all know `batchSize`.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { chooseBackend } from '../../../src/lib/ml/backend-node.ts';
import { runPipeline } from '../../../src/lib/ml/run.ts';
import { parseCommand, HELP } from '../../../src/cli/args.ts';
import { specFromFlags } from '../../../src/cli/spec-from-flags.ts';
import { makeSpec } from '../../../src/lib/pipeline/spec/build.ts';
import { pipelineSchema } from '../../../src/lib/pipeline/spec/schema.ts';
import { parseFile } from '../../../src/lib/pipeline/parse.ts';
import { TrainOptions } from '../../../src/lib/state/train-options.svelte.ts';

const penguins = () => parseFile(readFileSync('node_modules/vega-datasets/data/penguins.json'), 'penguins.json');

describe('batchSize, declared once in the registry', () => {
  beforeAll(async () => {
    await chooseBackend('cpu');
  });

  it('is in the spec with its default and range, and in the published schema', () => {
    expect(makeSpec({ target: 'Species' }).model.batchSize).toBeNull();
    expect(() => makeSpec({ target: 'Species', model: { batchSize: 0 } })).toThrow('model.batchSize: 0 is below 1');
    expect(() => makeSpec({ target: 'Species', model: { batchSize: 2.5 } })).toThrow('model.batchSize: 2.5 is not a whole number');
    const schema = pipelineSchema().properties?.model?.properties?.batchSize;
    expect(schema).toMatchObject({ type: ['integer', 'null'], minimum: 1, default: null });
  });

  it('is a CLI flag with help, turned into the spec', async () => {
    expect(HELP).toMatch(/--batch-size N\s+rows per optimizer step/);
    const command = parseCommand(['run', '--data', 'x.json', '--target', 'Species', '--out', 'o', '--batch-size', '16']);
    if (command.name !== 'run') throw new Error('not a run');
    const spec = await specFromFlags(command.pipeline, command, penguins(), {});
    expect(spec.model.batchSize).toBe(16);
    await expect(specFromFlags({ ...command.pipeline, params: { batchSize: '0' } }, command, penguins(), {})).rejects.toThrow('--batch-size: 0 is below 1');
  });

  it('is a form field value of the Train options', () => {
    const options = new TrainOptions();
    expect(options.specParts().model.batchSize).toBeNull();
    options.setParam('batchSize', 8);
    expect(options.specParts().model.batchSize).toBe(8);
  });

  it('changes how the model trains, and the run records it', async () => {
    const table = penguins();
    const spec = (batchSize: number | null) => makeSpec({ target: 'Species', split: { seed: 3 }, model: { kind: 'linear', epochs: 3, earlyStopping: false, batchSize } });
    const small = await runPipeline(table, spec(8));
    const automatic = await runPipeline(table, spec(null));
    small.model.dispose();
    automatic.model.dispose();
    expect(small.params.batchSize).toBe(8);
    expect(automatic.params.batchSize).toBeNull();
    // 8 rows a step takes many more steps than the automatic 32: the first epoch's loss differs.
    expect(small.history[0]!.loss).not.toBeCloseTo(automatic.history[0]!.loss, 6);
  });
});
