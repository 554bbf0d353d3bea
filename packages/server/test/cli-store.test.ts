import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { csvRecords, type ObservationInput, ObservationRepository, openStore } from '@qingyuan/store';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './cli-io.js';

const FIXTURE = fileURLToPath(new URL('../../store/test/fixtures/registry-import.csv', import.meta.url));
const DEVICE_HEADER = 'mn,password,protocol,crc,kind,enterprise,outlet,factors';

describe('qingyuan CLI on a store (SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qy-cli-store-'));
  const url = `sqlite:${join(dir, 'qingyuan.db')}`;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('db migrate creates the schema, and says so again when there is nothing to do', async () => {
    const first = await cli(['db', 'migrate', '--db', url]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('schema up to date');
    const again = await cli(['db', 'migrate', '--db', url]);
    expect(again).toMatchObject({ code: 0, stderr: '' });
  });

  it('db seed --demo fills the database and writes the device list; a second seed is refused', async () => {
    const devices = join(dir, 'devices.csv');
    const seeded = await cli([
      'db',
      'seed',
      '--demo',
      '--export-devices',
      devices,
      '--seed',
      '3',
      '--db',
      url,
    ]);
    expect(seeded.stderr).toBe('');
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toMatch(/demo registry seeded \(seed 3\)/);
    expect(seeded.stdout).toMatch(/enterprises {2}200 in 17 city-level divisions \(武汉市 \d+/);
    const points = Number(/points {7}(\d+) with/.exec(seeded.stdout)?.[1]);
    const text = readFileSync(devices, 'utf8');
    expect(text.split('\n')[0]).toBe(DEVICE_HEADER);
    expect(csvRecords(text).records).toHaveLength(points + 1);
    expect(seeded.stdout).toContain(`devices      ${points} written to ${devices}`);

    const again = await cli(['db', 'seed', '--demo', '--db', url]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('QY_E_CLI_INPUT');
    expect(again.stderr).toContain('already holds 200 enterprises');
    // --force adds the demo anyway; the same seed again collides and is undone as a whole.
    const same = await cli(['db', 'seed', '--demo', '--force', '--seed', '3', '--db', url]);
    expect(same.code).toBe(1);
    expect(same.stderr).toContain('try another --seed');
    const more = await cli(['db', 'seed', '--demo', '--force', '--seed', '4', '--db', url]);
    expect(more.code).toBe(0);
    expect(more.stdout).toContain('enterprises  200');
    expect((await cli(['db', 'seed', '--db', url])).code).toBe(2);
    expect((await cli(['db', 'seed', '--demo', '--seed', 'x', '--db', url])).code).toBe(2);
  }, 60_000);

  it('registry import loads the fixture, and a second import changes nothing', async () => {
    const first = await cli(['registry', 'import', FIXTURE, '--db', url]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('imported 25 rows');
    expect(first.stdout).toContain('enterprises  3 created, 0 updated, 0 unchanged');
    expect(first.stdout).toContain('points       6 created, 0 updated, 0 unchanged');
    expect(first.stdout).toContain('factors      25 created, 0 updated, 0 unchanged');
    expect(first.stdout).toContain('ignored columns: 序号, 因子名称');
    const dry = await cli(['registry', 'import', FIXTURE, '--dry-run', '--db', url]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('nothing was written');
    expect(dry.stdout).toContain('factors      0 created, 0 updated, 25 unchanged');
    expect((await cli(['registry', 'import', '--db', url])).code).toBe(2);
    expect((await cli(['registry', 'import', join(dir, 'missing.csv'), '--db', url])).code).toBe(1);
  });

  it('registry import of a broken file lists every row at fault, exits 1 and imports nothing', async () => {
    const lines = readFileSync(FIXTURE, 'utf8').split('\r\n');
    const header = (lines[0] as string).replace(/^\uFEFF/, '').split(',');
    const edit = (row: number, column: string, value: string) => {
      const cells = (lines[row - 1] as string).split(',');
      cells[header.indexOf(column)] = value;
      lines[row - 1] = cells.join(',');
    };
    edit(3, '统一社会信用代码', '91420804MA4F2K7D4M');
    edit(9, 'MN', '42080400100199'); // a new point: it must not appear
    edit(9, '访问密码', '111111');
    edit(9, '协议版本', '2005');
    edit(10, '执行标准', 'GB 3544-2008');
    edit(22, '量程上限', '5O');
    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, lines.join('\r\n'));
    const result = await cli(['registry', 'import', broken, '--db', url]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const printed = result.stderr.trim().split('\n');
    expect(printed).toEqual([
      expect.stringMatching(/^row 3, 统一社会信用代码: STORE_E_USCC_INVALID the check character/),
      expect.stringMatching(/^row 10, 执行标准: STORE_E_REFERENCE .*GB 3544-2008/),
      expect.stringMatching(/^row 22, 量程上限: STORE_E_INVALID "5O" is not a number/),
      `${broken}: 3 problems; nothing was imported`,
    ]);
    const exported = await cli([
      'data',
      'export',
      '--mn',
      '42080400100199',
      '--kind',
      'hour',
      '--from',
      '2026-01-01T00:00:00Z',
      '--to',
      '2026-01-02T00:00:00Z',
      '--db',
      url,
    ]);
    expect(exported.code).toBe(1);
    expect(exported.stderr).toContain('no monitoring point has MN 42080400100199');
  });

  it('data export prints the hourly observations written for a point, as CSV', async () => {
    const mn = 'A8F01C2D3E4B5A6978000101';
    const hour = (h: number) => Date.parse(`2026-01-15T0${h}:00:00+08:00`);
    const store = await openStore(url);
    let written: ObservationInput[];
    try {
      const point = await store.db
        .selectFrom('monitoring_point')
        .select('id')
        .where('mn', '=', mn)
        .executeTakeFirstOrThrow();
      written = [0, 1, 2].flatMap((h) => [
        {
          pointId: Number(point.id),
          factorCode: 'a21026',
          periodStart: hour(h),
          values: { min: 10 + h, avg: 20.5 + h, max: 31 + h, cou: 1.25 * (h + 1), zs_avg: 24.75 + h },
          dataFlag: 'N',
          source: 'das' as const,
          receivedAt: hour(h) + 3_660_000,
        },
        {
          pointId: Number(point.id),
          factorCode: 'a34013',
          periodStart: hour(h),
          values: { min: 1, avg: 2.5 + h, max: 4 },
          dataFlag: h === 1 ? 'M' : 'N',
          source: 'das' as const,
          receivedAt: hour(h) + 3_660_000,
        },
      ]);
      await new ObservationRepository(store).write('hour', written);
    } finally {
      await store.close();
    }
    const result = await cli([
      'data',
      'export',
      '--mn',
      mn,
      '--kind',
      'hour',
      '--from',
      '2026-01-15T00:00:00+08:00',
      '--to',
      '2026-01-15T03:00:00+08:00',
      '--format',
      'csv',
      '--db',
      url,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [header, ...rows] = csvRecords(result.stdout).records as [string[], ...string[][]];
    const column = (name: string) => header.indexOf(name);
    expect(header.slice(0, 3)).toEqual(['mn', 'factor_code', 'period_start']);
    const got = rows.map((cells) => ({
      mn: cells[0],
      factorCode: cells[column('factor_code')],
      periodStart: Date.parse(cells[column('period_start')] as string),
      min: cells[column('min')],
      avg: cells[column('avg')],
      max: cells[column('max')],
      cou: cells[column('cou')],
      zsAvg: cells[column('zs_avg')],
      dataFlag: cells[column('data_flag')],
      receivedAt: Date.parse(cells[column('received_at')] as string),
    }));
    const text = (value: number | null | undefined) =>
      value === null || value === undefined ? '' : String(value);
    const expected = [...written]
      .sort((a, b) =>
        a.factorCode < b.factorCode ? -1 : a.factorCode > b.factorCode ? 1 : a.periodStart - b.periodStart,
      )
      .map((w) => ({
        mn,
        factorCode: w.factorCode,
        periodStart: w.periodStart,
        min: text(w.values.min),
        avg: text(w.values.avg),
        max: text(w.values.max),
        cou: text(w.values.cou),
        zsAvg: text(w.values.zs_avg),
        dataFlag: w.dataFlag,
        receivedAt: w.receivedAt,
      }));
    expect(got).toEqual(expected);
  });
});
