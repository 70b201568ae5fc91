// Renders the PWA icons (public/icons/icon-192.png, icon-512.png) from an inline SVG with Debian's Chromium.
// Full-bleed background with the mark inside the central 60%, so the 512 icon also works as "maskable".
import { chromium } from 'playwright-core';
import { writeFile } from 'node:fs/promises';

const svg = (size) => `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 64 64">
  <rect width="64" height="64" fill="#1d6fb8"/>
  <path d="M16 40 C22 40 22 26 28 26 S34 40 40 40 S48 30 48 30" fill="none" stroke="#fff" stroke-width="4.5"
    stroke-linecap="round" stroke-linejoin="round"/>
  <circle cx="28" cy="26" r="2.4" fill="#cfe3f5"/>
</svg>`;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking'] });
try {
  for (const size of [192, 512]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(`<html><body style="margin:0">${svg(size)}</body></html>`);
    await writeFile(`public/icons/icon-${size}.png`, await page.screenshot({ omitBackground: false }));
    await page.close();
  }
} finally {
  await browser.close();
}
