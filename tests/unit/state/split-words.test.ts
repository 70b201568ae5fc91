// "Split: Default" explained: stratified for a classification target, random for regression, with what is held out.
import { describe, expect, it } from 'vitest';
import { defaultSplitLabel, effectiveSplit, splitHint, splitText } from '../../../src/lib/state/split-words.ts';

describe('split words', () => {
  it('says what the default split is for the task', () => {
    expect(defaultSplitLabel('binary')).toBe('Default (stratified)');
    expect(defaultSplitLabel('regression')).toBe('Default (random)');
    expect(defaultSplitLabel('')).toBe('Default (stratified for classes, random for numbers)');
    expect(effectiveSplit('time', 'binary')).toBe('time');
  });
  it('explains what is held out, and names the split in the run comparison', () => {
    expect(splitHint('auto', 'multiclass')).toBe('20% of the rows are held out for testing, keeping each class’s share; the seed makes it repeatable.');
    expect(splitHint('time', 'regression')).toMatch(/most recent 20%/);
    expect(splitText('auto', 'regression')).toBe('default (random)');
    expect(splitText('auto', 'multiclass')).toBe('default (stratified)');
    expect(splitText('stratified', 'binary')).toBe('stratified');
  });
});
