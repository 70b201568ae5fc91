// Loading the scikit-learn reference values (reference/make_reference.py) and comparing numbers to 1e-9.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** A JSON file written by reference/make_reference.py. */
export function loadReference<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./reference/${name}`, import.meta.url), 'utf8')) as T;
}

export const TOLERANCE = 1e-9;

/** Every number within 1e-9 of the reference, at any depth of arrays and objects (keys of `expected` only). */
export function expectClose(actual: unknown, expected: unknown, path = 'value'): void {
  if (typeof expected === 'number') {
    expect(typeof actual, path).toBe('number');
    if (Math.abs((actual as number) - expected) > TOLERANCE) {
      expect.fail(`${path}: ${String(actual)} is not within ${TOLERANCE} of ${expected}`);
    }
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual) || ArrayBuffer.isView(actual), `${path} is an array`).toBe(true);
    const list = Array.from(actual as ArrayLike<unknown>);
    expect(list.length, `${path}.length`).toBe(expected.length);
    expected.forEach((item, i) => expectClose(list[i], item, `${path}[${i}]`));
    return;
  }
  if (expected && typeof expected === 'object') {
    expect(actual, path).toBeTypeOf('object');
    for (const [key, value] of Object.entries(expected)) expectClose((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    return;
  }
  expect(actual, path).toEqual(expected);
}
