// End-to-end: 系统管理's registry additions against the platform (demo registry, a temporary SQLite file)
// serving the built web application, driven by Debian's Chromium. The province administrator adds a factor
// to a point, lists an enterprise in the 名录, files a discharge permit and registers an O&M contractor with
// a contract covering that point — each refused once with the API's catalogued code where the input is
// wrong, and each found again after a reload — and then ends that contract early (终止合同, from today), after
// which it is no longer in force, and cancels a renewal that has not started (取消合同, with a reason); a
// city user (registry.write, no reference.write) and a county user (read only) see only the edit controls
// their roles allow. Screenshots go to docs/screenshots/.
import { join } from 'node:path';
import { usccCheckCharacter } from '@qingyuan/store';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  ALL_SYSTEM_TABS,
  apiGet,
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

interface Target {
  enterpriseId: number;
  enterpriseName: string;
  pointId: number;
  pointName: string;
  mn: string;
  kind: string;
  factors: string[];
  keyYears: number[];
}

const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

describe.skipIf(!haveChromium)('系统管理: factors, permits, 名录 and contractors (Chromium)', () => {
  const web = webPlatformForTests('qy-web-registry-');

  /** Logs in and opens 系统管理. */
  async function login(page: Page, username: string, password?: string): Promise<void> {
    await logIn(page, web.base, username, password);
    await openMenu(page, '系统管理', /^\/system$/);
  }

  const subTab = (page: Page, name: string) =>
    page
      .getByTestId('registry-enterprise-tabs')
      .locator('.ant-tabs-tab')
      .getByText(name, { exact: true })
      .click();
  /** The option of the open select or auto-complete that shows `text` (once its dropdown is open). */
  const option = (page: Page, text: string) =>
    clickOpened(page.locator('.ant-select-item-option:visible').filter({ hasText: text }).first());

  /** Among the enterprises on the registry's first page, one with a point, and that point. */
  async function target(page: Page): Promise<Target> {
    const enterprises = page.getByTestId('registry-enterprises');
    await expect
      .poll(() => enterprises.locator('tbody tr.ant-table-row').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    const ids = await enterprises
      .locator('tbody tr.ant-table-row')
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-row-key'))));
    for (const id of ids) {
      const points = await apiGet<{ id: number }[]>(page, `/points?enterpriseId=${id}&limit=1`);
      const first = points[0];
      if (first === undefined) continue;
      const p = await apiGet<{
        name: string;
        mn: string;
        outlet: { kind: string };
        enterprise: { name: string };
        factors: { factorCode: string }[];
      }>(page, `/points/${first.id}`);
      const e = await apiGet<{ keyUnits: { year: number }[] }>(page, `/enterprises/${id}`);
      return {
        enterpriseId: id,
        enterpriseName: p.enterprise.name,
        pointId: first.id,
        pointName: p.name,
        mn: p.mn,
        kind: p.outlet.kind,
        factors: p.factors.map((f) => f.factorCode),
        keyYears: e.keyUnits.map((k) => k.year),
      };
    }
    throw new Error('no enterprise with a point on the first page');
  }

  async function pick(page: Page, enterpriseId: number): Promise<void> {
    await page
      .getByTestId('registry-enterprises')
      .locator(`tr[data-row-key="${enterpriseId}"] td`)
      .first()
      .click();
    await page.getByTestId('registry-enterprise-tabs').waitFor({ timeout: 20_000 });
  }

  async function openFactors(page: Page, pointId: number): Promise<void> {
    await page.getByTestId(`point-factors-${pointId}`).click({ timeout: 20_000 });
    await expect
      .poll(() => page.getByTestId('factors-table').locator('tbody tr.ant-table-row').count(), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
  }

  it('the province administrator adds a factor, a 名录 year, a permit and a contractor with a contract, all kept after a reload', async () => {
    const admin = firstAdmin(web.platform);
    const errors: string[] = [];
    const { context, page } = await newZhPage(web.browser, errors);
    await login(page, admin.username, admin.password);
    await expectSystemTabs(page, ALL_SYSTEM_TABS);

    // 监测因子: a new factor, refused once with its alarm thresholds the wrong way round.
    await tab(page, '登记管理');
    const t = await target(page);
    const code = t.kind === 'water' ? 'w01019' : 'a24088';
    expect(t.factors).not.toContain(code);
    await pick(page, t.enterpriseId);
    await openFactors(page, t.pointId);
    await clickOpened(page.getByTestId('factors-edit'));
    await page.getByTestId('factor-add').click();
    const row = t.factors.length;
    await page.getByTestId(`factor-code-${row}`).locator('input').fill(code);
    // Out of the field (Escape would close the dialogue when no suggestion is open).
    await page.getByTestId(`factor-unit-${row}`).click();
    await page.getByTestId(`factor-hourLimit-${row}`).fill('60');
    await page.getByTestId(`factor-alarmLow-${row}`).fill('80');
    await page.getByTestId(`factor-alarmHigh-${row}`).fill('5');
    await page.getByTestId('factors-save').click();
    await expect
      .poll(() => page.getByTestId('factors-error').textContent(), { timeout: 20_000 })
      .toMatch(new RegExp(`\\(STORE_E_INVALID: alarmHigh · ${code} · order\\)`));
    await page.getByTestId(`factor-alarmHigh-${row}`).fill('90');
    await page.getByTestId('factors-save').click();
    await expect
      .poll(() => page.getByTestId('factors-table').textContent(), { timeout: 20_000 })
      .toContain(code);
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'system-factors.png') });
    await page.keyboard.press('Escape');

    // 名录: a year not yet listed, for water.
    const thisYear = new Date().getFullYear();
    const year =
      [thisYear, thisYear - 1, thisYear - 2, thisYear - 3].find((y) => !t.keyYears.includes(y)) ?? 2000;
    await subTab(page, '重点排污单位名录');
    await page.getByTestId('key-units-edit').click({ timeout: 20_000 });
    await page.getByTestId('key-unit-add').click();
    await page.getByTestId(`key-unit-year-${t.keyYears.length}`).fill(String(year));
    await page
      .getByTestId(`key-unit-categories-${t.keyYears.length}`)
      .getByText('水', { exact: true })
      .click();
    await page.getByTestId('key-units-save').click();
    await expect
      .poll(() => page.getByTestId('registry-key-units').textContent(), { timeout: 20_000 })
      .toContain(String(year));
    await settle(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SCREENSHOTS, 'system-key-units.png') });

    // 排污许可证: filed with an allowance; the same number again is refused as a duplicate.
    const number = `${t.enterpriseId}E2E${Date.now().toString(36).toUpperCase()}P`;
    const filePermit = async () => {
      await page.getByTestId('permit-new').click();
      await page.getByTestId('permit-number').fill(number);
      await page.getByTestId('permit-from').fill('2026-01-01');
      await page.getByTestId('permit-to').fill('2030-12-31');
      await clickOpened(page.getByTestId('allowance-add'));
      await page.getByTestId('allowance-factor-0').locator('input').fill('a21026');
      await page.getByTestId('allowance-kg-0').fill('12000');
      await page.getByTestId('permit-save').click();
    };
    await subTab(page, '排污许可');
    await page.getByTestId('archive-permits').waitFor({ timeout: 20_000 });
    await filePermit();
    await expect
      .poll(() => page.getByTestId('archive-permits').textContent(), { timeout: 20_000 })
      .toContain(number);
    await settle(page);
    await filePermit();
    await expect
      .poll(() => page.getByTestId('permit-error').textContent(), { timeout: 20_000 })
      .toMatch(/\(STORE_E_DUPLICATE: number\)/);
    await page.getByRole('button', { name: /取\s*消/ }).click();
    await page.screenshot({ path: join(SCREENSHOTS, 'system-permits.png') });

    // 运维单位: a wrong check character is refused (GB 32100-2015); then the contractor and its contract.
    const first17 = `91420100${String(Date.now()).slice(-9)}`;
    const check = usccCheckCharacter(first17);
    const name = `清源测试运维有限公司${Date.now().toString(36)}`;
    await tab(page, '运维单位');
    await page.getByTestId('contractor-new').click();
    await page.getByTestId('contractor-uscc').fill(first17 + (check === '0' ? '1' : '0'));
    await page.getByTestId('contractor-name').fill(name);
    await clickOpened(page.getByTestId('contractor-save'));
    await expect
      .poll(() => page.getByTestId('contractor-error').textContent(), { timeout: 20_000 })
      .toMatch(/\(STORE_E_USCC_INVALID: uscc/);
    await page.getByTestId('contractor-uscc').fill(first17 + check);
    await page.getByTestId('contractor-save').click();
    const contracts = page.getByTestId('contractor-contracts');
    await expect
      .poll(() => contracts.locator('.ant-card-head').textContent(), { timeout: 20_000 })
      .toBe(name);
    await page.getByTestId('contract-new').click();
    await clickOpened(page.getByTestId('contract-enterprise'));
    await page.keyboard.type(t.enterpriseName);
    await option(page, t.enterpriseName);
    await page.getByTestId('contract-point').click();
    await option(page, t.mn);
    const now = Date.now();
    await page.getByTestId('contract-starts').fill(day(now - 30 * 86_400_000));
    await page.getByTestId('contract-ends').fill(day(now + 365 * 86_400_000));
    await page.getByTestId('contract-save').click();
    await expect
      .poll(() => page.getByTestId('contracts-table').textContent(), { timeout: 20_000 })
      .toContain(t.pointName);
    expect(await page.getByTestId('contracts-table').textContent()).toContain('履行中');
    await settle(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SCREENSHOTS, 'system-contractors.png') });

    // After a reload: every change is there, in the page and in the API.
    await page.reload();
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 40_000 }).toBe('/system');
    await tab(page, '运维单位');
    await page.getByTestId('contractors-table').getByText(name, { exact: true }).click({ timeout: 20_000 });
    await expect
      .poll(() => page.getByTestId('contracts-table').textContent(), { timeout: 20_000 })
      .toContain(t.pointName);
    await tab(page, '登记管理');
    await target(page);
    await pick(page, t.enterpriseId);
    await openFactors(page, t.pointId);
    expect(await page.getByTestId('factors-table').textContent()).toContain(code);
    await page.keyboard.press('Escape');
    await subTab(page, '排污许可');
    await expect
      .poll(() => page.getByTestId('archive-permits').textContent(), { timeout: 20_000 })
      .toContain(number);
    await subTab(page, '重点排污单位名录');
    await expect
      .poll(() => page.getByTestId('registry-key-units').textContent(), { timeout: 20_000 })
      .toContain(String(year));
    await subTab(page, '在用运维合同');
    await expect
      .poll(() => page.getByTestId('archive-contractors').textContent(), { timeout: 20_000 })
      .toContain(name);

    const point = await apiGet<{
      factors: { factorCode: string; hourLimit: number; alarmHigh: number; assessed: boolean }[];
    }>(page, `/points/${t.pointId}`);
    expect(point.factors.find((f) => f.factorCode === code)).toMatchObject({
      hourLimit: 60,
      alarmHigh: 90,
      assessed: true,
    });
    expect(point.factors.map((f) => f.factorCode)).toEqual(expect.arrayContaining(t.factors));
    const enterprise = await apiGet<{ keyUnits: { year: number; categories: string[] }[] }>(
      page,
      `/enterprises/${t.enterpriseId}`,
    );
    expect(enterprise.keyUnits).toContainEqual({ year, categories: ['water'] });
    const permits = await apiGet<{ id: number; number: string }[]>(
      page,
      `/enterprises/${t.enterpriseId}/permits`,
    );
    const permit = permits.find((p) => p.number === number);
    expect(permit).toBeDefined();
    const detail = await apiGet<{ allowances: unknown[] }>(page, `/permits/${permit?.id}`);
    expect(detail.allowances).toEqual([{ factorCode: 'a21026', annualKg: 12_000 }]);
    const inForce = await apiGet<{ pointId: number | null; contractor: { name: string; kind: string } }[]>(
      page,
      `/enterprises/${t.enterpriseId}/contractors`,
    );
    expect(inForce).toContainEqual(
      expect.objectContaining({
        pointId: t.pointId,
        contractor: expect.objectContaining({ name, kind: 'om' }),
      }),
    );
    const audit = await apiGet<{ action: string }[]>(page, '/audit?limit=50');
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'point.factors',
        'enterprise.update',
        'permit.create',
        'contractor.create',
        'contract.create',
      ]),
    );

    // 终止合同 from today (the default): its last day becomes yesterday, so it is no longer in force.
    await tab(page, '运维单位');
    await page.getByTestId('contractors-table').getByText(name, { exact: true }).click({ timeout: 20_000 });
    const table = page.getByTestId('contracts-table');
    await expect.poll(() => table.textContent(), { timeout: 20_000 }).toContain('履行中');
    await table.locator('[data-testid^="end-contract-"]').click();
    expect(await page.getByTestId('contract-end-day').inputValue()).toBe(day(Date.now()));
    // Each click once its dialogue has opened (clickOpened): a click during the zoom-in can be lost.
    await clickOpened(page.getByTestId('contract-end-save'));
    await clickOpened(page.getByTestId('contract-end-confirm'));
    await expect.poll(() => table.textContent(), { timeout: 20_000 }).toContain('不在期内');
    expect(await table.textContent()).not.toContain('履行中');
    expect(await table.textContent()).toContain(day(Date.now() - 86_400_000));
    const stillInForce = await apiGet<{ contractor: { name: string } }[]>(
      page,
      `/enterprises/${t.enterpriseId}/contractors`,
    );
    expect(stillInForce.map((c) => c.contractor.name)).not.toContain(name);
    const audited = await apiGet<{ action: string }[]>(page, '/audit?limit=50');
    expect(audited.map((a) => a.action)).toContain('contract.update');

    // 取消合同: a renewal recorded to start in a month is cancelled before it starts (a reason is required,
    // then a confirmation); it stays listed as 已取消 and never comes into force. The ended contract, which
    // has started, offers no cancellation.
    expect(await table.locator('[data-testid^="cancel-contract-"]').count()).toBe(0);
    await page.getByTestId('contract-new').click();
    await clickOpened(page.getByTestId('contract-enterprise'));
    await page.keyboard.type(t.enterpriseName);
    await option(page, t.enterpriseName);
    await page.getByTestId('contract-starts').fill(day(Date.now() + 30 * 86_400_000));
    await page.getByTestId('contract-ends').fill(day(Date.now() + 395 * 86_400_000));
    await page.getByTestId('contract-save').click();
    const cancelButton = table.locator('[data-testid^="cancel-contract-"]');
    await expect.poll(() => cancelButton.count(), { timeout: 20_000 }).toBe(1);
    const renewalId = Number(
      (await cancelButton.getAttribute('data-testid'))?.replace('cancel-contract-', ''),
    );
    await cancelButton.click();
    await clickOpened(page.getByTestId('contract-cancel-save'));
    await expect
      .poll(() => page.locator('.ant-form-item-explain-error:visible').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await page.getByTestId('contract-cancel-reason').fill('企业另选运维单位，合同未履行');
    await page.getByTestId('contract-cancel-save').click();
    await clickOpened(page.getByTestId('contract-cancel-confirm'));
    await expect
      .poll(() => page.getByTestId(`contract-cancelled-${renewalId}`).count(), { timeout: 20_000 })
      .toBe(1);
    expect(await page.getByTestId(`contract-cancelled-${renewalId}`).textContent()).toBe('已取消');
    expect(await table.locator('[data-testid^="cancel-contract-"]').count()).toBe(0);
    expect(await page.getByTestId(`end-contract-${renewalId}`).count()).toBe(0);
    const contractorId = (await apiGet<{ id: number; name: string }[]>(page, '/contractors')).find(
      (c) => c.name === name,
    )?.id;
    const contractor = await apiGet<{
      contracts: { id: number; cancelledAt: number | null; cancelReason: string | null; inForce: boolean }[];
    }>(page, `/contractors/${contractorId}`);
    expect(contractor.contracts.find((c) => c.id === renewalId)).toMatchObject({
      cancelReason: '企业另选运维单位，合同未履行',
      inForce: false,
    });
    expect(contractor.contracts.find((c) => c.id === renewalId)?.cancelledAt).toBeGreaterThan(0);
    const cancelAudit = await apiGet<{ action: string }[]>(page, '/audit?limit=50');
    expect(cancelAudit.map((a) => a.action)).toContain('contract.cancel');
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it('shows a city user permits and factors to edit but contractors read only, and a county user everything read only', async () => {
    const errors: string[] = [];
    const { context: city, page } = await newZhPage(web.browser, errors);
    await login(page, 'demo.wuhan');
    await tab(page, '运维单位');
    await expect
      .poll(() => page.getByTestId('contractors-table').locator('tbody tr.ant-table-row').count(), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
    expect(await page.getByTestId('contractor-new').count()).toBe(0);
    expect(await page.locator('[data-testid^="contractor-edit-"]').count()).toBe(0);
    await page.getByTestId('contractors-table').locator('tbody tr.ant-table-row td').first().click();
    await page.getByTestId('contracts-table').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('contract-new').count()).toBe(0);
    expect(await page.locator('[data-testid^="end-contract-"]').count()).toBe(0);
    expect(await page.locator('[data-testid^="cancel-contract-"]').count()).toBe(0);
    await tab(page, '登记管理');
    const t = await target(page);
    await pick(page, t.enterpriseId);
    await openFactors(page, t.pointId);
    expect(await page.getByTestId('factors-edit').count()).toBe(1);
    await page.keyboard.press('Escape');
    await subTab(page, '排污许可');
    await page.getByTestId('permit-new').waitFor({ timeout: 20_000 });
    await city.close();

    const { context: county, page: countyPage } = await newZhPage(web.browser, errors);
    await login(countyPage, 'demo.county');
    await tab(countyPage, '登记管理');
    const c = await target(countyPage);
    await pick(countyPage, c.enterpriseId);
    await openFactors(countyPage, c.pointId);
    expect(await countyPage.getByTestId('factors-edit').count()).toBe(0);
    await countyPage.keyboard.press('Escape');
    await subTab(countyPage, '排污许可');
    await countyPage.getByTestId('archive-permits').waitFor({ timeout: 20_000 });
    expect(await countyPage.getByTestId('permit-new').count()).toBe(0);
    await subTab(countyPage, '重点排污单位名录');
    await countyPage.getByTestId('registry-key-units').waitFor({ timeout: 20_000 });
    expect(await countyPage.getByTestId('key-units-edit').count()).toBe(0);
    expect(errors).toEqual([]);
    await county.close();
  }, 180_000);
});
