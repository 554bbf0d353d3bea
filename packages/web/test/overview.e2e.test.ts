// End-to-end: the overview's drill-down (湖北省 → 武汉市 → a county) by the region list, the map and the
// breadcrumb, the figures and the enterprise list narrowing with it (checked against GET /overview of the
// same region), an enterprise's 一企一档 opened from the list, the 7/30-day trends, and a city user starting
// at its city — against the demo platform (demo registry, 10 simulated loggers, a temporary SQLite file) in
// Chromium. Screenshot: overview-drilldown.png. With CI=true a missing Chromium fails the test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../server/src/platform.js';
import { haveChromium, openWebPlatform, PASSWORD, SCREENSHOTS } from './browser.js';

/** What the test reads of GET /overview and GET /overview/trends (docs/api.md). */
interface OverviewAnswer {
  readonly region: string | null;
  readonly root: string | null;
  readonly regions: readonly { code: string; name: string; parentCode: string | null }[];
  readonly figures: { enterprises: number; points: number };
  readonly enterprises: readonly {
    id: number;
    regionCode: string;
    longitude: number | null;
    latitude: number | null;
  }[];
}
interface OverviewTrends {
  readonly region: string | null;
  readonly days: number;
  readonly series: readonly unknown[];
  readonly month: { month: string; effectiveTransmissionRate: number | null };
}

describe.skipIf(!haveChromium)('the overview: drill-down, figures, lists and trends (Chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qy-web-overview-'));
  let platform: Platform;
  let browser: Browser;
  let base: string;
  const errors: string[] = [];

  beforeAll(async () => {
    ({ platform, browser, base } = await openWebPlatform(dir));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function loggedIn(username: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(new URL('/login', base).href);
    await page.getByLabel(/用户名|User name/).fill(username);
    await page.getByLabel(/密码|Password/).fill(PASSWORD);
    await page.getByRole('button', { name: /登\s*录|Log in/ }).click();
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 20_000 }).not.toMatch(/^\/login/);
    return { context, page };
  }

  /** The answer the page should show, asked with the page's session. */
  async function answer(page: Page, region?: string): Promise<OverviewAnswer> {
    const url = new URL('/api/v1/overview', base);
    if (region !== undefined) url.searchParams.set('region', region);
    return (await page.request.get(url.href)).json() as Promise<OverviewAnswer>;
  }

  const region = (page: Page) => new URL(page.url()).searchParams.get('region');
  const current = (page: Page) => page.getByTestId('crumb-current').textContent();
  const figure = async (page: Page, id: string) =>
    Number(
      (await page.getByTestId(id).locator('.ant-statistic-content-value').textContent())?.replace(/,/g, ''),
    );

  /** The page shows `expected`: breadcrumb, figures, map and the enterprise list's first page. */
  async function shows(page: Page, expected: OverviewAnswer): Promise<void> {
    const name = expected.regions.find((r) => r.code === expected.region)?.name;
    await expect.poll(() => current(page), { timeout: 20_000 }).toBe(name);
    await expect
      .poll(() => figure(page, 'fig-enterprises'), { timeout: 20_000 })
      .toBe(expected.figures.enterprises);
    expect(await figure(page, 'fig-points')).toBe(expected.figures.points);
    const located = expected.enterprises.filter((e) => e.longitude !== null && e.latitude !== null).length;
    await expect
      .poll(() => page.getByTestId('hubei-map').getAttribute('data-enterprises'), { timeout: 20_000 })
      .toBe(String(located));
    // The list: the region's enterprises, each in the region drilled into (or below it).
    const names = new Map(expected.regions.map((r) => [r.code, r.name]));
    const inRegion = new Set(expected.enterprises.map((e) => names.get(e.regionCode)));
    const rows = page.getByTestId('overview-enterprises').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(Math.min(8, expected.enterprises.length));
    for (const cell of await rows.locator('td:nth-child(2)').allTextContents())
      expect(inRegion).toContain(cell);
  }

  it('drills 湖北省 → 武汉市 → a county and back, narrowing figures and lists, and opens an enterprise file', async () => {
    const { context, page } = await loggedIn('demo.province');
    await page.getByTestId('hubei-map').locator('canvas').first().waitFor({ timeout: 20_000 });
    const province = await answer(page);
    expect(province.root).toBe('420000');
    await shows(page, province);
    expect(region(page)).toBeNull();

    // Province → Wuhan by the list of regions below.
    await page.getByTestId('overview-regions').getByText('武汉市', { exact: true }).click();
    await expect.poll(() => region(page)).toBe('420100');
    const wuhan = await answer(page, '420100');
    await shows(page, wuhan);
    expect(wuhan.figures.enterprises).toBeGreaterThan(0);
    expect(wuhan.figures.enterprises).toBeLessThan(province.figures.enterprises);
    expect(await page.getByTestId('overview-breadcrumb').textContent()).toMatch(/湖北省.*武汉市/);
    await expect.poll(() => page.getByTestId('hubei-map').getAttribute('data-region')).toBe('420100');

    // Wuhan → a county by clicking the map: the first point of a few that lands on a county (not on an
    // enterprise's symbol, which opens its file: then back and the next point).
    const map = page.getByTestId('hubei-map');
    const box = await map.boundingBox();
    if (box === null) throw new Error('no map');
    const wuhanCounties = new Set(wuhan.regions.filter((r) => r.parentCode === '420100').map((r) => r.code));
    for (const [dx, dy] of [
      [0.5, 0.5],
      [0.45, 0.6],
      [0.6, 0.4],
      [0.35, 0.35],
      [0.65, 0.7],
    ] as const) {
      await page.mouse.click(box.x + dx * box.width, box.y + dy * box.height);
      await page.waitForTimeout(500);
      if (new URL(page.url()).pathname !== '/') {
        await page.goBack();
        await expect.poll(() => region(page)).toBe('420100');
        continue;
      }
      if (wuhanCounties.has(region(page) ?? '')) break;
    }
    const county = region(page) as string;
    expect(wuhanCounties).toContain(county);
    const countyAnswer = await answer(page, county);
    await shows(page, countyAnswer);
    expect(countyAnswer.figures.enterprises).toBeLessThanOrEqual(wuhan.figures.enterprises);
    expect(await page.getByTestId('overview-breadcrumb').textContent()).toMatch(/湖北省.*武汉市.*\S/);
    // The county's map: the county among its neighbours; no regions further below.
    await expect.poll(() => page.getByTestId('hubei-map').getAttribute('data-region')).toBe(county);
    expect(await page.getByTestId('overview-regions').count()).toBe(0);

    // Back up by the breadcrumb, then down into Wuhan's county with the most enterprises by the list.
    await page.getByTestId('overview-breadcrumb').getByText('武汉市').click();
    await expect.poll(() => region(page)).toBe('420100');
    await shows(page, wuhan);
    const byCounty = new Map<string, number>();
    for (const e of wuhan.enterprises) byCounty.set(e.regionCode, (byCounty.get(e.regionCode) ?? 0) + 1);
    const [busiest] = [...byCounty].sort((a, b) => b[1] - a[1])[0] as [string, number];
    const busiestName = wuhan.regions.find((r) => r.code === busiest)?.name as string;
    await page.getByTestId('overview-regions').getByText(busiestName, { exact: true }).click();
    await expect.poll(() => region(page)).toBe(busiest);
    const busiestAnswer = await answer(page, busiest);
    await shows(page, busiestAnswer);
    expect(busiestAnswer.enterprises.length).toBeGreaterThan(0);
    // The map eases into the county (ECharts' update animation) before the picture.
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(SCREENSHOTS, 'overview-drilldown.png'), fullPage: true });

    // The enterprise list opens the 一企一档 of the enterprise.
    const first = page.getByTestId('overview-enterprises').locator('tbody tr.ant-table-row').first();
    const id = Number(await first.getAttribute('data-row-key'));
    const name = (await first.locator('td').first().textContent()) as string;
    await first.locator('td').first().getByText(name).click();
    await expect
      .poll(() => `${new URL(page.url()).pathname}${new URL(page.url()).search}`)
      .toBe(`/archive?enterprise=${id}`);
    await expect
      .poll(() => page.getByTestId('archive-name').textContent(), { timeout: 20_000 })
      .toContain(name);
    // And the browser's back button returns to the county.
    await page.goBack();
    await expect.poll(() => current(page)).toBe(busiestName);
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  it('draws the 7/30-day trends and this month’s 有效传输率, following the region', async () => {
    const { context, page } = await loggedIn('demo.province');
    const chart = page.getByTestId('overview-trends');
    await chart.locator('canvas').first().waitFor({ timeout: 20_000 });
    // The month's figure is the trends answer's.
    const trends = (await (
      await page.request.get(new URL('/api/v1/overview/trends', base).href)
    ).json()) as OverviewTrends;
    const rate = trends.month.effectiveTransmissionRate;
    const shown = await page.getByTestId('fig-transmission').textContent();
    expect(shown).toContain(trends.month.month);
    expect(shown).toContain(rate === null ? '—' : `${(100 * rate).toFixed(1)}%`);
    // 30 days at the switch, for the region on screen.
    const thirty = page.waitForResponse((r) => /\/overview\/trends\?days=30$/.test(r.url()));
    await page.getByTestId('trend-days').getByText('近 30 天').click();
    const answer30 = (await (await thirty).json()) as OverviewTrends;
    expect([answer30.days, answer30.series.length, answer30.region]).toEqual([30, 30, '420000']);
    await page.waitForTimeout(300);
    await chart.locator('canvas').first().waitFor();
    const wuhan = page.waitForResponse((r) => /\/overview\/trends\?days=30&region=420100$/.test(r.url()));
    await page.getByTestId('overview-regions').getByText('武汉市', { exact: true }).click();
    expect(((await (await wuhan).json()) as OverviewTrends).region).toBe('420100');
    const seven = page.waitForResponse((r) => /\/overview\/trends\?days=7&region=420100$/.test(r.url()));
    await page.getByTestId('trend-days').getByText('近 7 天').click();
    expect(((await (await seven).json()) as OverviewTrends).series.length).toBe(7);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('starts a city user at its city, with no way above it', async () => {
    const { context, page } = await loggedIn('demo.wuhan');
    const wuhan = await answer(page);
    expect([wuhan.root, wuhan.region]).toEqual(['420100', '420100']);
    await shows(page, wuhan);
    expect(await page.getByTestId('overview-breadcrumb').textContent()).not.toContain('湖北省');
    await expect.poll(() => page.getByTestId('hubei-map').getAttribute('data-region')).toBe('420100');
    // Asking for the province by address: not the city's; the page says so.
    await page.goto(new URL('/?region=420000', base).href);
    await expect.poll(() => page.locator('.ant-alert-error').count(), { timeout: 20_000 }).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
