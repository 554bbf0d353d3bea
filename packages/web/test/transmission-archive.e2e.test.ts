// End-to-end: 传输有效率 and 一企一档 on the platform (demo registry, 10 simulated loggers at 120× speed, a
// temporary SQLite file) serving the built web application, driven by Debian's Chromium. Screenshots go to
// docs/screenshots/transmission.png and archive.png. With CI=true a missing Chromium fails the test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../server/src/platform.js';
import { haveChromium, openWebPlatform, PASSWORD, SCREENSHOTS } from './browser.js';

describe.skipIf(!haveChromium)('传输有效率 and 一企一档 (Chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qy-web-ta-'));
  let platform: Platform;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    ({ platform, browser, base } = await openWebPlatform(dir, { demoSpeed: 120 }));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function login(page: Page, username: string): Promise<void> {
    await page.goto(base);
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 20_000 }).toBe('/login');
    await page.getByLabel(/用户名|User name/).fill(username);
    await page.getByLabel(/密码|Password/).fill(PASSWORD);
    await page.getByRole('button', { name: /登\s*录|Log in/ }).click();
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 20_000 }).not.toMatch(/^\/login/);
  }

  it('shows the current month’s rates by region, drills down to enterprises and points', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await login(page, 'demo.wuhan');
    await page.getByTestId('menu').getByText('传输有效率').click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/transmission');
    // Rates count whole Beijing days only (elapsedInterval: up to the start of today), so on the first day of
    // a month nothing is counted yet and every rate reads '—' (right, but nothing to check): the month
    // before, which the demo's data covers, is shown instead.
    const beijing = new Date(Date.now() + 8 * 3_600_000);
    if (beijing.getUTCDate() === 1) {
      const before = new Date(Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth() - 1, 1));
      const at = `${before.getUTCFullYear()}-${String(before.getUTCMonth() + 1).padStart(2, '0')}`;
      await page.goto(new URL(`/transmission?period=month&at=${at}`, base).toString());
    }
    await expect
      .poll(() => page.getByTestId('transmission-rate').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    expect(await page.getByTestId('transmission-rate').first().textContent()).toMatch(/^\d+\.\d{2}%$/);
    const table = await page.getByTestId('transmission-table').textContent();
    for (const header of ['应传', '实传', '有效', '传输率', '有效率', '有效传输率'])
      expect(table).toContain(header);
    await page.getByTestId('transmission-chart').locator('canvas').first().waitFor({ timeout: 10_000 });
    const export_ = await page.getByTestId('transmission-export').getAttribute('href');
    expect(export_).toMatch(/format=xlsx/);
    const answer = await page.request.get(new URL(export_ as string, base).toString());
    expect(answer.status()).toBe(200);
    expect(answer.headers()['content-type']).toMatch(/spreadsheet/);

    // The first view (首次接收) is another query of the same month.
    await page.getByTestId('transmission-view').getByText('首次接收').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('view')).toBe('first');
    await expect
      .poll(() => page.getByTestId('transmission-shown').textContent(), { timeout: 20_000 })
      .toContain('首次接收');
    await expect
      .poll(() => page.getByTestId('transmission-rate').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'transmission.png') });

    // Region → enterprise → point.
    await page.getByTestId('transmission-subject').first().click();
    await expect
      .poll(() => new URL(page.url()).searchParams.get('subject'), { timeout: 10_000 })
      .toBe('enterprise');
    await expect
      .poll(() => page.getByTestId('transmission-rate').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    const first = page.getByTestId('transmission-subject').first();
    await expect.poll(() => first.getAttribute('href'), { timeout: 10_000 }).toMatch(/subject=point/);
    await first.click();
    await expect
      .poll(() => new URL(page.url()).searchParams.get('subject'), { timeout: 10_000 })
      .toBe('point');
    await expect
      .poll(() => page.getByTestId('transmission-rate').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    expect(await page.getByTestId('transmission-crumbs').textContent()).toMatch(/全部.+/);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('opens an enterprise’s archive from the picker with its outlets', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await login(page, 'demo.wuhan');
    await page.getByTestId('menu').getByText('一企一档').click();
    await expect
      .poll(() => page.getByTestId('archive-enterprise-link').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    const name = (await page.getByTestId('archive-enterprise-link').first().textContent()) as string;
    await page.getByTestId('archive-enterprise-link').first().click();
    await expect.poll(() => new URL(page.url()).searchParams.get('enterprise')).toMatch(/^\d+$/);
    await expect.poll(() => page.getByTestId('archive-name').textContent(), { timeout: 20_000 }).toBe(name);
    await expect
      .poll(() => page.getByTestId('archive-outlet').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    expect(await page.getByTestId('archive-basic').textContent()).toContain('统一社会信用代码');
    // Open the first point's factors (its limits and standard).
    if ((await page.getByTestId('archive-points').count()) === 0)
      await page
        .getByTestId('archive-outlets')
        .locator('.ant-table-row-expand-icon-collapsed')
        .first()
        .click();
    await page
      .getByTestId('archive-points')
      .first()
      .locator('.ant-table-row-expand-icon-collapsed')
      .first()
      .click();
    await page.getByTestId('archive-point-detail').first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(SCREENSHOTS, 'archive.png') });
    for (const tab of ['排污许可', '运维单位', '报警记录']) {
      await page.getByRole('tab', { name: tab }).click();
      await page.waitForTimeout(200);
    }
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('shows an enterprise user its own archive without a picker', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await login(page, 'demo.enterprise');
    await page.getByTestId('menu').getByText('一企一档').click();
    const own = platform.demoAccounts.find((a) => a.username === 'demo.enterprise')?.displayName as string;
    await expect.poll(() => page.getByTestId('archive-name').textContent(), { timeout: 20_000 }).toBe(own);
    await expect
      .poll(() => page.getByTestId('archive-outlet').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    expect(await page.getByTestId('archive-enterprises').count()).toBe(0);
    expect(await page.getByTestId('archive-select').count()).toBe(0);
    await context.close();
  }, 60_000);
});
