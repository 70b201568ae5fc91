// End to end, launching a model: two versions of one name, v1 promoted, v2 refused then promoted with an override, rolled back, the history, lineage, the champion scoring a file, its bundle imported back, the audit log.
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { screen } from './collect-helpers.ts';
import { csvRows, dataDir, downloadText, dropFile, foreignRequests, recordRequests, train } from './studio-helpers.ts';

/** Fails every model: a linear penguins model is far more than 10 bytes. */
const sizePolicy = { maxBytes: 10 };

async function saveAs(page: Page, name: string): Promise<void> {
  await page.getByRole('link', { name: 'Evaluate' }).click();
  await page.getByLabel('Model name').fill(name);
  await page.getByRole('button', { name: 'Save model' }).click();
  await expect(page.getByText('Saved as')).toContainText(name);
}

test('penguins: promote v1, refuse then override v2, roll back, the history, lineage, score with the champion, audit', async ({ page, baseURL }) => {
  const requests = recordRequests(page);
  await page.goto('/');
  await dropFile(page, `${dataDir}/penguins.json`, 'penguins.json', 'application/json');
  await expect(page.getByTestId('dataset-row').filter({ hasText: 'penguins' })).toContainText('344');

  // v1: a linear model that beats the dummy (no policy: the default verdict passes).
  await train(page, 'Species', { model: 'linear' });
  await saveAs(page, 'penguins');

  // v2: another run under a size policy it fails.
  await page.getByRole('link', { name: 'Train' }).click();
  const review = page.locator('section', { has: page.getByRole('heading', { name: 'Review', exact: true }) });
  await review.getByRole('heading', { name: 'Review', exact: true }).click();
  await review.getByLabel('Review policy file').setInputFiles({ name: 'policy.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(sizePolicy)) });
  await page.getByLabel('Epochs').fill('20');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('train-status')).toHaveText(/Done/, { timeout: 120_000 });
  await saveAs(page, 'penguins');

  // The registry groups both versions under the name, with their verdicts.
  await page.getByRole('link', { name: 'Models' }).click();
  const model = page.getByTestId('model-group').filter({ has: page.getByRole('heading', { name: 'penguins', exact: true }) });
  const row = (version: number) => model.getByTestId('model-row').filter({ has: page.getByRole('rowheader', { name: `penguins v${version}`, exact: true }) });
  const v1 = row(1);
  const v2 = row(2);
  await expect(model.getByTestId('model-row')).toHaveCount(2);
  await expect(v1).toContainText('passed');
  await expect(v2).toContainText('failed');
  await expect(model.getByRole('button', { name: 'Score with champion' })).toBeDisabled();

  // A bad alias name is refused, naming it.
  await v1.getByRole('button', { name: 'Promote' }).click();
  const promoteV1 = model.getByRole('form', { name: 'Promote penguins v1' });
  await promoteV1.getByLabel('Alias', { exact: true }).selectOption({ label: 'New alias…' });
  await promoteV1.getByLabel('New alias name').fill('my champion');
  await promoteV1.getByLabel('Note', { exact: true }).fill('a pilot');
  await promoteV1.getByRole('button', { name: /Promote to/ }).click();
  await expect(promoteV1.getByRole('alert')).toContainText('The alias "my champion" is not allowed');

  // v1 becomes the champion.
  await promoteV1.getByLabel('Alias', { exact: true }).selectOption('champion');
  await promoteV1.getByLabel('Note', { exact: true }).fill('First champion: beats the dummy on every headline metric');
  await promoteV1.getByRole('button', { name: 'Promote to champion' }).click();
  await expect(model.getByTestId('alias-champion')).toContainText('champion → v1');
  await expect(v1).toContainText('champion');
  await screen(page, 'models-champion');

  // v2 failed its review: refused without an override, naming the failure.
  await v2.getByRole('button', { name: 'Promote' }).click();
  const promoteV2 = model.getByRole('form', { name: 'Promote penguins v2' });
  await expect(promoteV2).toContainText('Its review failed');
  await expect(promoteV2).toContainText('champion now points at v1');
  await promoteV2.getByLabel('Note', { exact: true }).fill('Trying the longer run');
  await promoteV2.getByRole('button', { name: 'Promote to champion' }).click();
  await expect(promoteV2.getByRole('alert')).toContainText('penguins v2 cannot become champion: its review verdict failed: model size in bytes');
  await expect(model.getByTestId('alias-champion')).toContainText('champion → v1');
  await screen(page, 'models-refused');

  // With the override and a note that says why, it is promoted.
  const override = 'The size limit is for phones; this model runs on the ward PC';
  await promoteV2.getByLabel('Override the failed review').check();
  await promoteV2.getByLabel('Note', { exact: true }).fill(override);
  await promoteV2.getByRole('button', { name: 'Promote to champion' }).click();
  await expect(model.getByTestId('alias-champion')).toContainText('champion → v2');
  await expect(model.getByRole('status')).toContainText('champion of penguins now points at v2 (was v1), overriding the failed review');

  // Rolled back with a note: champion goes back to v1.
  await model.getByRole('button', { name: 'Roll back champion' }).click();
  const rollbackForm = model.getByRole('form', { name: 'Roll back champion of penguins' });
  await expect(rollbackForm).toContainText('champion goes back from v2 to v1');
  await rollbackForm.getByLabel('Rollback note').fill('v2 disagrees with the lab on Chinstraps');
  await rollbackForm.getByRole('button', { name: 'Roll back champion' }).click();
  await expect(model.getByTestId('alias-champion')).toContainText('champion → v1');

  // The history shows all three moves, newest first.
  const moves = model.getByTestId('alias-move');
  await expect(moves).toHaveCount(3);
  await expect(moves.nth(0)).toContainText('rolled back v2 → v1');
  await expect(moves.nth(0)).toContainText('v2 disagrees with the lab');
  await expect(moves.nth(1)).toContainText('promoted v1 → v2');
  await expect(moves.nth(1)).toContainText('override');
  await expect(moves.nth(1)).toContainText('review failed');
  await expect(moves.nth(2)).toContainText('promoted to v1');
  await expect(moves.nth(2)).toContainText('review passed');

  // Rolling back again: champion has no earlier version; it says so.
  await model.getByRole('button', { name: 'Roll back champion' }).click();
  await expect(rollbackForm).toContainText('no earlier version to roll back to');
  await rollbackForm.getByRole('button', { name: 'Cancel' }).click();

  // The champion cannot be deleted, and the refusal names the alias.
  await v1.getByRole('button', { name: 'Delete version' }).click();
  await model.getByRole('button', { name: 'Delete v1' }).click();
  await expect(model.getByRole('alert')).toContainText('penguins v1 cannot be deleted: champion points at it');
  await model.getByRole('button', { name: 'Cancel' }).click();

  // v1's lineage: its run, the dataset version and the file's SHA-256, and its review.
  await v1.getByRole('button', { name: 'Lineage' }).click();
  const lineage = model.getByTestId('lineage');
  await expect(lineage).toContainText('Lineage of penguins v1');
  await expect(lineage).toContainText(/[0-9a-f]{64}/);
  await expect(lineage).toContainText('penguins v1');
  await expect(lineage).toContainText('passed');
  const spec = page.waitForEvent('download');
  await lineage.getByRole('button', { name: 'Download pipeline.json' }).click();
  expect(JSON.parse(await downloadText(await spec))).toMatchObject({ format: 'millrace.pipeline/1', target: 'Species' });
  await screen(page, 'models-history');

  // The champion scores a file.
  const scored = page.waitForEvent('download');
  const chooser = page.waitForEvent('filechooser');
  await model.getByRole('button', { name: 'Score with champion' }).click();
  await (await chooser).setFiles(`${dataDir}/penguins.json`);
  const download = await scored;
  expect(download.suggestedFilename()).toMatch(/penguins.*v1.*\.csv$/);
  const rows = csvRows(await downloadText(download)).filter((row) => row.length > 1);
  expect(rows.length).toBeGreaterThan(300);

  // v1's bundle, exported and imported back, is penguins v3 with its lineage; a file that is no zip is refused naming it.
  const exported = page.waitForEvent('download');
  await v1.getByRole('button', { name: 'Export bundle' }).click();
  const bundle = await exported;
  const bundleName = bundle.suggestedFilename();
  const bytes = await readFile(await bundle.path());
  await page.getByLabel('Model bundle file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a bundle') });
  await expect(page.getByRole('alert').filter({ hasText: 'notes.txt is not a zip file; refused' })).toBeVisible();
  await page.getByLabel('Model bundle file').setInputFiles({ name: bundleName, mimeType: 'application/zip', buffer: bytes });
  await expect(page.getByRole('status').filter({ hasText: `Imported ${bundleName} as penguins v3` })).toBeVisible();
  await row(3).getByRole('button', { name: 'Lineage' }).click();
  await expect(lineage).toContainText('Lineage of penguins v3');
  await expect(lineage).toContainText(new RegExp(`Imported from\\s*${bundleName.replace(/[.]/g, '\\.')}`));
  await expect(lineage).toContainText('passed');
  await screen(page, 'models-import');
  await lineage.getByRole('button', { name: 'Open the report in Evaluate' }).click();
  await expect(page.getByText('penguins → Species')).toBeVisible();
  await page.getByRole('link', { name: 'Models' }).click();

  // The audit log has both promotions and the rollback, and the chain is intact.
  await page.getByRole('link', { name: 'Audit' }).click();
  const audit = page.getByTestId('audit-row');
  await expect(audit.filter({ hasText: 'promote' })).toHaveCount(2);
  await expect(audit.filter({ hasText: 'rollback' })).toHaveCount(1);
  await expect(audit.filter({ hasText: 'import-model' })).toHaveCount(1);
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByTestId('verify-result')).toContainText('intact');

  expect(foreignRequests(requests, baseURL ?? '')).toEqual([]);
});
