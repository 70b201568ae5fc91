// Bad pipeline specs are refused with one message that starts with the JSON path of what is wrong.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../src/lib/pipeline/errors.ts';
import { parseSpec } from '../../../../src/lib/pipeline/spec/validate.ts';
import { accepted, refusal, refusals } from './cases.ts';

describe('parseSpec refuses bad specs, naming the JSON path', () => {
  for (const { name, spec, message } of refusals()) {
    it(`refuses ${name}`, () => {
      expect(refusal(spec)).toEqual({ code: 'bad-argument', message });
    });
  }

  it('refuses text that is not JSON', () => {
    expect(refusal('{"format": "millrace.pipeline/1", "target": ')).toEqual({ code: 'bad-json', message: 'The pipeline spec is not valid JSON: Unexpected end of JSON input' });
    expect(refusal('')).toEqual({ code: 'bad-json', message: 'The pipeline spec is not valid JSON: Unexpected end of JSON input' });
  });

  it('says NaN and Infinity, not null, for numbers that are not finite (a cleared form field)', () => {
    expect(refusal({ format: 'millrace.pipeline/1', target: 'y', split: { seed: NaN } }).message).toBe('split.seed: NaN is not a whole number');
    expect(refusal({ format: 'millrace.pipeline/1', target: 'y', model: { learningRate: Infinity } }).message).toBe('model.learningRate: Infinity is not a number');
  });

  it('shortens long values in messages', () => {
    const { message } = refusal({ format: 'millrace.pipeline/1', target: 'y', task: 'x'.repeat(100) });
    // 60 characters at most: the opening quote and 56 of the value, then an ellipsis.
    expect(message).toBe(`task: "${'x'.repeat(56)}… is not one of binary, multiclass, regression`);
  });

  it('accepts every spec of the accepted list', () => {
    for (const { name, spec } of accepted()) expect(() => parseSpec(spec), name).not.toThrow();
  });

  it('throws AppErrors (the CLI prints them on one line, the studio beside the field)', () => {
    expect(() => parseSpec({ format: 'millrace.pipeline/1' })).toThrow(AppError);
  });
});
