import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type ExcelJS from 'exceljs';
import type { StoreCode } from '../errors.js';
import { readFirstWorksheet } from '../xlsx.js';

/**
 * Reading a registry spreadsheet (CSV or XLSX) into rows of named cells. Provinces keep their registers
 * one row per monitored factor, with Chinese or English headers, sometimes under a title row, often with
 * merged cells for the enterprise and outlet columns (XLSX merged cells read as the master cell's value).
 */

/** The columns the import understands. */
export const REGISTRY_COLUMNS = [
  'uscc',
  'enterprise',
  'region',
  'industry',
  'address',
  'longitude',
  'latitude',
  'contact_name',
  'contact_phone',
  'outlet_code',
  'outlet_name',
  'kind',
  'standard',
  'reference_o2',
  'stack_height',
  'point_name',
  'mn',
  'password',
  'protocol',
  'factor',
  'unit',
  'range_low',
  'range_high',
  'hour_limit',
  'day_limit',
  'assessed',
] as const;
export type RegistryColumn = (typeof REGISTRY_COLUMNS)[number];

/** The Chinese header of each column (used in messages when the file lacks the column) and its aliases. */
export const REGISTRY_HEADERS: Readonly<
  Record<RegistryColumn, { readonly label: string; readonly aliases: readonly string[] }>
> = {
  uscc: { label: '统一社会信用代码', aliases: ['社会信用代码', '信用代码', 'uscc', 'credit_code'] },
  enterprise: {
    label: '企业名称',
    aliases: ['单位名称', '排污单位名称', 'enterprise', 'enterprise_name', 'company'],
  },
  region: { label: '行政区划代码', aliases: ['区划代码', '行政区划', 'region', 'region_code'] },
  industry: { label: '行业代码', aliases: ['行业类别代码', '行业类别', 'industry', 'industry_code'] },
  address: { label: '地址', aliases: ['企业地址', '生产经营场所地址', 'address'] },
  longitude: { label: '经度', aliases: ['longitude', 'lon', 'lng'] },
  latitude: { label: '纬度', aliases: ['latitude', 'lat'] },
  contact_name: { label: '联系人', aliases: ['环保联系人', 'contact', 'contact_name'] },
  contact_phone: { label: '联系电话', aliases: ['联系方式', 'phone', 'contact_phone'] },
  outlet_code: { label: '排口编号', aliases: ['排放口编号', '排污口编号', 'outlet_code'] },
  outlet_name: { label: '排口名称', aliases: ['排放口名称', '排污口名称', 'outlet_name', 'outlet'] },
  kind: { label: '排口类型', aliases: ['排放口类型', '排口类别', 'kind', 'outlet_kind'] },
  standard: { label: '执行标准', aliases: ['排放标准', '执行排放标准', 'standard'] },
  reference_o2: { label: '基准氧含量', aliases: ['reference_o2', 'o2_reference'] },
  stack_height: { label: '排气筒高度', aliases: ['stack_height', 'stack_height_m'] },
  point_name: { label: '点位名称', aliases: ['监测点位名称', '监测点名称', 'point_name', 'point'] },
  mn: { label: 'MN', aliases: ['mn', '设备唯一标识', '数采仪mn', 'mn号'] },
  password: { label: '访问密码', aliases: ['密码', 'password', 'pw'] },
  protocol: {
    label: '协议版本',
    aliases: ['通讯协议', '传输协议', '标准版本', 'protocol', 'protocol_version'],
  },
  factor: { label: '监测因子', aliases: ['监测因子编码', '因子编码', '污染物编码', 'factor', 'factor_code'] },
  unit: { label: '单位', aliases: ['计量单位', 'unit'] },
  range_low: { label: '量程下限', aliases: ['range_low'] },
  range_high: { label: '量程上限', aliases: ['range_high'] },
  hour_limit: { label: '小时限值', aliases: ['小时浓度限值', 'hour_limit'] },
  day_limit: { label: '日限值', aliases: ['日均限值', '日均值限值', 'day_limit'] },
  assessed: { label: '考核因子', aliases: ['是否考核', '是否考核因子', 'assessed'] },
};

/** A problem with one cell, row or column of the file (rows are 1-based spreadsheet rows, header included). */
export interface ImportProblem {
  readonly row: number;
  /** The column's header as written in the file (its Chinese header when the file lacks it), or ''. */
  readonly column: string;
  readonly code: StoreCode;
  readonly message: string;
}

export interface RegistryRow {
  /** 1-based spreadsheet row (the header row counts). */
  readonly row: number;
  /** Trimmed cell text per recognised column; blank cells are absent. */
  readonly cells: Readonly<Partial<Record<RegistryColumn, string>>>;
}

export interface RegistrySheet {
  /** The 1-based row the headers were found in (0 when none was). */
  readonly headerRow: number;
  /** Each recognised column's header as written in the file. */
  readonly headers: Readonly<Partial<Record<RegistryColumn, string>>>;
  /** Headers that are not registry columns (e.g. 序号, 备注): ignored. */
  readonly ignoredHeaders: readonly string[];
  /** The non-blank rows below the header. */
  readonly rows: readonly RegistryRow[];
  /** What could not be read (encoding, quoting, headers); the import reports these first. */
  readonly problems: readonly ImportProblem[];
}

/** Header text → comparable key: NFKC (full-width forms), without bracketed notes, spaces, `*`, `_`, `-`. */
function headerKey(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】/g, '')
    .replace(/[\s_\-*:：]/g, '')
    .toLowerCase();
}

const HEADER_LOOKUP = new Map<string, RegistryColumn>();
for (const column of REGISTRY_COLUMNS) {
  const { label, aliases } = REGISTRY_HEADERS[column];
  for (const alias of [label, ...aliases]) HEADER_LOOKUP.set(headerKey(alias), column);
}

/** The registry column a header names, if any. */
export function registryColumn(header: string): RegistryColumn | undefined {
  return HEADER_LOOKUP.get(headerKey(header));
}

/** How far down a title block the header row is looked for. */
const HEADER_SEARCH_ROWS = 10;

/** Builds the sheet from a table of cell texts with their spreadsheet row numbers. */
export function registrySheet(
  table: readonly { row: number; cells: readonly string[] }[],
  problems: ImportProblem[] = [],
): RegistrySheet {
  const header = table.slice(0, HEADER_SEARCH_ROWS).find((r) => {
    const found = new Set(r.cells.map(registryColumn).filter((c) => c !== undefined));
    return found.size >= 3 && (found.has('uscc') || found.has('mn') || found.has('factor'));
  });
  if (header === undefined) {
    problems.push({
      row: 1,
      column: '',
      code: 'STORE_E_IMPORT',
      message: `no header row found in the first ${HEADER_SEARCH_ROWS} rows (expected headers such as 统一社会信用代码, MN, 监测因子)`,
    });
    return { headerRow: 0, headers: {}, ignoredHeaders: [], rows: [], problems };
  }
  const headers: Partial<Record<RegistryColumn, string>> = {};
  const positions: { index: number; column: RegistryColumn }[] = [];
  const ignoredHeaders: string[] = [];
  header.cells.forEach((text, index) => {
    const label = text.trim();
    if (label.length === 0) return;
    const column = registryColumn(label);
    if (column === undefined) {
      ignoredHeaders.push(label);
      return;
    }
    const earlier = headers[column];
    if (earlier !== undefined) {
      problems.push({
        row: header.row,
        column: label,
        code: 'STORE_E_IMPORT',
        message: `the column "${label}" repeats "${earlier}" (both are ${REGISTRY_HEADERS[column].label})`,
      });
      return;
    }
    headers[column] = label;
    positions.push({ index, column });
  });
  const rows: RegistryRow[] = [];
  for (const r of table) {
    if (r.row <= header.row) continue;
    const cells: Partial<Record<RegistryColumn, string>> = {};
    for (const { index, column } of positions) {
      const text = (r.cells[index] ?? '').trim();
      if (text.length > 0) cells[column] = text;
    }
    if (Object.keys(cells).length > 0) rows.push({ row: r.row, cells });
  }
  return { headerRow: header.row, headers, ignoredHeaders, rows, problems };
}

/** Parses an RFC 4180 CSV file (UTF-8, with or without a BOM; CR LF or LF). */
export function parseRegistryCsv(input: string | Uint8Array): RegistrySheet {
  const problems: ImportProblem[] = [];
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      problems.push({
        row: 1,
        column: '',
        code: 'STORE_E_IMPORT',
        message: 'the file is not UTF-8 text; save it as "CSV UTF-8" (GB18030/GBK files are not read)',
      });
      return { headerRow: 0, headers: {}, ignoredHeaders: [], rows: [], problems };
    }
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const { records, unterminated } = csvRecords(text);
  if (unterminated !== undefined) {
    problems.push({
      row: unterminated,
      column: '',
      code: 'STORE_E_IMPORT',
      message: 'a quoted field is not closed (a " is missing); the rest of the file could not be read',
    });
  }
  return registrySheet(
    records.map((cells, i) => ({ row: i + 1, cells })),
    problems,
  );
}

/** RFC 4180 records; `unterminated` is the record number where an unclosed quote began. */
export function csvRecords(text: string): { records: string[][]; unterminated: number | undefined } {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  let i = 0;
  const endRecord = () => {
    record.push(field);
    records.push(record);
    record = [];
    field = '';
    fieldStarted = false;
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && !fieldStarted && field.length === 0) {
      quoted = true;
      fieldStarted = true;
      i++;
    } else if (c === ',') {
      record.push(field);
      field = '';
      fieldStarted = false;
      i++;
    } else if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      fieldStarted = true;
      i++;
    }
  }
  if (quoted) return { records, unterminated: records.length + 1 };
  if (field.length > 0 || record.length > 0 || fieldStarted) endRecord();
  return { records, unterminated: undefined };
}

/** Parses the first worksheet of an XLSX workbook (read on a worker thread: xlsx.ts). */
export async function parseRegistryXlsx(input: Uint8Array): Promise<RegistrySheet> {
  const read = await readFirstWorksheet(input);
  if (read.kind !== 'sheet') {
    const message =
      read.kind === 'unreadable'
        ? `the file is not a readable XLSX workbook (${read.message})`
        : 'the workbook has no worksheet';
    return {
      headerRow: 0,
      headers: {},
      ignoredHeaders: [],
      rows: [],
      problems: [{ row: 1, column: '', code: 'STORE_E_IMPORT', message }],
    };
  }
  return registrySheet(read.rows.map((cells, i) => ({ row: i + 1, cells: cells.map(cellText) })));
}

/** The text of an exceljs cell value (numbers as JavaScript prints them; dates as YYYY-MM-DD). */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    return result === undefined || result === null || typeof result === 'object' ? '' : String(result);
  }
  if ('text' in value && typeof value.text === 'string') return value.text;
  if ('error' in value) return String(value.error);
  return '';
}

/** Reads a `.csv` or `.xlsx` registry file. */
export async function readRegistryFile(path: string): Promise<RegistrySheet> {
  const bytes = await readFile(path);
  const extension = extname(path).toLowerCase();
  if (extension === '.xlsx') return parseRegistryXlsx(bytes);
  if (extension === '.csv' || extension === '.txt') return parseRegistryCsv(bytes);
  return {
    headerRow: 0,
    headers: {},
    ignoredHeaders: [],
    rows: [],
    problems: [
      {
        row: 1,
        column: '',
        code: 'STORE_E_IMPORT',
        message: `unsupported file type "${extension}": give a .csv (UTF-8) or .xlsx file`,
      },
    ],
  };
}
