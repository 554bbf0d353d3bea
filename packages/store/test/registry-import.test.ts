import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  csvField,
  csvRecords,
  importRegistry,
  inTransaction,
  parseRegistryCsv,
  parseRegistryXlsx,
  type RegistryImportResult,
  repositories,
  usccCheckCharacter,
} from '../src/index.js';
import { createTestStore, describeEachDialect } from './dialects.js';
import { registryCounts, registryDigest } from './registry-digest.js';
import { validUscc } from './registry-helpers.js';

const FIXTURE = new URL('./fixtures/registry-import.csv', import.meta.url);
const FIXTURE_BYTES = readFileSync(FIXTURE);
const FIXTURE_RECORDS = csvRecords(FIXTURE_BYTES.toString('utf8').replace(/^\uFEFF/, '')).records.filter(
  (r) => r.length > 1,
);
const NOW = Date.UTC(2026, 1, 2, 1, 0, 0);

const USCC = { thermal: '91420804MA4F2K7D4N', chemical: '91429005707123450W', sewage: '91420683MA49RT3LXW' };

/** The fixture with some cells changed: `edits[row][header] = text` (rows are spreadsheet rows, header = 1). */
function editedCsv(edits: Record<number, Record<string, string>>): string {
  const [header, ...rows] = FIXTURE_RECORDS as [string[], ...string[][]];
  const lines = [header, ...rows].map((cells, i) => {
    const change = edits[i + 1] ?? {};
    return cells.map((cell, c) => csvField(change[header[c] as string] ?? cell)).join(',');
  });
  return `${lines.join('\r\n')}\r\n`;
}

/** An XLSX of the fixture as a province keeps it: a title row, numbers as numbers, merged enterprise cells. */
async function fixtureXlsx(): Promise<Uint8Array> {
  const [header, ...rows] = FIXTURE_RECORDS as [string[], ...string[][]];
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('重点排污单位自动监控点位');
  sheet.addRow(['湖北省重点排污单位自动监控点位信息表（示例）']);
  sheet.mergeCells(1, 1, 1, header.length);
  sheet.addRow(header);
  const numeric = new Set([
    '经度',
    '纬度',
    '基准氧含量',
    '排气筒高度',
    '量程下限',
    '量程上限',
    '小时限值',
    '日限值',
    '序号',
  ]);
  for (const cells of rows) {
    sheet.addRow(
      cells.map((cell, c) => (numeric.has(header[c] as string) && cell !== '' ? Number(cell) : cell)),
    );
  }
  // 企业名称 merged over each enterprise's rows (data rows start at spreadsheet row 3).
  const nameColumn = header.indexOf('企业名称') + 1;
  let start = 0;
  for (let i = 1; i <= rows.length; i++) {
    if (i === rows.length || rows[i]?.[1] !== rows[start]?.[1]) {
      if (i - start > 1) sheet.mergeCells(start + 3, nameColumn, i - 1 + 3, nameColumn);
      start = i;
    }
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

function summaryOf(result: RegistryImportResult) {
  expect(result.errors).toEqual([]);
  return result.summary;
}

describe('reading registry files', () => {
  it('parses RFC 4180: quotes, doubled quotes, line breaks in fields, CR LF, a BOM', () => {
    const { records, unterminated } = csvRecords('a,"b, c","say ""hi"""\r\n"multi\nline",,x\n');
    expect(unterminated).toBeUndefined();
    expect(records).toEqual([
      ['a', 'b, c', 'say "hi"'],
      ['multi\nline', '', 'x'],
    ]);
    expect(csvRecords('a,"open\n').unterminated).toBe(1);
    const sheet = parseRegistryCsv(FIXTURE_BYTES);
    expect(sheet.headerRow).toBe(1);
    expect(sheet.headers.uscc).toBe('统一社会信用代码');
    expect(sheet.ignoredHeaders).toEqual(['序号', '因子名称']);
    expect(sheet.rows).toHaveLength(25);
    expect(sheet.rows[0]?.row).toBe(2);
    expect(sheet.rows.find((r) => r.cells.uscc === USCC.chemical)?.cells.address).toBe(
      '湖北省潜江市江汉盐化工业园区, 章华南路88号',
    );
  });

  it('finds the header under a title row, and refuses text that is not UTF-8', () => {
    const sheet = parseRegistryCsv('湖北省重点排污单位名录\n\nuscc,mn,factor,outlet_code\n1,2,3,4\n');
    expect(sheet.headerRow).toBe(3);
    expect(sheet.rows).toEqual([{ row: 4, cells: { uscc: '1', mn: '2', factor: '3', outlet_code: '4' } }]);
    const gbk = new Uint8Array([0xc6, 0xf3, 0xd2, 0xb5, 0x2c, 0x4d, 0x4e]); // 企业,MN in GBK
    expect(parseRegistryCsv(gbk).problems[0]?.message).toMatch(/not UTF-8/);
  });
});

describeEachDialect('registry import', (store, dialect) => {
  let imported = '';

  it('imports the CSV fixture: 3 enterprises, 5 outlets, 6 points, 25 factors', async () => {
    const result = await importRegistry(store(), parseRegistryCsv(FIXTURE_BYTES), { now: NOW });
    expect(result).toMatchObject({ ok: true, imported: true, dryRun: false });
    expect(summaryOf(result)).toEqual({
      rows: 25,
      enterprises: { created: 3, updated: 0, unchanged: 0 },
      outlets: { created: 5, updated: 0, unchanged: 0 },
      points: { created: 6, updated: 0, unchanged: 0 },
      factors: { created: 25, updated: 0, unchanged: 0 },
    });
    const { enterprises, outlets, points, standards } = repositories(store());
    const chemical = await enterprises.byUscc(USCC.chemical);
    expect(chemical).toMatchObject({
      name: '潜江澄益化工有限公司',
      regionCode: '429005',
      industryCode: 'C2614',
      address: '湖北省潜江市江汉盐化工业园区, 章华南路88号',
      longitude: 112.861,
      latitude: 30.375,
    });
    const thermal = await enterprises.byUscc(USCC.thermal);
    const [da001, da002] = await outlets.byEnterprise(thermal?.id ?? 0);
    const gb13223 = await standards.byCode('GB 13223-2011');
    expect(da001).toMatchObject({
      code: 'DA001',
      kind: 'gas',
      name: '1号机组排气筒',
      standardId: gb13223?.id,
      referenceO2: 6,
      stackHeightM: 180,
    });
    expect(da002?.code).toBe('DA002');

    // The HJ 212-2005 logger: its codes were mapped to 2017 codes, the 2005 code kept, units defaulted.
    const old = await points.byMn('42080400100102');
    expect(old).toMatchObject({ protocolVersion: '2005', name: '2号机组排气筒监测点', status: 'running' });
    expect((await points.credentials('42080400100102'))?.password).toBe('123456');
    const oldFactors = await points.factors(old?.id ?? 0);
    expect(oldFactors.map((f) => [f.factorCode, f.code2005, f.unit, f.assessed])).toEqual([
      ['a19001', 'S01', '%', false],
      ['a21002', '03', '毫克/立方米', true],
      ['a21026', '02', '毫克/立方米', true],
      ['a34013', '01', '毫克/立方米', true],
    ]);
    expect(oldFactors.find((f) => f.factorCode === 'a21026')).toMatchObject({
      rangeLow: 0,
      rangeHigh: 500,
      hourLimit: 100,
    });

    expect((await points.byMn('A8F01C2D3E4B5A6978000101'))?.protocolVersion).toBe('2017');
    expect((await points.byMn('30B5C8E1D4A7F20000000502'))?.protocolVersion).toBe('2025');
    const sewage = await enterprises.byUscc(USCC.sewage);
    const [tail] = await outlets.byEnterprise(sewage?.id ?? 0);
    const twoPoints = await points.byOutlet(tail?.id ?? 0);
    expect(twoPoints.map((p) => p.name)).toEqual([
      '污水处理厂尾水排放口监测点1',
      '污水处理厂尾水排放口监测点2',
    ]);
    const cod = (await points.factors(twoPoints[0]?.id ?? 0)).find((f) => f.factorCode === 'w01018');
    expect(cod).toMatchObject({
      unit: '毫克/升',
      dayLimit: 50,
      hourLimit: null,
      assessed: true,
      code2005: null,
    });
    imported = await registryDigest(store());
  });

  it('re-importing the same file changes nothing', async () => {
    const result = await importRegistry(store(), parseRegistryCsv(FIXTURE_BYTES), { now: NOW + 3_600_000 });
    expect(summaryOf(result)).toEqual({
      rows: 25,
      enterprises: { created: 0, updated: 0, unchanged: 3 },
      outlets: { created: 0, updated: 0, unchanged: 5 },
      points: { created: 0, updated: 0, unchanged: 6 },
      factors: { created: 0, updated: 0, unchanged: 25 },
    });
    expect(await registryDigest(store())).toBe(imported);
  });

  it('an XLSX of the same register (title row, merged cells, numeric cells) gives the same registry', async () => {
    const xlsx = await fixtureXlsx();
    const sheet = await parseRegistryXlsx(xlsx);
    expect(sheet.headerRow).toBe(2);
    expect(sheet.rows).toHaveLength(25);
    // Unchanged when applied over the CSV's import …
    const again = await importRegistry(store(), sheet, { now: NOW });
    expect(summaryOf(again)?.factors).toEqual({ created: 0, updated: 0, unchanged: 25 });
    // … and record for record the same on a fresh database.
    const fresh = await createTestStore(dialect);
    try {
      expect((await importRegistry(fresh.store, sheet, { now: NOW })).ok).toBe(true);
      expect(await registryDigest(fresh.store)).toBe(imported);
    } finally {
      await fresh.dispose();
    }
  }, 60_000);

  it('applies changed cells as updates and keeps what blank cells leave out', async () => {
    const csv = editedCsv({
      2: { 地址: '湖北省荆门市掇刀区兴业大道169号', 小时限值: '25' },
      3: { 地址: '湖北省荆门市掇刀区兴业大道169号' },
      4: { 地址: '湖北省荆门市掇刀区兴业大道169号' },
      5: { 地址: '湖北省荆门市掇刀区兴业大道169号' },
      6: { 地址: '湖北省荆门市掇刀区兴业大道169号' },
      7: { 地址: '湖北省荆门市掇刀区兴业大道169号' },
      8: { 地址: '', 访问密码: '654321' },
      9: { 地址: '', 访问密码: '654321' },
      10: { 地址: '', 访问密码: '654321' },
      11: { 地址: '', 访问密码: '654321', 量程上限: '' },
    });
    const result = await importRegistry(store(), parseRegistryCsv(csv), { now: NOW + 86_400_000 });
    expect(summaryOf(result)).toMatchObject({
      enterprises: { created: 0, updated: 1, unchanged: 2 },
      points: { created: 0, updated: 1, unchanged: 5 },
      factors: { created: 0, updated: 1, unchanged: 24 },
    });
    const { enterprises, points } = repositories(store());
    expect((await enterprises.byUscc(USCC.thermal))?.address).toBe('湖北省荆门市掇刀区兴业大道169号');
    expect((await points.credentials('42080400100102'))?.password).toBe('654321');
    const o2 = (await points.factors((await points.byMn('42080400100102'))?.id ?? 0)).find(
      (f) => f.factorCode === 'a19001',
    );
    expect(o2?.rangeHigh).toBe(25);
    const pm = (await points.factors((await points.byMn('A8F01C2D3E4B5A6978000101'))?.id ?? 0)).find(
      (f) => f.factorCode === 'a34013',
    );
    expect(pm?.hourLimit).toBe(25);
  });

  it('a dry run reports what it would do and writes nothing', async () => {
    const before = await registryDigest(store());
    const csv = editedCsv({ 2: { 小时限值: '20' } }).replaceAll('42080400100102', '42080400100199');
    const result = await importRegistry(store(), parseRegistryCsv(csv), { now: NOW, dryRun: true });
    expect(result).toMatchObject({ ok: true, dryRun: true, imported: false });
    expect(result.summary?.points.created).toBe(1);
    expect(result.summary?.factors.updated).toBeGreaterThanOrEqual(1);
    expect(await registryDigest(store())).toBe(before);
  });
});

describeEachDialect('inTransaction', (store) => {
  it('runs the repositories inside one transaction: a throw undoes them all, success keeps them', async () => {
    const input = (n: number) => ({ uscc: validUscc(n), name: `事务测试企业${n}`, regionCode: '420102' });
    await expect(
      inTransaction(store(), async (scoped) => {
        const { enterprises } = repositories(scoped);
        await enterprises.create(input(1), NOW);
        await enterprises.setKeyUnits((await enterprises.byUscc(validUscc(1)))?.id ?? 0, 2026, ['water']);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await repositories(store()).enterprises.byUscc(validUscc(1))).toBeUndefined();
    await inTransaction(store(), async (scoped) => {
      await repositories(scoped).enterprises.create(input(2), NOW);
    });
    expect((await repositories(store()).enterprises.byUscc(validUscc(2)))?.name).toBe('事务测试企业2');
  });
});

describeEachDialect('registry import errors', (store) => {
  it('reports every problem with its row and column, and imports nothing', async () => {
    const bad = USCC.thermal.slice(0, 17) + (USCC.thermal.endsWith('N') ? 'M' : 'N');
    const csv = editedCsv({
      3: { 统一社会信用代码: bad },
      8: { 排口类型: '废渣' },
      12: { 执行标准: 'GB 3544-2008' },
      14: { MN: '' },
      17: { 监测因子: 'a34013' },
      20: { 企业名称: '枣阳沛川水务有限公司' },
      22: { 量程上限: '5O' },
      25: { 行政区划代码: '429999' },
      26: { 监测因子: 'a21026' },
    });
    const result = await importRegistry(store(), parseRegistryCsv(csv), { now: NOW });
    expect(result.ok).toBe(false);
    expect(result.imported).toBe(false);
    expect(result.summary).toBeUndefined();
    expect(result.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [3, '统一社会信用代码', 'STORE_E_USCC_INVALID'],
      [8, '排口类型', 'STORE_E_INVALID'],
      [12, '执行标准', 'STORE_E_REFERENCE'],
      [14, 'MN', 'STORE_E_INVALID'],
      [17, '监测因子', 'STORE_E_DUPLICATE'],
      [20, '企业名称', 'STORE_E_INVALID'],
      [22, '量程上限', 'STORE_E_INVALID'],
      [25, '行政区划代码', 'STORE_E_REFERENCE'],
      [26, '监测因子', 'STORE_E_INVALID'],
    ]);
    const message = (row: number) => result.errors.find((e) => e.row === row)?.message;
    expect(message(3)).toContain(`gives ${usccCheckCharacter(bad.slice(0, 17))}`);
    expect(message(17)).toContain('also row 16');
    expect(message(20)).toContain('row 19');
    expect(message(26)).toContain('a21026 is a gas factor');
    expect(await registryCounts(store())).toEqual({
      enterprise: 0,
      outlet: 0,
      monitoring_point: 0,
      point_factor: 0,
    });
  });

  it('reports a missing column once, at the header', async () => {
    const result = await importRegistry(store(), parseRegistryCsv('uscc,outlet_code,factor,enterprise\n'), {
      now: NOW,
    });
    expect(result.errors).toEqual([
      { row: 1, column: 'MN', code: 'STORE_E_IMPORT', message: 'the file has no MN column' },
    ]);
  });

  it('maps HJ 212-2005 codes, reads English headers, and catches a factor given under both codes', async () => {
    const first17 = '91420684MA4B7C8D5';
    const code = first17 + usccCheckCharacter(first17);
    const head =
      'uscc,enterprise,region,industry,outlet_code,outlet_name,kind,standard,mn,password,protocol,factor,unit,range_high,day_limit,assessed';
    const base = `${code},宜城沛禾纸业有限公司,420684,C2221,DW001,废水总排口,water,GB8978-1996,42068400000001,123456,2005`;
    const csv = [
      head,
      `${base},011,,1000,100,1`,
      `${base},060,,50,15,1`,
      `${base},001,,14,,0`,
      `${base},B01,,200,,0`,
    ].join('\n');
    const ok = await importRegistry(store(), parseRegistryCsv(csv), { now: NOW });
    expect(summaryOf(ok)?.factors.created).toBe(4);
    const { points } = repositories(store());
    const factors = await points.factors((await points.byMn('42068400000001'))?.id ?? 0);
    expect(factors.map((f) => [f.factorCode, f.code2005, f.unit, f.assessed])).toEqual([
      ['w00000', 'B01', '升/秒', false],
      ['w01001', '001', '无量纲', false],
      ['w01018', '011', '毫克/升', true],
      ['w21003', '060', '毫克/升', true],
    ]);

    const twice = await importRegistry(store(), parseRegistryCsv(`${csv}\n${base},w01018,,1000,100,1`), {
      now: NOW,
    });
    expect(twice.errors).toHaveLength(1);
    expect(twice.errors[0]).toMatchObject({ row: 6, column: 'factor', code: 'STORE_E_DUPLICATE' });
    expect(twice.errors[0]?.message).toContain('011 is the HJ 212-2005 code of w01018');

    // The MN now belongs to this enterprise: another one cannot list it.
    const other = `${USCC.sewage},枣阳沛川污水处理有限公司,420683,D4620,DW001,尾水排放口,water,GB 18918-2002,42068400000001,123456,2017,w01018,,200,50,1`;
    const taken = await importRegistry(store(), parseRegistryCsv(`${head}\n${other}`), { now: NOW });
    expect(taken.errors.map((e) => [e.row, e.column, e.code])).toEqual([[2, 'mn', 'STORE_E_DUPLICATE']]);
    expect(taken.errors[0]?.message).toContain('宜城沛禾纸业有限公司');
  });
});
