import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseRegistryXlsx, readFirstWorksheet, writeWorksheet } from '../src/index.js';

describe('XLSX workbooks on a worker thread', () => {
  it('a written sheet reads back: header row, then every value with its type', async () => {
    const day = new Date(Date.UTC(2026, 10, 30));
    const bytes = await writeWorksheet({
      name: '数据',
      columns: [
        { key: 'mn', header: '设备编号', width: 26 },
        { key: 'value', header: '浓度', width: 10 },
        { key: 'day', header: '日期', width: 12 },
        { key: 'ok', header: 'ok', width: 10 },
      ],
      rows: [
        { mn: '88888880000001', value: 12.5, day, ok: true },
        { mn: '湖北-2', value: null, day: null, ok: false },
      ],
    });
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    // What exceljs itself (here, in the test's isolate) reads of it …
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    expect(sheet.name).toBe('数据');
    expect(sheet.getRow(1).font?.bold).toBe(true);
    // … and what the worker reads back.
    const read = await readFirstWorksheet(bytes);
    expect(read).toEqual({
      kind: 'sheet',
      rows: [
        ['设备编号', '浓度', '日期', 'ok'],
        ['88888880000001', 12.5, day, true],
        ['湖北-2', null, null, false],
      ],
    });
  });

  it('rich text, formulas and hyperlinks come back as plain values the registry import reads as text', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('s');
    sheet.addRow(['mn', 'enterprise', 'factor', 'hour_limit']);
    sheet.addRow([
      { text: '88888880000001', hyperlink: 'https://example.org' },
      { richText: [{ text: '某' }, { font: { bold: true }, text: '热电厂' }] },
      'w01018',
      { formula: '2*50', result: 100 },
    ]);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const read = await readFirstWorksheet(bytes);
    expect(read.kind).toBe('sheet');
    const parsed = await parseRegistryXlsx(bytes);
    expect(parsed.rows[0]?.cells).toMatchObject({
      mn: '88888880000001',
      enterprise: '某热电厂',
      factor: 'w01018',
      hour_limit: '100',
    });
  });

  it('bytes that are not a workbook are reported, not thrown', async () => {
    const read = await readFirstWorksheet(new TextEncoder().encode('mn,enterprise\n1,2\n'));
    expect(read.kind).toBe('unreadable');
    const parsed = await parseRegistryXlsx(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]));
    expect(parsed.rows).toEqual([]);
    expect(parsed.problems).toEqual([
      expect.objectContaining({
        code: 'STORE_E_IMPORT',
        message: expect.stringMatching(/not a readable XLSX/),
      }),
    ]);
  });
});
