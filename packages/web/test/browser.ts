// What every web end-to-end test shares: Debian's Chromium (playwright-core; `npx playwright install` cannot
// work here), the platform serving the built web application on a temporary SQLite file with the demo
// registry and 10 simulated loggers, and where screenshots go. With CI=true a missing Chromium fails the
// run; otherwise the tests are skipped with a warning.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
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

/** What the tests of a `describe` share once `beforeAll` has run (webPlatformForTests). */
export interface WebTestPlatform {
  readonly platform: Platform;
  readonly browser: Browser;
  /** The platform's HTTP address, e.g. http://127.0.0.1:43210. */
  readonly base: string;
}

/**
 * Opens the demo platform and Chromium (openWebPlatform) before the tests of the enclosing `describe`,
 * in a temporary folder named from `prefix`, and closes and removes them after.
 */
export function webPlatformForTests(prefix: string, options: { demoSpeed?: number } = {}): WebTestPlatform {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const opened: Partial<{ -readonly [K in keyof WebTestPlatform]: WebTestPlatform[K] }> = {};
  beforeAll(async () => {
    Object.assign(opened, await openWebPlatform(dir, options));
  }, 120_000);
  afterAll(async () => {
    await opened.browser?.close();
    await opened.platform?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const held = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the web platform is open only inside the tests');
    return value;
  };
  return {
    get platform() {
      return held(opened.platform);
    },
    get browser() {
      return held(opened.browser);
    },
    get base() {
      return held(opened.base);
    },
  };
}

/** A zh-CN page (1440×900 unless told) in a new context, its page errors pushed to `errors` when given. */
export async function newZhPage(
  browser: Browser,
  errors?: string[],
  viewport = { width: 1440, height: 900 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  if (errors !== undefined) page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page };
}

/** Client-side navigation changes the URL without a load: waits for the path to match. */
export async function atPath(page: Page, path: RegExp, timeout = 40_000): Promise<void> {
  await expect.poll(() => new URL(page.url()).pathname, { timeout }).toMatch(path);
}

/** Logs in from '/' (which sends a visitor to /login) and waits to be let in. */
export async function logIn(page: Page, base: string, username: string, password = PASSWORD): Promise<void> {
  await page.goto(base);
  await atPath(page, /^\/login$/);
  await page.getByLabel(/用户名|User name/).fill(username);
  await page.getByLabel(/密码|Password/).fill(password);
  await page.getByRole('button', { name: /登\s*录|Log in/ }).click();
  await expect.poll(() => new URL(page.url()).pathname, { timeout: 40_000 }).not.toMatch(/^\/login/);
}

/** Opens a menu entry (client-side, so the session's CSRF token stays in memory) and waits for its path. */
export async function openMenu(page: Page, label: string, path: RegExp): Promise<void> {
  await page.getByTestId('menu').getByText(label, { exact: true }).click({ timeout: 40_000 });
  await atPath(page, path);
}

/** Opens a tab of 系统管理 by its (zh-CN) name. */
export async function systemTab(page: Page, name: string): Promise<void> {
  await page.getByTestId('system-tabs').locator('.ant-tabs-tab').getByText(name, { exact: true }).click();
}

/**
 * Clicks an element of an antd overlay (a modal, a `modal.confirm`, a select's dropdown) once the overlay
 * has finished opening. An opening overlay (rc-motion: `*-appear` / `*-enter` classes) is first drawn for
 * a few frames in its final place, transparent, and only then zoomed or slid in: Playwright's checks
 * (visible, stable for two frames, hit at the press) can pass in those frames, and when the animation then
 * moves the element between the mouse's press and release, the browser sends the click to a common
 * ancestor — the click is lost without an error (seen on a loaded machine: a dropdown's option pressed,
 * released on `.ant-modal-wrap`, `click` on BODY; a confirm's OK clicked mid zoom-in).
 */
export async function clickOpened(target: Locator, timeout = 20_000): Promise<void> {
  await target.waitFor({ timeout });
  await expect
    .poll(
      () =>
        target.evaluate(
          (el) => {
            for (let e: Element | null = el; e !== null; e = e.parentElement)
              if (Array.from(e.classList).some((c) => /-(appear|enter)(-|$)/.test(c))) return true;
            return false;
          },
          undefined,
          { timeout },
        ),
      { timeout },
    )
    .toBe(false);
  await target.click({ timeout });
}

/** Waits until the '已保存' toasts are gone (screenshots without them). */
export async function settle(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.ant-message-notice').count(), { timeout: 10_000 }).toBe(0);
}

/** A GET of the API from the page (with its session cookie). */
export const apiGet = <T>(page: Page, path: string) =>
  page.evaluate(async (p) => (await fetch(`/api/v1${p}`)).json(), path) as Promise<T>;

/** The province administrator a fresh database was given (with its one-time password); fails if none. */
export function firstAdmin(platform: Platform): NonNullable<Platform['firstAdmin']> {
  const admin = platform.firstAdmin;
  expect(admin, 'a fresh database has a first administrator').toBeDefined();
  return admin as NonNullable<Platform['firstAdmin']>;
}

/** 系统管理's tabs (zh-CN) as the province administrator sees them: all of them. */
export const ALL_SYSTEM_TABS: readonly string[] = [
  '用户管理',
  '平台状态',
  '审计日志',
  '登记管理',
  '运维单位',
  '排放标准',
  '规则阈值',
];

/** Waits for 系统管理 to show exactly these tabs (zh-CN names), in this order. */
export async function expectSystemTabs(page: Page, names: readonly string[]): Promise<void> {
  await expect
    .poll(() => page.getByTestId('system-tabs').locator('.ant-tabs-tab').allTextContents(), {
      timeout: 20_000,
    })
    .toEqual(names);
}
