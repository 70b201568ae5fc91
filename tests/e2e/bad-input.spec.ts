// Bad files in the studio: each gets a message naming the problem and where, nothing is stored,
// and the studio stays usable. Column names are shown as text, never run as HTML.
import { test, expect, type Page } from '@playwright/test';
import { dataDir, dropFile } from './studio-helpers.ts';

const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

async function dropBytes(page: Page, name: string, content: string | Buffer): Promise<void> {
  await page.getByRole('link', { name: 'Data' }).click();
  const buffer = typeof content === 'string' ? Buffer.from(content) : content;
  await page.getByTestId('drop-zone').drop({ files: { name, mimeType: 'text/plain', buffer } });
}

const cases: { title: string; name: string; content: string | Buffer; message: RegExp }[] = [
  { title: 'an empty file', name: 'empty.csv', content: '', message: /empty\.csv.*empty/i },
  { title: 'a header-only file', name: 'header.csv', content: 'a,b,c\n', message: /header\.csv.*no data rows/i },
  { title: 'a row with too many fields', name: 'ragged.csv', content: 'a,b\n1,2\n3,4,5\n', message: /ragged\.csv.*line 3.*3 fields/i },
  { title: 'a row with too few fields', name: 'short.csv', content: 'a,b,c\n1,2,3\n4,5\n', message: /short\.csv.*line 3.*2 fields/i },
  { title: 'an unterminated quote', name: 'quote.csv', content: 'a,b\n1,"open\n2,3\n', message: /quote\.csv line 2 opens a quoted field.*never closed/i },
  { title: 'a PNG renamed to .csv', name: 'photo.csv', content: png, message: /photo\.csv.*(binary|PNG)/i },
  { title: 'JSON that is not an array of records', name: 'obj.json', content: '{"columns": ["a"]}', message: /obj\.json.*not an array of records/i },
];

for (const { title, name, content, message } of cases) {
  test(`${title} is refused with a clear message and nothing is stored`, async ({ page }) => {
    await page.goto('/');
    await dropBytes(page, name, content);
    await expect(page.getByRole('alert')).toContainText(message);
    await expect(page.getByTestId('dataset-row')).toHaveCount(0);
    // Still usable: a good file imports right after.
    await dropFile(page, `${dataDir}/penguins.json`, 'penguins.json', 'application/json');
    await expect(page.getByTestId('dataset-row')).toHaveCount(1);
  });
}

test('a target column with one value is refused when training', async ({ page }) => {
  await page.goto('/');
  await dropBytes(page, 'one-class.csv', 'x,y,label\n1,2,yes\n2,3,yes\n3,1,yes\n4,4,yes\n5,2,yes\n');
  await expect(page.getByTestId('dataset-row')).toHaveCount(1);
  await page.getByRole('link', { name: 'Train' }).click();
  await page.getByLabel('Target column').selectOption('label');
  await expect(page.getByRole('alert')).toContainText(/"label".*only one value/i);
});

test('a column named like HTML is shown as text and runs nothing', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => { dialogs.push(dialog.message()); await dialog.dismiss(); });
  await page.goto('/');
  const header = '<img src=x onerror=alert(1)>';
  await dropBytes(page, 'xss.csv', `"${header}",value\nA,1\nB,2\nC,3\n`);
  await expect(page.getByTestId('dataset-row')).toHaveCount(1);
  await expect(page.getByText(header).first()).toBeVisible();
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  await page.waitForTimeout(500);
  expect(dialogs).toEqual([]);
});
