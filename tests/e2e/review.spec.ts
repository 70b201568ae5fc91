// End to end, the review of a candidate as a reviewer does it: a sensitive column for review only, a review policy, a
// failing verdict with every failing check, the threshold picked, approve with a note, the HTML report opened offline,
// and the decision found in the audit log.
import { expect, test } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { screen } from './collect-helpers.ts';
import { downloadText, dropFile, recordRequests, foreignRequests } from './studio-helpers.ts';

const fixture = 'tests/fixtures/review/penguins-heavy.csv';
/**
 * rocAuc is easily met; the fairness floor on Sex and the 32-byte size limit (the linear model is 48) are not. The 342 rows leave about 69
 * test rows, so groups of 20 (not the default 30) are compared.
 */
const policy = {
  metrics: [{ metric: 'rocAuc', threshold: 0.7 }],
  fairness: [{ column: 'Sex', metric: 'demographicParityRatio', min: 0.8 }],
  maxBytes: 32,
  minGroupRows: 20,
};

test('penguins: Sex for review only, a failing policy, approve with a note, the HTML report, the audit log', async ({ page, baseURL }) => {
  const requests = recordRequests(page);
  await page.goto('/');
  await dropFile(page, fixture, 'penguins-heavy.csv', 'text/csv');
  await expect(page.getByTestId('dataset-row').filter({ hasText: 'penguins-heavy' })).toContainText('342');

  // Train: target Heavy; the studio suggests Sex, the person adds it for review only and loads the policy.
  await page.getByRole('link', { name: 'Train' }).click();
  await page.getByLabel('Target column').selectOption('Heavy');
  await page.getByLabel('Seed').fill('42');
  const review = page.locator('section', { has: page.getByRole('heading', { name: 'Review', exact: true }) });
  await review.getByRole('heading', { name: 'Review', exact: true }).click();
  // Suggested, never picked silently: the person adds it.
  await expect(review.getByRole('list', { name: 'Suggestions' })).toContainText('Sex');
  await expect(review.getByRole('group', { name: 'Sex' })).toHaveCount(0);
  await review.getByRole('button', { name: 'Add Sex' }).click();
  await review.getByRole('group', { name: 'Sex' }).getByLabel('For review only').check();
  await review.getByLabel('Review policy file').setInputFiles({ name: 'policy.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(policy)) });
  await expect(page.getByTestId('review-policy-words')).toContainText('demographic-parity ratio on Sex ≥ 0.8');
  await screen(page, 'train-review-options');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('train-status')).toHaveText(/Done/, { timeout: 120_000 });

  // Evaluate: the verdict fails and names every failing check with its value and limit.
  await page.getByRole('link', { name: 'Evaluate' }).click();
  const verdict = page.getByTestId('review-verdict');
  await expect(verdict).toContainText('Fails the review policy');
  await expect(verdict).toContainText('2 of 3 checks fail');
  await expect(verdict).toContainText(/model size in bytes \d+ is above the limit 32/);
  await expect(verdict).toContainText(/demographicParityRatio on Sex 0\.\d+ is below the floor 0\.8/);
  await expect(page.getByTestId('review-intervals')).toContainText('ROC AUC');
  // The ROC curve says which class is positive.
  await expect(page.getByTestId('roc-positive')).toContainText('Positive class: “yes” (against “no”)');
  const bySex = page.getByTestId('fairness-Sex');
  await expect(bySex).toContainText('FEMALE');
  await expect(bySex).toContainText('MALE');
  await expect(bySex).toContainText('Demographic-parity ratio');

  // Sex was for review only: grouped by, never a model input.
  const json = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Report JSON' }).click();
  const stored = JSON.parse(await downloadText(await json)) as { importance: { columns: { column: string }[] }; fairness: Record<string, unknown>; verdict: { passed: boolean } };
  expect(stored.importance.columns.map((c) => c.column)).not.toContain('Sex');
  expect(stored.importance.columns.length).toBeGreaterThan(2);
  expect(Object.keys(stored.fairness)).toEqual(['Sex']);
  expect(stored.verdict.passed).toBe(false);

  // The threshold is picked, and shown at its precision, recall, F1 and selection rate.
  await page.getByLabel('Decision threshold', { exact: true }).fill('0.4');
  await page.getByLabel('Decision threshold', { exact: true }).press('Enter');
  await expect(page.getByTestId('threshold-at')).toContainText('Selection rate');
  await screen(page, 'evaluate-review');

  // A threshold outside [0, 1] is refused, naming it.
  await page.getByLabel('Decision threshold', { exact: true }).fill('1.5');
  await page.getByLabel('Decision threshold', { exact: true }).press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: '1.5' })).toBeVisible();
  await page.getByLabel('Decision threshold', { exact: true }).fill('0.4');
  await page.getByLabel('Decision threshold', { exact: true }).press('Enter');

  // Approve with a note: an override of the failing verdict.
  const note = 'Size limit is for phones; this one runs on the ward PC. Sex gap reviewed with the clinical lead.';
  await page.getByLabel("Reviewer's note").fill(note);
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByTestId('review-decision')).toContainText('Approved');
  await expect(page.getByTestId('review-decision')).toContainText(note);

  // The HTML report: one file, the verdict and the decision in it, nothing loaded from anywhere when opened.
  const html = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Report HTML' }).click();
  const text = await downloadText(await html);
  expect(text).toContain('Sex');
  expect(text).toContain(note.replace(/'/g, '&#39;'));
  const path = test.info().outputPath('review.html');
  writeFileSync(path, text);
  const reportPage = await page.context().newPage();
  const reportRequests = recordRequests(reportPage);
  await reportPage.goto(`file://${path}`);
  await expect(reportPage.locator('body')).toContainText('demographicParityRatio');
  expect(await reportPage.locator('svg').count()).toBeGreaterThan(0);
  expect(reportRequests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:'))).toEqual([]);
  await reportPage.close();

  // Save: the picked threshold goes with the model.
  await page.getByLabel('Model name').fill('heavy');
  await page.getByRole('button', { name: 'Save model' }).click();
  await expect(page.getByText('Saved as')).toContainText('heavy');

  // A second run of the same target is compared with the saved model (the champion) on the same test rows.
  await page.getByRole('link', { name: 'Train' }).click();
  await page.getByLabel('Epochs').fill('30');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('train-status')).toHaveText(/Done/, { timeout: 120_000 });
  await page.getByRole('link', { name: 'Evaluate' }).click();
  await page.getByLabel('Model name').fill('heavy');
  await page.getByRole('button', { name: 'Compare with champion' }).click();
  await expect(page.getByTestId('review-intervals')).toContainText('Champion (heavy v1)');
  await expect(page.getByTestId('review-intervals')).toContainText('Model − champion');

  // The audit log has the verdict, the approval with its note, and the save with the threshold.
  await page.getByRole('link', { name: 'Audit' }).click();
  const rows = page.getByTestId('audit-row');
  await expect(rows.filter({ hasText: 'review-verdict' })).toHaveCount(2);
  await expect(rows.filter({ hasText: 'review-champion' })).toHaveCount(1);
  const approval = rows.filter({ hasText: 'review-approve' });
  await expect(approval).toHaveCount(1);
  await expect(approval).toContainText('runs on the ward PC');
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByTestId('verify-result')).toContainText('intact');

  expect(foreignRequests(requests, baseURL!)).toEqual([]);
  // The fixture is read, never written.
  expect(readFileSync(fixture, 'utf8').startsWith('Species,')).toBe(true);
});
