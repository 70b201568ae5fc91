// The ROC curve names its positive class: the second of a binary model's classes, as its AUC counts it.
import { describe, expect, it } from 'vitest';
import { rocCaption, rocPositiveClass } from '../../../src/lib/state/roc-words.ts';

describe('roc words', () => {
  it('names the positive class and the other one', () => {
    expect(rocPositiveClass(['no', 'yes'])).toBe('yes');
    expect(rocPositiveClass(['a', 'b', 'c'])).toBeNull();
    expect(rocCaption(['no', 'yes'])).toMatch(/^Positive class: “yes” \(against “no”\)\. /);
  });
});
