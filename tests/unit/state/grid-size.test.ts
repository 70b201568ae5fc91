// The virtual grid is no taller than its rows, and says "scroll to see more" only when rows are off screen.
import { describe, expect, it } from 'vitest';
import { gridHeight, gridStatus } from '../../../src/lib/state/grid-size.ts';

describe('gridHeight', () => {
  it('shrinks to 2 rows (and a horizontal scrollbar when there is one), never above the height asked', () => {
    expect(gridHeight(420, 2)).toBe(34 + 2 * 28 + 2);
    expect(gridHeight(420, 2, 17)).toBe(34 + 2 * 28 + 2 + 17);
    expect(gridHeight(420, 0)).toBe(34 + 28 + 2);
    expect(gridHeight(420, 344)).toBe(420);
  });
});

describe('gridStatus', () => {
  it('counts the rows when all are on screen, else says where the screen is', () => {
    expect(gridStatus(0, 2, 2)).toBe('2 rows');
    expect(gridStatus(0, 1, 1)).toBe('1 row');
    expect(gridStatus(0, 0, 0)).toBe('No rows');
    expect(gridStatus(0, 15, 344)).toBe('Rows 1–15 of 344 · scroll to see more');
    expect(gridStatus(329, 344, 344)).toBe('Rows 330–344 of 344 · scroll to see more');
  });
});
