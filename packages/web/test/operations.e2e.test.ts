// End-to-end: the operations pages (智能监控, 原始报文, 反控, 系统管理) against the platform (demo registry, 10
// simulated loggers, a temporary SQLite file) serving the built web application, driven by Debian's Chromium.
// Screenshots go to docs/screenshots/. With CI=true a missing Chromium fails; otherwise it is skipped.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  clickOpened,
  haveChromium,
  logIn,
  newZhPage,
  openMenu as open,
  SCREENSHOTS,
  webPlatformForTests,
} from './browser.js';

describe.skipIf(!haveChromium)('the operations pages (Chromium)', () => {
  const web = webPlatformForTests('qy-web-ops-', { demoSpeed: 120 });
  const login = (page: Page, username: string, password?: string) =>
    logIn(page, web.base, username, password);

  it('sends a command, shows device information, frames and the audit log to the province', async () => {
    const errors: string[] = [];
    const { context, page } = await newZhPage(web.browser, errors);
    await login(page, 'demo.province');

    // 反控: get-system-time to the first online simulated device, followed to 成功 with 9011/9012.
    await open(page, '反控', /^\/commands$/);
    const picker = page.getByTestId('command-point');
    await expect.poll(() => picker.textContent(), { timeout: 20_000 }).toMatch(/[0-9A-F]{24}/);
    await expect.poll(() => page.getByTestId('command-select').textContent()).toContain('1011');
    await page.getByTestId('command-send').click();
    await expect
      .poll(() => page.getByTestId('command-state').textContent(), { timeout: 30_000 })
      .toBe('成功');
    expect(await page.getByTestId('command-qnrtn').textContent()).toContain('1 准备执行请求');
    expect(await page.getByTestId('command-exertn').textContent()).toContain('1 执行成功');
    expect(await page.getByTestId('command-result').textContent()).toMatch(/systemTime/);
    await expect
      .poll(() => page.getByTestId('commands-table').locator('tbody tr.ant-table-row').count(), {
        timeout: 10_000,
      })
      .toBeGreaterThan(0);
    // A parameter change for 智能监控 (3021 i13008 slope 0.8), sent as the page would.
    const pointId = await page.evaluate(async () => {
      const me = (await (await fetch('/api/v1/auth/me')).json()) as { csrfToken: string };
      const commands = (await (await fetch('/api/v1/commands?limit=1')).json()) as { pointId: number }[];
      const pointId = commands[0]?.pointId as number;
      const info = (await (await fetch(`/api/v1/points/${pointId}/device-info`)).json()) as {
        parameters: { polId: string; infoCode: string }[];
      };
      const polId = info.parameters.find((p) => p.infoCode === 'i13008')?.polId as string;
      await fetch(`/api/v1/points/${pointId}/commands`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify({
          command: 'set-device-parameter',
          params: { PolId: polId, InfoId: 'i13008', Info: '0.8' },
        }),
      });
      return pointId;
    });
    expect(pointId).toBeGreaterThan(0);
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(SCREENSHOTS, 'commands.png') });

    // 智能监控: the same point (the picker's first online point) shows states, parameters and the change.
    await open(page, '智能监控', /^\/smart$/);
    await expect.poll(() => page.getByTestId('state-value').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(
      await page.getByTestId('device-parameter').locator('tbody tr.ant-table-row').count(),
    ).toBeGreaterThan(0);
    await expect
      .poll(
        async () => {
          await page.getByTestId('smart-refresh').click();
          await page.waitForTimeout(500);
          return page.getByTestId('parameter-change').count();
        },
        { timeout: 20_000 },
      )
      .toBeGreaterThan(0);
    expect(await page.getByTestId('parameter-change').first().textContent()).toContain('→ 0.8');
    await page.getByTestId('state-timeline').locator('canvas').first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(SCREENSHOTS, 'smart.png') });

    // 原始报文: the list, then one frame's raw text beside its decoded view and its chain status.
    await open(page, '原始报文', /^\/frames$/);
    const rows = page.getByTestId('frames-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.getByTestId('frames-mn').fill('');
    await rows.first().click();
    await page.getByTestId('frame-decoded').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('frame-raw').textContent()).toMatch(/^##\d{4}QN=/);
    expect(await page.getByTestId('frame-chain').textContent()).toBe('哈希链 完整');
    expect(await page.getByTestId('frame-decoded').textContent()).toContain('CN');
    await page.getByTestId('frame-decoded').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'frames.png') });

    // 系统管理: no users tab for the province; status and the audit log with a verified chain (the
    // registry, standards and thresholds tabs: system-admin.e2e.test.ts).
    await open(page, '系统管理', /^\/system$/);
    const tabs = page.getByTestId('system-tabs');
    await expect
      .poll(() => tabs.locator('.ant-tabs-tab').allTextContents())
      .toEqual(['平台状态', '审计日志', '登记管理', '运维单位', '排放标准', '规则阈值']);
    await expect
      .poll(() => page.getByTestId('system-status').textContent(), { timeout: 20_000 })
      .toMatch(/在线设备 \(\d+\)/);
    // The demo runs on a SQLite file: its WAL checkpoints run on the gateway's worker thread. (The
    // gateway's counters arrive with their own request: wait for them too.)
    await expect
      .poll(() => page.getByTestId('system-status').textContent(), { timeout: 20_000 })
      .toMatch(/日志检查点\s*\d+/);
    await tabs.getByText('审计日志').click();
    await expect
      .poll(() => page.getByTestId('audit-table').locator('tbody tr.ant-table-row').count(), {
        timeout: 20_000,
      })
      .toBeGreaterThan(1);
    expect(await page.getByTestId('audit-table').textContent()).toContain('command.send');
    await page.getByTestId('audit-verify').click();
    await expect
      .poll(() => page.getByTestId('audit-verify-result').textContent(), { timeout: 20_000 })
      .toContain('哈希链完整');
    await page.screenshot({ path: join(SCREENSHOTS, 'system.png') });
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('lets the province administrator create a user and shows the one-time password once', async () => {
    const admin = web.platform.firstAdmin;
    if (admin === undefined) return; // the database already had an administrator
    const { context, page } = await newZhPage(web.browser);
    await login(page, admin.username, admin.password);
    await open(page, '系统管理', /^\/system$/);
    const users = page.getByTestId('users-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => users.count(), { timeout: 20_000 }).toBeGreaterThan(1);
    await page.getByTestId('user-new').click();
    await page.getByTestId('user-username').fill('e2e.city');
    await page.getByTestId('user-display-name').fill('端到端测试用户');
    await page.getByTestId('user-region').fill('420100');
    await clickOpened(page.getByRole('button', { name: /保\s*存/ }));
    await expect
      .poll(() => page.getByTestId('one-time-password').textContent(), { timeout: 10_000 })
      .toMatch(/^.{10,}$/);
    await clickOpened(page.getByTestId('one-time-close'));
    await expect.poll(() => page.getByTestId('users-table').textContent()).toContain('e2e.city');
    await context.close();
  }, 120_000);
});
