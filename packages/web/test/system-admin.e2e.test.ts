// End-to-end: 系统管理's registry, emission standards and rule thresholds against the platform (demo
// registry, a temporary SQLite file) serving the built web application, driven by Debian's Chromium. The
// province administrator changes an enterprise, a limit and a threshold and finds each change after a
// reload (and the analysis running with the new threshold); a city and a county user see no edit controls
// where their role may not write. Screenshots go to docs/screenshots/.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  ALL_SYSTEM_TABS,
  apiGet,
  atPath,
  clickOpened,
  expectSystemTabs,
  firstAdmin,
  haveChromium,
  logIn,
  newZhPage,
  openMenu,
  SCREENSHOTS,
  settle,
  systemTab as tab,
  webPlatformForTests,
} from './browser.js';

describe.skipIf(!haveChromium)('系统管理: registry, standards and rule thresholds (Chromium)', () => {
  const web = webPlatformForTests('qy-web-admin-');
  const login = (page: Page, username: string, password?: string) =>
    logIn(page, web.base, username, password);
  const openSystem = (page: Page) => openMenu(page, '系统管理', /^\/system$/);

  it('the province administrator changes an enterprise, a limit and a threshold, each kept after a reload', async () => {
    const admin = firstAdmin(web.platform);
    const errors: string[] = [];
    const { context, page } = await newZhPage(web.browser, errors);
    await login(page, admin.username, admin.password);
    await openSystem(page);
    await expectSystemTabs(page, ALL_SYSTEM_TABS);

    // 登记管理: a region outside the registry is refused with the API's message and code; a phone is kept.
    await tab(page, '登记管理');
    const enterprises = page.getByTestId('registry-enterprises');
    await expect
      .poll(() => enterprises.locator('tbody tr.ant-table-row').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    const edit = enterprises.locator('[data-testid^="enterprise-edit-"]').first();
    const enterpriseId = Number((await edit.getAttribute('data-testid'))?.replace('enterprise-edit-', ''));
    await edit.click();
    await page.getByTestId('enterprise-region').fill('990000');
    await clickOpened(page.getByTestId('enterprise-save'));
    await expect
      .poll(() => page.getByTestId('enterprise-error').textContent(), { timeout: 10_000 })
      .toMatch(/\((QY|STORE)_E_[A-Z_]+/);
    await page.getByRole('button', { name: /取\s*消/ }).click();
    await edit.click();
    const phone = `027-${String(Date.now()).slice(-8)}`;
    await page.getByTestId('enterprise-phone').fill(phone);
    await clickOpened(page.getByTestId('enterprise-save'));
    await expect.poll(() => enterprises.textContent(), { timeout: 10_000 }).toContain(phone);
    // Its outlets and points, under the enterprise picked.
    await enterprises.locator('tbody tr.ant-table-row').first().click();
    await expect
      .poll(() => page.getByTestId('registry-outlets').locator('code').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'system-registry.png') });

    // 排放标准: the first standard with limits; its first limit raised by 1.
    const standard = await page.evaluate(async () => {
      const list = (await (await fetch('/api/v1/standards')).json()) as { id: number; code: string }[];
      for (const s of list) {
        const detail = (await (await fetch(`/api/v1/standards/${s.id}`)).json()) as {
          limits: { limitValue: number }[];
        };
        if (detail.limits.length > 0) return { ...s, first: detail.limits[0]?.limitValue as number };
      }
      throw new Error('no standard with limits');
    });
    const raised = standard.first + 1;
    await tab(page, '排放标准');
    await page.getByTestId('standards-table').getByText(standard.code, { exact: true }).click();
    await expect
      .poll(() => page.getByTestId('standard-limits').locator('tbody tr.ant-table-row').count(), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
    await page.getByTestId('standard-edit').click();
    await page.getByTestId('limit-value-0').fill(String(raised));
    await clickOpened(page.getByTestId('standard-save'));
    await expect
      .poll(() => page.getByTestId('standard-limit-value').first().textContent(), { timeout: 10_000 })
      .toMatch(new RegExp(`^${raised} `));
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'system-standards.png') });

    // 规则阈值: 恒值 hours from the built-in 6 [Proposal] to 4.
    await tab(page, '规则阈值');
    await page.getByTestId('proposal-constantHours').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('rules-revision').textContent()).toBe('版本 0');
    const hours = page.getByTestId('threshold-constantHours');
    expect(await hours.inputValue()).toBe('6');
    await hours.fill('4');
    await hours.blur();
    // And 突变 switched off for SO₂.
    await page.getByTestId('rules-factor-code').fill('a21026');
    await page.getByTestId('rules-factor-add').click();
    await page.getByTestId('disabled-a21026').click();
    await clickOpened(page.locator('.ant-select-item-option').getByText('突变', { exact: true }));
    await page.keyboard.press('Escape');
    // Applied to the last 7 days too: the province's points are re-judged in the background.
    await page.getByTestId('rules-rejudge-days').click();
    await clickOpened(
      page.locator('.ant-select-item-option').getByText('并重新判定最近 7 天', { exact: true }),
    );
    await page.getByTestId('rules-save').click();
    await expect
      .poll(() => page.getByTestId('rules-revision').textContent(), { timeout: 10_000 })
      .toBe('版本 1');
    // The page follows the run until it has gone through every point.
    await expect
      .poll(() => page.getByTestId('rules-rejudge-status').textContent(), { timeout: 60_000 })
      .toContain('已按新阈值重新判定最近 7 天');
    const points = await web.platform.http.services.ctx.store.db
      .selectFrom('monitoring_point')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(await page.getByTestId('rules-rejudge-points').textContent()).toContain(
      `点位 ${Number(points.n)}/${Number(points.n)}`,
    );
    // The bar grows to its end in a CSS transition: the screenshot waits for it.
    await page.getByTestId('rules-rejudge-status').locator('.ant-progress-status-success').waitFor();
    await page.waitForTimeout(800);
    // The analysis of the platform runs with it at once.
    const inForce = web.platform.http.services.ctx.anomalies.config;
    expect(inForce.defaults.constantHours).toBe(4);
    expect(inForce.disabled).toEqual({ a21026: ['sudden-change'] });
    await page.evaluate(() => window.scrollTo(0, 0));
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'system-rules.png') });

    // After a reload: all three changes are there.
    await page.reload();
    await atPath(page, /^\/system$/);
    await tab(page, '规则阈值');
    await expect
      .poll(() => page.getByTestId('threshold-constantHours').inputValue(), { timeout: 20_000 })
      .toBe('4');
    expect(await page.getByTestId('rules-factor-a21026').textContent()).toContain('突变');
    await tab(page, '排放标准');
    await page.getByTestId('standards-table').getByText(standard.code, { exact: true }).click();
    await expect
      .poll(() => page.getByTestId('standard-limit-value').first().textContent(), { timeout: 20_000 })
      .toMatch(new RegExp(`^${raised} `));
    await tab(page, '登记管理');
    await expect
      .poll(() => page.getByTestId('registry-enterprises').textContent(), { timeout: 20_000 })
      .toContain(phone);
    const saved = await apiGet<{ contactPhone: string }>(page, `/enterprises/${enterpriseId}`);
    expect(saved.contactPhone).toBe(phone);
    const audit = await apiGet<{ action: string }[]>(page, '/audit?limit=50');
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['enterprise.update', 'standard.update', 'rules.anomaly.update']),
    );
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  it('shows a city user the standards and thresholds without edit controls, and a county user the registry so', async () => {
    const errors: string[] = [];
    const { context, page } = await newZhPage(web.browser, errors);
    await login(page, 'demo.wuhan');
    await openSystem(page);
    await expectSystemTabs(page, ['登记管理', '运维单位', '排放标准', '规则阈值']);
    await tab(page, '排放标准');
    await expect
      .poll(() => page.getByTestId('standards-table').locator('tbody tr.ant-table-row').count(), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
    await page.getByTestId('standards-table').locator('tbody tr.ant-table-row').first().click();
    await page.getByTestId('standard-limits').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('standard-new').count()).toBe(0);
    expect(await page.getByTestId('standard-edit').count()).toBe(0);
    await tab(page, '规则阈值');
    await page.getByTestId('rules-defaults').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('rules-save').count()).toBe(0);
    expect(await page.getByTestId('rules-factor-add').count()).toBe(0);
    expect(await page.getByTestId('rules-defaults').locator('input').count()).toBe(0);
    expect(await page.getByTestId('rules-admin').textContent()).toContain('只读');
    await context.close();

    // The county (no registry.write) reads the registry only.
    const { context: county, page: countyPage } = await newZhPage(web.browser, errors);
    await login(countyPage, 'demo.county');
    await openSystem(countyPage);
    await tab(countyPage, '登记管理');
    await expect
      .poll(() => countyPage.getByTestId('registry-enterprises').locator('tbody tr.ant-table-row').count(), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
    expect(await countyPage.getByTestId('enterprise-new').count()).toBe(0);
    expect(await countyPage.locator('[data-testid^="enterprise-edit-"]').count()).toBe(0);
    expect(errors).toEqual([]);
    await county.close();
  }, 120_000);
});
