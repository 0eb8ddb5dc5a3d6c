// Where the Chromium used by tests and `npm start` lives: $CHROMIUM_PATH, else Debian's
// /usr/bin/chromium, else Playwright's own download (which cannot be fetched on every machine).
import { existsSync } from 'node:fs';

export function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const path of candidates) if (path && existsSync(path)) return path;
  return undefined;
}
