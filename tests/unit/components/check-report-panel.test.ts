// The Check report rendered on the server: a failed table-level rule reads the same in the table as in the chart.
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import CheckReportPanel from '../../../src/components/check/CheckReportPanel.svelte';
import type { CheckReport } from '../../../src/lib/pipeline/quality/check.ts';

const report: CheckReport = {
  versionId: 2,
  datasetId: 1,
  suiteVersion: 0,
  recipeVersion: 0,
  suggested: true,
  rowsIn: 731,
  rowsChecked: 731,
  recipeSteps: [],
  privacy: [],
  checkedAt: '2026-12-04T14:00:00.000Z',
  durationMs: 12,
  report: {
    suite: 'Suggested checks',
    version: 1,
    rows: 731,
    referenceRows: 366,
    blocked: false,
    rules: [
      { id: 'row-count-change', kind: 'row-count-change', severity: 'warn', passed: false, failingShare: 1, failingCount: 0, examples: [], observed: 0.997, message: 'Rule row-count-change: 731 rows vs 366' },
      { id: 'not-null:wind', kind: 'not-null', column: 'wind', severity: 'warn', passed: true, failingShare: 0, failingCount: 0, examples: [] },
    ],
  },
};

describe('CheckReportPanel', () => {
  it('shows a failed table-level rule as 100% of the whole table under "Passed with warnings"', () => {
    const { body } = render(CheckReportPanel, {
      props: { report, versionLabel: 'seattle v2', describe: () => undefined, checking: false, onRecheck: () => {} },
    });
    const row = body.slice(body.indexOf('data-rule-id="row-count-change"'));
    expect(row).toMatch(/data-testid="failing-share"[^>]*>100%</);
    expect(row).toMatch(/data-testid="failing-count"[^>]*>whole table</);
    expect(body).toContain('Passed with warnings');
    expect(body).not.toContain('Rules passed');
  });
});
