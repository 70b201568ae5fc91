// End to end, monitoring: a weather model trained on Seattle 2012–2013 and promoted; the 2015 days dropped on Monitor (temp_max and the label drift), then appended as a batch and compared again; the retrain the policy triggers, its challenger approved as champion; the timeline, a column's distributions, the audit log.
import { expect, test } from '@playwright/test';
import { appendBatch, screen, versionRow } from './collect-helpers.ts';
import { downloadText, dropFile, foreignRequests, recordRequests, train } from './studio-helpers.ts';

const fixtures = 'tests/fixtures/monitor';

test('seattle-weather: 2015 against a 2012–2013 champion flags temp_max and the label; the appended batch triggers a retrain whose challenger is approved', async ({ page, baseURL }) => {
  const requests = recordRequests(page);
  await page.goto('/');
  await dropFile(page, `${fixtures}/seattle-2012-2013.csv`, 'seattle-2012-2013.csv', 'text/csv');
  await expect(page.getByTestId('dataset-row').filter({ hasText: 'seattle-2012-2013' })).toContainText('731');
  // The monitoring policy goes into the spec from the Train form: temp_max is a key column.
  await page.getByRole('link', { name: 'Train' }).click();
  const monitoring = page.getByRole('region', { name: 'Monitoring' });
  await monitoring.getByRole('heading', { name: 'Monitoring' }).click();
  await monitoring.getByLabel('Key columns (any of them drifting)').fill('temp_max');
  await expect(monitoring.getByTestId('monitor-policy-words')).toContainText('Retrain on dataset drift, decay (measured, or estimated without labels), drift of temp_max');
  await monitoring.scrollIntoViewIfNeeded();
  await screen(page, 'train-monitoring');
  await train(page, 'weather', { model: 'linear' });
  await page.getByRole('link', { name: 'Evaluate' }).click();
  await page.getByLabel('Model name').fill('weather');
  await page.getByRole('button', { name: 'Save model' }).click();
  await expect(page.getByText('Saved as')).toContainText('weather');

  await page.getByRole('link', { name: 'Monitor' }).click();
  await expect(page.getByRole('heading', { name: 'Monitor', exact: true })).toBeVisible();
  await expect(page.getByText('Watching v1')).toContainText('newest; no champion yet');
  // v1 becomes the champion on Models.
  await page.getByRole('link', { name: 'Models' }).click();
  const v1 = page.getByTestId('model-row').filter({ has: page.getByRole('rowheader', { name: 'weather v1', exact: true }) });
  await v1.getByRole('button', { name: 'Promote' }).click();
  const promoteV1 = page.getByRole('form', { name: 'Promote weather v1' });
  await promoteV1.getByLabel('Note', { exact: true }).fill('the first weather model');
  await promoteV1.getByRole('button', { name: 'Promote to champion' }).click();
  await expect(v1).toContainText('champion');
  await page.getByRole('link', { name: 'Monitor' }).click();
  await expect(page.getByText('Watching v1')).toContainText('(champion)');
  await expect(page.getByText('No batch compared with weather yet')).toBeVisible();

  // A dropped file: the 2015 days.
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Compare a file…' }).click();
  await (await chooser).setFiles(`${fixtures}/seattle-2015.csv`);
  const verdict = page.getByRole('region', { name: 'Drift verdict' });
  await expect(verdict).toContainText('seattle-2015.csv · 365 rows', { timeout: 60_000 });
  await expect(verdict).toContainText('Drifted: ');
  await expect(verdict).toContainText('temp_max');
  await expect(verdict.getByRole('listitem').filter({ hasText: 'Target' })).toContainText('Drifted');
  await expect(verdict).toContainText('Date columns are not compared');
  const columns = page.getByRole('region', { name: 'Columns' });
  const tempMax = columns.getByRole('row').filter({ has: page.getByRole('button', { name: 'Show the distributions of temp_max' }) });
  await expect(tempMax).toContainText('Drifted');
  await expect(tempMax).toContainText('Wasserstein (normed)');
  await expect(tempMax).toContainText('unchanged batches');
  await columns.getByRole('button', { name: 'Show the distributions of wind' }).click();
  await expect(page.getByRole('region', { name: 'Distributions of wind' }).locator('svg, canvas').first()).toBeVisible();
  await screen(page, 'monitor-file');

  // The same days appended to the dataset: only the rows the append added are compared, with the same figures.
  await page.getByRole('link', { name: 'Data' }).click();
  await appendBatch(page, 'seattle-2012-2013', `${fixtures}/seattle-2015.csv`);
  const accept = page.getByRole('button', { name: 'Accept schema change' });
  const v2 = versionRow(page, 'seattle-2012-2013', 2);
  await expect(accept.or(v2).first()).toBeVisible();
  if (await accept.isVisible()) await accept.click();
  await expect(v2.getByTestId('total-rows')).toHaveText('1,096');
  await page.getByRole('link', { name: 'Monitor' }).click();
  await page.getByLabel('Batch: a dataset version').selectOption({ label: 'seattle-2012-2013 v2 · 1,096 rows' });
  await expect(page.getByLabel(/the whole version/)).not.toBeChecked();
  await page.getByRole('button', { name: 'Compare with training data' }).click();
  await expect(verdict).toContainText('seattle-2012-2013 v2 (the rows its append added) · 365 rows', { timeout: 60_000 });
  const timeline = page.getByRole('region', { name: 'Drift over time' });
  await expect(timeline).toContainText('2 batches compared');
  await expect(timeline.getByRole('button')).toHaveCount(2);
  await screen(page, 'monitor-timeline');
  // The first report can be shown again.
  await timeline.getByRole('button', { name: /1\. seattle-2015\.csv/ }).click();
  await expect(verdict).toContainText('seattle-2015.csv · 365 rows');

  // The appended batch fires the policy (dataset drift, decay): retrain on v2, the candidate reviewed against v1 on the new test rows.
  await timeline.getByRole('button', { name: /2\. seattle-2012-2013 v2/ }).click();
  await expect(verdict).toContainText('This batch triggers a retrain');
  await expect(verdict).toContainText('dataset drift');
  await expect(verdict).toContainText('a key column drifted: temp_max');
  const retrain = page.getByRole('region', { name: 'Retrain' });
  await expect(retrain).toContainText('the policy fired');
  await retrain.getByRole('button', { name: 'Retrain as the policy says' }).click();
  await expect(retrain.getByRole('progressbar', { name: 'Retrain' })).toBeVisible();
  const outcome = retrain.getByRole('status', { name: 'Retrain outcome' });
  await expect(outcome).toContainText('weather v2 passed its review', { timeout: 120_000 });
  await expect(outcome).toContainText('is the challenger; it waits for approval to replace v1');
  await expect(outcome).toContainText('Trained on seattle-2012-2013 v2 (1,096 rows)');
  await expect(outcome).toContainText('Why: dataset drift: 2 columns drifted');
  await screen(page, 'monitor-retrain');
  await retrain.getByRole('button', { name: 'Promote v2 to champion' }).click();
  await expect(page.getByText('Watching v2')).toContainText('(champion)');
  await expect(retrain.getByRole('button', { name: /Promote v2/ })).toHaveCount(0);

  // Two versions compared with each other, no model involved: the 2015 rows against v1; drift.json downloaded.
  const versions = page.getByRole('region', { name: 'Compare two versions' });
  await versions.getByRole('button', { name: 'Compare versions' }).click();
  const versionVerdict = versions.getByRole('status', { name: 'Version drift verdict' });
  await expect(versionVerdict).toContainText('seattle-2012-2013 v2 (the rows its append added) (365 rows) against seattle-2012-2013 v1 (731 rows)');
  await expect(versionVerdict).toContainText('temp_max');
  await expect(versions).toContainText('Date columns are not compared');
  const saved = page.waitForEvent('download');
  await versions.getByRole('button', { name: 'Download drift.json' }).click();
  const driftFile = JSON.parse(await downloadText(await saved)) as { datasetDrift: boolean; columns: Record<string, { drifted: boolean }> };
  expect(driftFile.columns.temp_max?.drifted).toBe(true);
  await screen(page, 'monitor-versions');

  await page.getByRole('link', { name: 'Audit' }).click();
  await expect(page.getByTestId('audit-row').filter({ hasText: 'drift-check' })).toHaveCount(2);
  const action = (name: string) => page.getByTestId('audit-row').filter({ has: page.getByText(name, { exact: true }) });
  await expect(action('retrain')).toHaveCount(1);
  await expect(action('retrain')).toContainText('challenger');
  // v1 champion, v2 challenger, v2 champion.
  await expect(action('promote')).toHaveCount(3);
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByTestId('verify-result')).toContainText('intact');
  expect(foreignRequests(requests, baseURL ?? '')).toEqual([]);
});
