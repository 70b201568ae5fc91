// Finds Debian's Chromium for Playwright: $CHROMIUM_PATH, else /usr/bin/chromium; fails clearly otherwise.
import { existsSync } from 'node:fs';

export function chromiumPath() {
  const candidate = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(candidate)) {
    throw new Error(
      `No Chromium at ${candidate}. Install Debian's chromium (apt-get install -y chromium) ` +
        'or set CHROMIUM_PATH to a Chromium binary.',
    );
  }
  return candidate;
}
