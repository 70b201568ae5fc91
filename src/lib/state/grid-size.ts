// The virtual grid's size and status line: no taller than its rows need, and "scroll to see more" only when rows are off screen.

/** Height of a row and of the header row, px. */
export const GRID_ROW = 28;
export const GRID_HEADER = 34;

/**
 * The grid's outer height: `asked`, or less when every row fits (header, rows, the 2 px border and, when the columns
 * are wider than the grid, `scrollbar` px for the horizontal scrollbar). One empty row's height at least.
 */
export function gridHeight(asked: number, total: number, scrollbar = 0): number {
  return Math.min(asked, GRID_HEADER + Math.max(1, total) * GRID_ROW + 2 + scrollbar);
}

/** The line under the grid: "2 rows" when all are on screen, else "Rows 1–14 of 344 · scroll to see more". */
export function gridStatus(first: number, last: number, total: number): string {
  if (total === 0) return 'No rows';
  if (first === 0 && last >= total) return `${total.toLocaleString('en-US')} row${total === 1 ? '' : 's'}`;
  return `Rows ${(first + 1).toLocaleString('en-US')}–${last.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} · scroll to see more`;
}
