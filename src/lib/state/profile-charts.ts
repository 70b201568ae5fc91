// The column profile's charts (histogram, top values) as Vega-Lite specs: counts of rows are whole numbers, so their axes tick by whole numbers.
import type { VisualizationSpec } from 'vega-embed';

/** An axis of row counts: at most `tickCount` ticks, never between two whole numbers (no 0.5 rows), thousands separated. */
export function countAxis(tickCount = 3) {
  return { tickCount, tickMinStep: 1, format: ',d' } as const;
}

/** A numeric or date column's histogram from pre-binned rows {x0, x1, count}. */
export function histogramSpec(xType: 'quantitative' | 'temporal'): VisualizationSpec {
  return {
    data: { name: 'values' },
    mark: { type: 'bar', binSpacing: 1 },
    encoding: {
      x: { field: 'x0', type: xType, bin: { binned: true }, title: null, axis: { tickCount: 4, labelOverlap: true } },
      x2: { field: 'x1' },
      y: { field: 'count', type: 'quantitative', title: null, stack: null, axis: countAxis() },
      tooltip: [
        { field: 'x0', type: xType, title: 'from' },
        { field: 'x1', type: xType, title: 'to' },
        { field: 'count', type: 'quantitative', title: 'rows', format: ',d' },
      ],
    },
  } as VisualizationSpec;
}

/** A column's most frequent values from rows {value, count}, most frequent on top. */
export function topValuesSpec(): VisualizationSpec {
  return {
    data: { name: 'values' },
    mark: { type: 'bar', cornerRadiusEnd: 2 },
    encoding: {
      y: { field: 'value', type: 'nominal', sort: '-x', title: null, axis: { labelLimit: 110 } },
      x: { field: 'count', type: 'quantitative', title: null, stack: null, axis: countAxis() },
      tooltip: [
        { field: 'value', type: 'nominal', title: 'value' },
        { field: 'count', type: 'quantitative', title: 'rows', format: ',d' },
      ],
    },
  } as VisualizationSpec;
}
