// End-to-end: the platform (demo registry, 10 simulated loggers, a temporary SQLite file) serving the built
// web application, driven by Debian's Chromium through playwright-core. Screenshots go to docs/screenshots/.
// With CI=true a missing Chromium fails the test; otherwise the test is skipped with a warning.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../server/src/platform.js';
import { haveChromium, openWebPlatform, PASSWORD, SCREENSHOTS } from './browser.js';

describe.skipIf(!haveChromium)('the web application (Chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qy-web-'));
  let platform: Platform;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    ({ platform, browser, base } = await openWebPlatform(dir));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Client-side navigation changes the URL without a load: poll it. */
  async function atPath(page: Page, path: RegExp): Promise<void> {
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 20_000 }).toMatch(path);
  }

  async function login(page: Page, username: string): Promise<void> {
    await page.goto(base);
    await atPath(page, /^\/login$/);
    await page.getByLabel(/用户名|User name/).fill(username);
    await page.getByLabel(/密码|Password/).fill(PASSWORD);
    await page.getByRole('button', { name: /登\s*录|Log in/ }).click();
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 20_000 }).not.toMatch(/^\/login/);
  }

  it('lands on the login page with the demo accounts, shows the overview map and live values', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(base);
    await atPath(page, /^\/login$/);
    await expect.poll(() => page.getByTestId('demo-accounts').textContent()).toContain('demo.wuhan');
    expect(await page.textContent('body')).toContain(PASSWORD);
    await page.screenshot({ path: join(SCREENSHOTS, 'login.png') });

    await login(page, 'demo.wuhan');
    await page.getByTestId('hubei-map').locator('canvas').first().waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('fig-enterprises').textContent()).toMatch(/[1-9]/);
    expect(await page.getByTestId('fig-online-rate').textContent()).toMatch(/%/);
    const menu = await page.getByTestId('menu').textContent();
    for (const item of ['总览', '实时监控', '历史数据', '报警中心', '原始报文', '反控'])
      expect(menu).toContain(item);
    // The city reaches 系统管理 for the registry, standards and thresholds (system-admin.e2e.test.ts).
    expect(menu).toContain('系统管理');
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(SCREENSHOTS, 'overview.png') });

    await page.getByTestId('menu').getByText('实时监控').click();
    await atPath(page, /^\/realtime$/);
    await expect
      .poll(async () => Number(await page.getByTestId('live-received').textContent()), { timeout: 60_000 })
      .toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('live-value').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'realtime.png') });

    await page.getByTestId('language').click();
    await expect.poll(() => page.getByTestId('menu').textContent()).toContain('Real-time');
    expect(await page.textContent('body')).toContain('Unit');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('shows an enterprise user only its enterprise and only what it may do', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await login(page, 'demo.enterprise');
    const menu = await page.getByTestId('menu').textContent();
    expect(menu).toContain('实时监控');
    expect(menu).not.toContain('原始报文');
    expect(menu).not.toContain('反控');
    await page.getByTestId('menu').getByText('实时监控').click();
    await expect.poll(() => page.getByTestId('tree-enterprise').count(), { timeout: 20_000 }).toBe(1);
    const own = platform.demoAccounts.find((a) => a.username === 'demo.enterprise')?.displayName as string;
    expect(await page.getByTestId('tree-enterprise').textContent()).toBe(own);
    await context.close();
  }, 60_000);

  it('serves client routes, keeps the API and probes, and moves the status page to /status', async () => {
    const spa = await fetch(`${base}realtime`);
    expect(spa.status).toBe(200);
    expect(await spa.text()).toContain('<div id="root">');
    expect((await fetch(`${base}api/v1/nowhere`)).status).toBe(404);
    expect(await (await fetch(`${base}healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${base}status`)).text()).toContain('demo.province');
  });
});
