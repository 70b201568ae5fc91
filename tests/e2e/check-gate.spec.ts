// Check: a blocking rule that a new batch fails closes the training gate until a cleaning recipe fixes the
// data; a column of e-mail addresses keeps it closed until the person decides what to do with it.
import { test, expect, type Page } from '@playwright/test';
import { appendBatch, dropFiles, versionRow, versionRows } from './collect-helpers.ts';
import { train } from './studio-helpers.ts';

const checkDir = 'tests/fixtures/check';

/**
 * With MILLRACE_SCREENS=1, saves a screenshot of the page (from the top) or of one element to tests/screens/out/;
 * the sticky header is hidden so that it does not cover the element.
 */
async function screen(page: Page, name: string, testId?: string): Promise<void> {
  if (!process.env.MILLRACE_SCREENS) return;
  await page.waitForTimeout(300);
  const path = `tests/screens/out/${name}.png`;
  const style = '.topbar { visibility: hidden; }';
  if (testId) await page.getByTestId(testId).screenshot({ path, style });
  else {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path, fullPage: true });
  }
}

/** Appends a batch and accepts the schema diff when one is shown (new categories count as a change). */
async function appendAccepting(page: Page, dataset: string, path: string, version: number): Promise<void> {
  await appendBatch(page, dataset, path);
  const accept = page.getByRole('button', { name: 'Accept schema change' });
  const stored = versionRow(page, dataset, version);
  await expect(accept.or(stored).first()).toBeVisible();
  if (await accept.isVisible()) await accept.click();
  await expect(stored).toBeVisible();
}

test('a batch with "." in Sex fails a blocking rule and blocks training until a recipe cleans it', async ({ page }) => {
  await page.goto('/');
  await dropFiles(page, [`${checkDir}/penguins-clean.json`]);
  await expect(versionRows(page, 'penguins-clean')).toHaveCount(1);

  // v1 is clean: the suggested rules pass. Sex may only be MALE or FEMALE, and that rule now blocks.
  await page.getByRole('link', { name: 'Check' }).click();
  const gate = page.getByTestId('gate-banner');
  await expect(gate).toContainText('Ready for training');
  await page.getByRole('button', { name: 'Suggest rules' }).click();
  const severity = page.getByLabel('Severity of allowed-values:Sex');
  await expect(severity).toHaveValue('warn');
  await severity.selectOption('block');

  // A custom rule naming a column the data lacks: the save is refused and the message names rule and column.
  const rules = page.getByTestId('rule-suite');
  await rules.getByLabel('Rule kind').selectOption('expression');
  await rules.getByLabel('Expression', { exact: true }).fill('d.Year <= 2026');
  await rules.getByRole('button', { name: 'Add rule' }).click();
  await rules.getByRole('button', { name: 'Save rules' }).click();
  await expect(rules.getByRole('alert')).toContainText('Rule expression: unknown column "Year"');
  await expect(page.getByTestId('suite-status')).toHaveText('Edited, not saved');
  await screen(page, 'check-rules-error', 'rule-suite');
  await rules.getByRole('button', { name: 'Delete expression' }).click();
  // A batch rule: no category of Sex that v1 did not have.
  await rules.getByLabel('Rule kind').selectOption('categories-match');
  await rules.getByLabel('Column', { exact: true }).selectOption('Sex');
  await rules.getByLabel('Check', { exact: true }).selectOption('new');
  await rules.getByRole('button', { name: 'Add rule' }).click();
  await page.getByRole('button', { name: 'Save rules' }).click();
  await expect(page.getByTestId('suite-status')).toHaveText('Saved as v1');
  await screen(page, 'check-rules', 'rule-suite');

  // The next batch has a "." in Sex (row 37 of the batch, row 337 of v2).
  await page.getByRole('link', { name: 'Data' }).click();
  await appendAccepting(page, 'penguins-clean', `${checkDir}/penguins-batch.json`, 2);

  await page.getByRole('link', { name: 'Check' }).click();
  await expect(gate).toContainText('Training is blocked');
  await expect(gate).toContainText('allowed-values:Sex');
  const sexRule = page.locator('[data-testid="rule-result"][data-rule-id="allowed-values:Sex"]');
  await expect(sexRule).toHaveAttribute('data-passed', 'false');
  await expect(sexRule.getByTestId('failing-count')).toHaveText('1');
  // The batch rule compares the rows the append added with v1: it finds the new level "." (row 337 of v2) and
  // draws Sex in v2's batch beside the reference v1.
  const newLevel = page.locator('[data-testid="rule-result"][data-rule-id="categories-match:Sex"]');
  await expect(newLevel).toHaveAttribute('data-passed', 'false');
  await expect(newLevel).toContainText('"."');
  await newLevel.getByRole('button', { name: 'Show failing rows of categories-match:Sex' }).click();
  await expect(page.getByRole('list', { name: 'Examples of categories-match:Sex' })).toContainText('Row 337');
  await expect(page.getByTestId('reference-compare')).toContainText('Sex: penguins-clean v2 batch against penguins-clean v1');
  await expect(page.getByTestId('reference-compare').locator('svg, canvas').first()).toBeVisible();
  await screen(page, 'check-reference-compare', 'check-report');
  await sexRule.getByRole('button', { name: 'Show failing rows of allowed-values:Sex' }).click();
  const examples = page.getByRole('list', { name: 'Examples of allowed-values:Sex' });
  await expect(examples).toContainText('Row 337');
  await expect(examples).toContainText('"."');
  await expect(page.getByTestId('check-summary')).toContainText('1 blocking failure');
  await expect(page.getByTestId('check-summary')).toContainText('against reference penguins-clean v1');
  await expect(page.getByRole('navigation', { name: 'Pipeline stages' })).toContainText('v2 · 1 rule failed');
  await screen(page, 'check-report');

  // Train shows why it is blocked, and the button waits.
  await page.getByRole('link', { name: 'Train' }).click();
  await expect(page.getByTestId('gate-banner')).toContainText('Training is blocked');
  await page.getByLabel('Target column').selectOption('Species');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeDisabled();
  await screen(page, 'check-train-blocked');

  // Recipe: "." becomes missing, then rows missing Sex go (8 + 2 missing, and the "." one).
  await page.getByRole('link', { name: 'Fix in Check' }).click();
  const recipe = page.getByTestId('recipe-editor');
  await recipe.getByLabel('Step kind').selectOption('replace');
  await recipe.getByLabel('Columns', { exact: true }).selectOption('Sex');
  await recipe.getByLabel('Replace values (comma-separated)').fill('.');
  await recipe.getByRole('button', { name: 'Add step' }).click();
  await recipe.getByLabel('Step kind').selectOption('drop-missing');
  await recipe.getByLabel('Columns', { exact: true }).selectOption('Sex');
  await recipe.getByRole('button', { name: 'Add step' }).click();
  await expect(recipe.getByTestId('recipe-step')).toHaveCount(2);
  await expect(recipe.getByTestId('recipe-step').first()).toContainText('Replace "." with missing in Sex');

  await recipe.getByRole('button', { name: 'Preview' }).click();
  const previewSteps = recipe.getByTestId('preview-step');
  await expect(previewSteps).toHaveCount(2);
  await expect(previewSteps.nth(0).getByTestId('cells-changed')).toHaveText('1');
  await expect(previewSteps.nth(0).getByTestId('rows-removed')).toHaveText('0');
  await expect(previewSteps.nth(1).getByTestId('rows-removed')).toHaveText('11');
  await expect(recipe.getByTestId('recipe-preview')).toContainText('344 → 333 rows');
  await screen(page, 'check-recipe-preview', 'recipe-editor');

  await recipe.getByRole('button', { name: 'Save recipe' }).click();
  await expect(page.getByTestId('recipe-status')).toHaveText('Saved as v1');
  await expect(gate).toContainText('Ready for training');
  await expect(sexRule).toHaveAttribute('data-passed', 'true');
  await expect(page.getByTestId('check-summary')).toContainText('333 of 344 rows checked after recipe v1');
  await expect(page.getByRole('navigation', { name: 'Pipeline stages' })).toContainText(/v2 · passed/);
  await screen(page, 'check-passed');

  await train(page, 'Species', { model: 'linear' });
});

test('a column of e-mail addresses blocks training until it is hashed', async ({ page }) => {
  await page.goto('/');
  await dropFiles(page, [`${checkDir}/customers.csv`]);
  await expect(versionRows(page, 'customers')).toHaveCount(1);
  // The share of e-mail addresses shows on the column's profile card.
  await expect(page.locator('[data-testid="column-profile"][data-column="email"] [data-testid="privacy-pill"]')).toHaveText(/e-mail 100%/);
  await expect(page.locator('[data-testid="column-profile"][data-column="churned"] [data-testid="privacy-pill"]')).toHaveCount(0);
  await page.locator('[data-testid="column-profile"][data-column="email"]').scrollIntoViewIfNeeded();
  await screen(page, 'data-privacy-pill');

  // Back at the top before going on: the card was scrolled into view (a CI run once found the link never "stable" here).
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.getByRole('link', { name: 'Check' }).click();
  const gate = page.getByTestId('gate-banner');
  const finding = page.locator('[data-testid="privacy-finding"][data-column="email"]');
  await expect(finding).toContainText('E-mail');
  await expect(finding).toContainText('100%');
  await expect(finding).not.toContainText('eli.cohen0@example.com'); // examples are masked
  await expect(gate).toContainText('Training is blocked');
  await expect(gate).toContainText('email');

  await page.getByRole('link', { name: 'Train' }).click();
  await page.getByLabel('Target column').selectOption('churned');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeDisabled();

  await page.getByRole('link', { name: 'Fix in Check' }).click();
  await finding.getByLabel('Action for email').selectOption('hash');
  await screen(page, 'check-privacy-choose', 'privacy-panel');
  await finding.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('privacy-panel')).toContainText('Hashed');
  await expect(gate).toContainText('Ready for training');
  await screen(page, 'check-privacy', 'privacy-panel');

  await page.getByRole('link', { name: 'Train' }).click();
  await expect(page.getByTestId('gate-banner')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
});
