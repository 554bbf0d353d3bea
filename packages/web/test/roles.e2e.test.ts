// End-to-end: every demo role in Chromium against the demo platform (demo registry, 10 simulated loggers, a
// temporary SQLite file). Each role logs in and sees exactly its scope in the real-time tree — computed here
// independently from the registry tables (region subtree, own enterprise, contracts in force today) — and
// only the menu entries its permissions allow. The public portal works without logging in. A tip-off filed
// in the portal is handled by the responsible city on 举报处理 and followed by its filer with the receipt
// code. An extra simulated logger playing the simulator's 'exceedance' scenario raises an hourly
// exceedance that the province sees in 报警中心 (and a city elsewhere does not). Screenshots: tip-offs.png,
// tip-lookup.png. With CI=true a missing Chromium fails the test.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS } from '../../server/src/access/roles.js';
import type { DemoAccount } from '../../server/src/accounts/demo-users.js';
import { parseDevicesCsv, parseScenario, startFleet } from '../../simulator/src/index.js';
import { beijingDay, exportDevices } from '../../store/src/index.js';
import {
  clickOpened,
  haveChromium,
  logIn,
  newZhPage,
  openMenu,
  SCREENSHOTS,
  webPlatformForTests,
} from './browser.js';

const HOUR = 3_600_000;

/** Some menu entries (zh-CN labels) and the permissions that show them (packages/web/src/routes.ts). */
const MENU: readonly { readonly label: string; readonly permissions: readonly string[] }[] = [
  { label: '原始报文', permissions: ['frames.read'] },
  { label: '反控', permissions: ['commands.send'] },
  { label: '举报处理', permissions: ['marks.decide'] },
];

describe.skipIf(!haveChromium)('roles, scopes, tip-offs and an injected exceedance (Chromium)', () => {
  const web = webPlatformForTests('qy-web-roles-');
  const errors: string[] = [];
  const newPage = () => newZhPage(web.browser, errors);
  const login = (page: Page, username: string) => logIn(page, web.base, username);

  /** What an account may see, from the registry tables (not through the API's scope code). */
  async function expectedScope(account: DemoAccount): Promise<{ enterprises: string[]; points: number }> {
    const db = web.platform.store.db;
    const points = await db
      .selectFrom('monitoring_point as p')
      .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
      .innerJoin('enterprise as e', 'e.id', 'o.enterprise_id')
      .select(['p.id', 'e.id as enterpriseId', 'e.name', 'e.region_code'])
      .execute();
    let visible: typeof points;
    if (account.regionCode !== null) {
      const regions = await db.selectFrom('region').select(['code', 'parent_code']).execute();
      const subtree = new Set([account.regionCode]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const r of regions)
          if (r.parent_code !== null && subtree.has(r.parent_code) && !subtree.has(r.code)) {
            subtree.add(r.code);
            grew = true;
          }
      }
      visible = points.filter((p) => subtree.has(p.region_code));
    } else if (account.enterpriseId !== null) {
      visible = points.filter((p) => Number(p.enterpriseId) === account.enterpriseId);
    } else {
      const today = beijingDay(Date.now());
      const contracts = await db
        .selectFrom('contract')
        .select(['enterprise_id', 'point_id'])
        .where('contractor_id', '=', account.contractorId as number)
        .where('starts_on', '<=', today)
        .where('ends_on', '>=', today)
        .where('cancelled_at', 'is', null)
        .execute();
      visible = points.filter((p) =>
        contracts.some(
          (c) =>
            (c.point_id === null && Number(c.enterprise_id) === Number(p.enterpriseId)) ||
            (c.point_id !== null && Number(c.point_id) === Number(p.id)),
        ),
      );
    }
    return { enterprises: [...new Set(visible.map((p) => p.name))].sort(), points: visible.length };
  }

  it('each demo role sees exactly its scope in the real-time tree and only its menu entries', async () => {
    const accounts = web.platform.demoAccounts;
    expect(accounts.map((a) => a.role).sort()).toEqual(
      [
        'city',
        'county',
        'enterprise',
        'inspection_unit',
        'monitoring_operator',
        'om_contractor',
        'province',
      ].sort(),
    );
    const seen: Record<string, number> = {};
    for (const account of accounts) {
      const { context, page } = await newPage();
      await login(page, account.username);
      expect(await page.getByTestId('user').textContent()).toBe(account.displayName);
      // The menu: only the pages the role's permissions open.
      const menu = (await page.getByTestId('menu').textContent()) ?? '';
      const can = (p: string) => (ROLE_PERMISSIONS[account.role] as readonly string[]).includes(p);
      for (const entry of MENU)
        expect(menu.includes(entry.label), `${account.username}: menu entry ${entry.label}`).toBe(
          entry.permissions.some(can),
        );
      // The real-time tree: the enterprises (and, where few, the points) of the scope, nothing else.
      const expected = await expectedScope(account);
      await openMenu(page, '实时监控', /^\/realtime$/);
      await page.getByTestId('realtime-tree').waitFor({ timeout: 20_000 });
      const names = page.getByTestId('tree-enterprise');
      await expect
        .poll(() => names.count(), { timeout: 20_000, message: account.username })
        .toBe(expected.enterprises.length);
      expect((await names.allTextContents()).sort(), account.username).toEqual(expected.enterprises);
      if (expected.enterprises.length <= 20) {
        const tree = page.getByTestId('realtime-tree');
        for (let i = 0; i < 50 && (await tree.locator('.ant-tree-switcher_close').count()) > 0; i++)
          await tree.locator('.ant-tree-switcher_close').first().click();
        // One presence badge per point leaf.
        await expect
          .poll(() => tree.locator('.ant-badge').count(), { message: account.username })
          .toBe(expected.points);
      }
      seen[account.role] = expected.enterprises.length;
      // A page outside the role's permissions sends it back to the overview.
      if (!can('marks.decide')) {
        await page.goto(new URL('/tip-offs', web.base).href);
        await expect.poll(() => new URL(page.url()).pathname, { timeout: 20_000 }).toBe('/');
      }
      await context.close();
    }
    // The scopes nest as the roles do: province ⊃ city ⊃ county ⊇ enterprise, and the O&M contractor sees
    // the enterprise it serves.
    expect(seen.province).toBeGreaterThan(seen.city as number);
    expect(seen.city).toBeGreaterThan(seen.county as number);
    expect(seen.county).toBeGreaterThanOrEqual(1);
    expect(seen.enterprise).toBe(1);
    expect(seen.om_contractor).toBeGreaterThanOrEqual(1);
    expect(errors).toEqual([]);
  }, 240_000);

  it('the public portal works without logging in; the workbench asks for a login', async () => {
    const { context, page } = await newPage();
    const calls: string[] = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/api/')) calls.push(`${r.method()} ${path}`);
    });
    await page.goto(new URL('/portal', web.base).href);
    const rows = page.getByTestId('portal-enterprises').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(new URL(page.url()).pathname).toBe('/portal');
    expect(calls.filter((c) => !c.includes('/api/v1/public/') && !c.endsWith('/api/v1/auth/me'))).toEqual([]);
    for (const path of ['/realtime', '/tip-offs', '/alarms']) {
      await page.goto(new URL(path, web.base).href);
      await expect.poll(() => new URL(page.url()).pathname, { timeout: 20_000 }).toBe('/login');
    }
    const anonymous = await fetch(new URL('/api/v1/tip-offs', web.base));
    expect(anonymous.status).toBe(401);
    await context.close();
  }, 60_000);

  it('a tip-off filed in the portal is handled by the city on 举报处理 and followed with its receipt', async () => {
    const db = web.platform.store.db;
    // A published enterprise in Wuhan: its tips go to 武汉市 (demo.wuhan), not to a county.
    const target = await db
      .selectFrom('enterprise as e')
      .innerJoin('outlet as o', 'o.enterprise_id', 'e.id')
      .innerJoin('monitoring_point as p', 'p.outlet_id', 'o.id')
      .select(['e.id', 'e.name'])
      .where('e.region_code', 'like', '4201%')
      .where('e.status', '=', 'active')
      .where('p.status', '=', 'running')
      .orderBy('e.id')
      .executeTakeFirstOrThrow();
    const text = `端到端测试举报：${target.name} 夜间排口冒黑烟，气味刺鼻。`;

    // The filer, without logging in.
    const filer = await newPage();
    const portal = filer.page;
    await portal.goto(new URL('/portal?tab=tip-off', web.base).href);
    await portal.getByTestId('tip-form').waitFor({ timeout: 20_000 });
    await portal.getByTestId('tip-enterprise').click();
    await portal.keyboard.type(target.name);
    await clickOpened(
      portal.locator('.ant-select-dropdown .ant-select-item-option').filter({ hasText: target.name }).first(),
    );
    await portal.getByTestId('tip-description').fill(text);
    await portal
      .getByTestId('tip-attachments')
      .locator('input[type=file]')
      .setInputFiles({ name: '说明.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 e2e') });
    await expect.poll(() => portal.getByTestId('tip-form').textContent()).toContain('说明.pdf');
    await portal.getByTestId('tip-submit').click();
    await portal.getByTestId('tip-receipt').waitFor({ timeout: 20_000 });
    const receipt = ((await portal.getByTestId('tip-receipt').textContent()) ?? '')
      .replace(/^.*：/, '')
      .trim();
    expect(receipt).toMatch(/^[A-HJ-NP-Z2-9]{10}$/);
    const stored = await db
      .selectFrom('tip_off')
      .select(['id', 'receipt'])
      .where('receipt', '=', receipt)
      .executeTakeFirstOrThrow();
    expect(receipt).not.toContain(String(stored.id));
    // 查询办理进度 right away: received, nothing handled yet; the code never enters the URL.
    await portal.getByTestId('tip-follow-up').click();
    await expect
      .poll(() => portal.getByTestId('tip-lookup-state').textContent(), { timeout: 20_000 })
      .toBe('已受理');
    expect(portal.url()).not.toContain(receipt);
    expect(await portal.getByTestId('tip-lookup-result').textContent()).not.toContain('黑烟');

    // The county does not get a tip routed to the city; the city does.
    const county = await newPage();
    await login(county.page, 'demo.county');
    await openMenu(county.page, '举报处理', /^\/tip-offs$/);
    await county.page.getByTestId('tip-table').waitFor();
    await county.page.waitForTimeout(1000);
    expect(await county.page.getByTestId('tip-table').textContent()).not.toContain(text.slice(0, 12));
    await county.context.close();

    const city = await newPage();
    const page = city.page;
    await login(page, 'demo.wuhan');
    await openMenu(page, '举报处理', /^\/tip-offs$/);
    const row = page
      .getByTestId('tip-table')
      .locator('tbody tr.ant-table-row')
      .filter({ hasText: target.name });
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1);
    expect(await row.getByTestId('tip-state').textContent()).toBe('待处理');
    // The state filter: handled tips only, then all again.
    await page.getByTestId('tip-state-filter').click();
    await clickOpened(
      page.locator('.ant-select-dropdown .ant-select-item-option').filter({ hasText: '已办结' }),
    );
    await expect.poll(() => row.count()).toBe(0);
    await page.getByTestId('tip-state-filter').click();
    await clickOpened(
      page.locator('.ant-select-dropdown .ant-select-item-option').filter({ hasText: '全部状态' }),
    );
    await expect.poll(() => row.count()).toBe(1);
    await row.click();
    const drawer = page.getByTestId('tip-drawer');
    await expect.poll(() => drawer.getByTestId('tip-description-text').textContent()).toBe(text);
    expect(await drawer.getByTestId('tip-enterprise-name').textContent()).toBe(target.name);
    expect(await drawer.textContent()).toContain(receipt);
    // The attachment downloads with the session.
    const link = drawer.getByTestId('tip-attachment');
    const href = (await link.getAttribute('href')) as string;
    const download = await page.evaluate(async (url) => {
      const r = await fetch(url);
      return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
    }, href);
    expect(download).toEqual({ status: 200, type: 'application/pdf', text: '%PDF-1.4 e2e' });
    // Handle it: closed, with a note for the filer and an internal note for the authorities only.
    await clickOpened(drawer.getByTestId('tip-handling-state').getByText('办结'));
    await drawer.getByTestId('tip-handling-note').fill('已现场核查，情况属实，已责令企业整改。');
    expect(await drawer.textContent()).toContain('内部备注仅生态环境部门可见');
    await drawer.getByTestId('tip-handling-internal-note').fill('内部：下月安排复查，关注夜间排放。');
    await page.screenshot({ path: join(SCREENSHOTS, 'tip-offs.png') });
    await drawer.getByTestId('tip-handling-save').click();
    await expect.poll(() => drawer.getByTestId('tip-drawer-state').textContent()).toBe('已办结');
    await expect.poll(() => row.getByTestId('tip-state').textContent()).toBe('已办结');
    expect(await drawer.getByTestId('tip-internal-note-text').textContent()).toBe(
      '内部：下月安排复查，关注夜间排放。',
    );
    // Kept after a reload, in the form to edit.
    await page.reload();
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1);
    await row.click();
    await expect
      .poll(() => drawer.getByTestId('tip-handling-internal-note').inputValue(), { timeout: 20_000 })
      .toBe('内部：下月安排复查，关注夜间排放。');
    await city.context.close();

    // The filer looks it up again (a fresh visit, typing the code in lower case).
    await portal.goto(new URL('/portal?tab=lookup', web.base).href);
    await portal.getByTestId('tip-lookup-receipt').fill(receipt.toLowerCase());
    await portal.getByTestId('tip-lookup-submit').click();
    await expect
      .poll(() => portal.getByTestId('tip-lookup-state').textContent(), { timeout: 20_000 })
      .toBe('已办结');
    expect(await portal.getByTestId('tip-lookup-note').textContent()).toBe(
      '已现场核查，情况属实，已责令企业整改。',
    );
    expect(await portal.getByTestId('tip-lookup-result').textContent()).toContain('武汉市');
    // Never the internal note.
    expect(await portal.getByTestId('tip-lookup-result').textContent()).not.toContain('复查');
    await portal.screenshot({ path: join(SCREENSHOTS, 'tip-lookup.png') });
    // Someone else's code, or a guess, shows nothing.
    await portal.getByTestId('tip-lookup-receipt').fill('ABCDEFGHJK');
    await portal.getByTestId('tip-lookup-submit').click();
    await expect.poll(() => portal.getByTestId('tip-lookup-error').count()).toBe(1);
    expect(await portal.getByTestId('tip-lookup-result').count()).toBe(0);
    await filer.context.close();
    expect(errors).toEqual([]);
  }, 120_000);

  it('an exceedance played by a simulated logger shows in 报警中心 for the province, not for another city', async () => {
    const db = web.platform.store.db;
    const fleetMns = new Set(web.platform.fleet?.devices.map((d) => d.mn));
    // A running point outside Wuhan, not among the demo fleet's loggers, with an hourly limit.
    const candidates = await db
      .selectFrom('monitoring_point as p')
      .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
      .innerJoin('enterprise as e', 'e.id', 'o.enterprise_id')
      .innerJoin('point_factor as f', 'f.point_id', 'p.id')
      .select(['p.id', 'p.mn', 'e.name'])
      .where('p.status', '=', 'running')
      .where('e.region_code', 'not like', '4201%')
      .where('f.hour_limit', 'is not', null)
      .orderBy('p.id')
      .execute();
    const target = candidates.find((c) => !fleetMns.has(c.mn));
    expect(target).toBeDefined();
    const { id: pointId, mn, name } = target as (typeof candidates)[number];
    const spec = parseDevicesCsv(await exportDevices(web.platform.store)).find((d) => d.mn === mn);
    expect(spec).toBeDefined();
    // Eight simulated hours ending an hour ago, one simulated hour per real second: hourly records
    // (2061) well over the limits, judged by the platform's analysis as they arrive.
    const start = Math.floor(Date.now() / HOUR) * HOUR - 9 * HOUR;
    const fleet = await startFleet({
      devices: [spec as NonNullable<typeof spec>],
      host: '127.0.0.1',
      port: web.platform.gateway.port,
      speed: 3600,
      start,
      realtime: false,
      minInterval: 60,
      durationMs: 8_000,
      scenarios: [parseScenario(`exceedance:${mn}?ratio=5`, start)],
    });
    await fleet.finished;
    await fleet.stop();
    await expect
      .poll(
        async () =>
          (
            await db
              .selectFrom('alarm')
              .select('id')
              .where('point_id', '=', Number(pointId))
              .where('type', '=', 'hourly-exceedance')
              .execute()
          ).length,
        { timeout: 30_000, interval: 500 },
      )
      .toBeGreaterThan(0);

    const { context, page } = await newPage();
    await login(page, 'demo.province');
    await openMenu(page, '报警中心', /^\/alarms$/);
    await page.getByTestId('alarm-summary').getByText('小时均值超标').click();
    const rows = page.getByTestId('alarm-table').locator('tbody tr.ant-table-row').filter({ hasText: name });
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await rows.first().getByTestId('alarm-type-tag').textContent()).toBe('小时均值超标');
    expect(await rows.first().textContent()).toContain(mn);
    await context.close();

    const wuhan = await newPage();
    await login(wuhan.page, 'demo.wuhan');
    await openMenu(wuhan.page, '报警中心', /^\/alarms$/);
    await wuhan.page.getByTestId('alarm-table').waitFor();
    await wuhan.page.waitForTimeout(1500);
    expect(await wuhan.page.getByTestId('alarm-table').textContent()).not.toContain(mn);
    await wuhan.context.close();
    expect(errors).toEqual([]);
  }, 120_000);
});
