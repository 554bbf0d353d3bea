// End-to-end: 公众门户 without logging in, on the platform (demo registry, 10 simulated loggers at 240× speed,
// a temporary SQLite file) serving the built web application, driven by Debian's Chromium. The portal lists
// the enterprises and draws the map, opens an enterprise's last 24 h, files a tip-off with a small PNG and
// shows the receipt. Only /api/v1/public is called. Screenshot: docs/screenshots/portal.png.
// With CI=true a missing Chromium fails the test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../server/src/platform.js';
import { clickOpened, haveChromium, openWebPlatform, SCREENSHOTS } from './browser.js';

const HOUR = 3_600_000;

/** A 1×1 transparent PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

describe.skipIf(!haveChromium)('公众门户 (Chromium, no login)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qy-web-portal-'));
  let platform: Platform;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    ({ platform, browser, base } = await openWebPlatform(dir, { demoSpeed: 240 }));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * An enterprise with hourly records in the last 24 h. The simulated loggers run ahead of the wall clock
   * (their time starts now and goes 240× faster), so once one sent an hourly record it is copied into the
   * six hours before now — what a logger running in real time would have sent.
   */
  async function enterpriseWithHours(): Promise<{ id: number; name: string }> {
    const db = platform.store.db;
    let found: { id: number; name: string; pointId: number; factor: string } | undefined;
    await expect
      .poll(
        async () => {
          const row = await db
            .selectFrom('obs_hour as h')
            .innerJoin('monitoring_point as p', 'p.id', 'h.point_id')
            .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
            .innerJoin('enterprise as e', 'e.id', 'o.enterprise_id')
            .select(['e.id', 'e.name', 'h.point_id', 'h.factor_code'])
            .where('h.avg', 'is not', null)
            .orderBy('h.period_start')
            .executeTakeFirst();
          if (row !== undefined)
            found = {
              id: Number(row.id),
              name: row.name,
              pointId: Number(row.point_id),
              factor: row.factor_code,
            };
          return found !== undefined;
        },
        { timeout: 60_000, interval: 1000 },
      )
      .toBe(true);
    const f = found as { id: number; name: string; pointId: number; factor: string };
    const samples = await db
      .selectFrom('obs_hour')
      .selectAll()
      .where('point_id', '=', f.pointId)
      .where('superseded_at', 'is', null)
      .where('avg', 'is not', null)
      .execute();
    const first = new Map(samples.map((r) => [r.factor_code, r]));
    const hourNow = Math.floor(Date.now() / HOUR) * HOUR;
    for (const sample of first.values())
      for (let k = 1; k <= 6; k++)
        await db
          .insertInto('obs_hour')
          .values({ ...sample, period_start: hourNow - k * HOUR, received_at: Date.now(), frame_id: null })
          .execute();
    return f;
  }

  it('lists the enterprises on the map, opens one, files a tip-off with a PNG — without logging in', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors: string[] = [];
    const calls: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/api/')) calls.push(`${r.method()} ${path}`);
    });

    await page.goto(new URL('/portal', base).href);
    await expect.poll(() => page.getByTestId('portal-title').textContent()).toContain('公众门户');
    const rows = page.getByTestId('portal-enterprises').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.getByTestId('hubei-map').locator('canvas').first().waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).pathname).toBe('/portal');
    await page.waitForTimeout(1000);
    await page.screenshot({ path: join(SCREENSHOTS, 'portal.png') });

    // 我要举报: enterprise, category, description and a small PNG; the receipt is shown.
    await page.getByRole('tab', { name: '我要举报' }).click();
    await page.getByTestId('tip-form').waitFor();
    await page.getByTestId('tip-enterprise').click();
    await clickOpened(page.locator('.ant-select-dropdown .ant-select-item-option').first());
    await page.getByTestId('tip-description').fill('夜间排气筒冒黑烟，持续约两小时，气味刺鼻。');
    await page.getByTestId('tip-contact').fill('138****0000');
    await page
      .getByTestId('tip-attachments')
      .locator('input[type=file]')
      .setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => page.getByTestId('tip-form').textContent()).toContain('photo.png');
    await page.getByTestId('tip-submit').click();
    await expect
      .poll(
        async () => {
          if ((await page.getByTestId('tip-error').count()) > 0)
            return `error: ${await page.getByTestId('tip-error').textContent()}`;
          return (await page.getByTestId('tip-receipt').count()) > 0 ? 'receipt' : 'waiting';
        },
        { timeout: 20_000 },
      )
      .toBe('receipt');
    expect(await page.getByTestId('tip-receipt').textContent()).toMatch(/回执编号：\S+/);

    // 传输有效率: this month's table.
    await page.getByRole('tab', { name: '传输有效率' }).click();
    await expect
      .poll(() => page.getByTestId('portal-transmission').locator('tbody tr.ant-table-row').count(), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);

    // An enterprise's detail: the last 24 h per factor with the limit.
    const enterprise = await enterpriseWithHours();
    await page.getByRole('tab', { name: '企业名录' }).click();
    await page.getByTestId('portal-search').locator('input').fill(enterprise.name);
    await rows.filter({ hasText: enterprise.name }).first().click();
    await page.getByTestId('portal-detail').waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).searchParams.get('enterprise')).toBe(String(enterprise.id));
    await expect
      .poll(() => page.getByTestId('portal-factor').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await page.getByTestId('portal-factor').locator('canvas').first().waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('portal-detail').textContent()).toContain(enterprise.name);

    // English, and never an authenticated route (only /public and the session probe /auth/me).
    await page.getByTestId('language').click();
    await expect.poll(() => page.getByTestId('portal-title').textContent()).toContain('Public portal');
    const authenticated = calls.filter(
      (c) => !c.includes('/api/v1/public/') && !c.endsWith('/api/v1/auth/me'),
    );
    expect(authenticated).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
