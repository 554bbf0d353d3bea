// What every web end-to-end test shares: Debian's Chromium (playwright-core; `npx playwright install` cannot
// work here), the platform serving the built web application on a temporary SQLite file with the demo
// registry and 10 simulated loggers, and where screenshots go. With CI=true a missing Chromium fails the
// run; otherwise the tests are skipped with a warning.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { type Platform, startPlatform } from '../../server/src/platform.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const WEB = fileURLToPath(new URL('..', import.meta.url));
export const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
/** The demo accounts' password. */
export const PASSWORD = 'Qingyuan@2026';

export const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  const message = `Chromium not found at ${CHROMIUM} (apt-get install -y chromium): web end-to-end tests`;
  if (process.env.CI === 'true') throw new Error(`${message} cannot run with CI=true`);
  console.warn(`WARNING: ${message} skipped`);
}

/** The demo platform (database in `dir`) serving packages/web/dist, and a headless Chromium. */
export async function openWebPlatform(
  dir: string,
  options: { demoSpeed?: number } = {},
): Promise<{ platform: Platform; browser: Browser; base: string }> {
  if (!existsSync(join(WEB, 'dist', 'index.html')))
    execFileSync('npm', ['run', 'build'], { cwd: WEB, stdio: 'inherit' });
  const platform = await startPlatform({
    databaseUrl: `sqlite:${join(dir, 'web.db')}`,
    gatewayPort: 0,
    httpPort: 0,
    host: '127.0.0.1',
    demo: true,
    demoDevices: 10,
    ...(options.demoSpeed === undefined ? {} : { demoSpeed: options.demoSpeed }),
    webRoot: join(WEB, 'dist'),
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return { platform, browser, base: platform.urls.http };
}
