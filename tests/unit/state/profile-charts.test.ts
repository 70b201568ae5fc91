// The profile's count axes tick by whole rows: rendered headless with Vega, a histogram of counts 1 and 2 labels 0, 1, 2 (not 0.5, 1.5).
import { describe, expect, it } from 'vitest';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { countAxis, histogramSpec, topValuesSpec } from '../../../src/lib/state/profile-charts.ts';

type Scene = { text?: unknown; items?: Scene[]; mark?: { role?: string } };

/** The tick labels of each axis, keyed by the field the axis shows ('count', 'x0', …), of a Vega-Lite spec drawn on `values`. */
async function axisLabels(spec: object, values: object[]): Promise<Record<string, string[]>> {
  const full = { ...spec, width: 200, height: 120, data: { values } } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(full).spec), { renderer: 'none' });
  await view.runAsync();
  const labels: Record<string, string[]> = {};
  // Axes are drawn in the order Vega-Lite declares them: x, then y.
  const fields = ['x', 'y'].map((channel) => ((full as { encoding: Record<string, { field: string }> }).encoding[channel]?.field ?? channel));
  // Grid-only axes come first and have no labels: count the axes that label something.
  let axis = -1;
  let entered = false;
  const walk = (item: Scene) => {
    if (item.mark?.role === 'axis') entered = true;
    if (item.mark?.role === 'axis-label' && typeof item.text === 'string') {
      if (entered) axis++;
      entered = false;
      (labels[fields[axis] ?? String(axis)] ??= []).push(item.text);
    }
    for (const child of item.items ?? []) walk(child);
  };
  walk((view.scenegraph() as unknown as { root: Scene }).root);
  view.finalize();
  return labels;
}

describe('profile charts', () => {
  it('count axes never tick between whole numbers', async () => {
    expect(countAxis()).toEqual({ tickCount: 3, tickMinStep: 1, format: ',d' });
    const histogram = await axisLabels(histogramSpec('quantitative'), [{ x0: 0, x1: 1, count: 1 }, { x0: 1, x1: 2, count: 2 }]);
    expect(histogram.count).toEqual(['0', '1', '2']);
    const top = await axisLabels(topValuesSpec(), [{ value: 'a', count: 2 }, { value: 'b', count: 1 }]);
    expect(top.count).toEqual(['0', '1', '2']);
    // Without the whole-number step, Vega-Lite ticks a count of 2 at 0.5 (the bug this guards).
    const plain = await axisLabels({ ...topValuesSpec(), encoding: { ...(topValuesSpec() as { encoding: object }).encoding, x: { field: 'count', type: 'quantitative', axis: { tickCount: 3 } } } }, [{ value: 'a', count: 2 }]);
    expect(plain.count?.some((label) => label.includes('.'))).toBe(true);
  });
});
