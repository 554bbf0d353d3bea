import { writeWorksheet } from '@qingyuan/store';
import type { FastifyReply } from 'fastify';
import type { ExportTable } from './route.js';

/** A CSV field (RFC 4180); a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value !== 'number') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(table: ExportTable): string {
  const lines = [table.columns.map((c) => csvCell(c.header)).join(',')];
  for (const row of table.rows) lines.push(table.columns.map((c) => csvCell(row[c.key])).join(','));
  // A BOM so that Excel opens UTF-8 Chinese text correctly.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The table as a one-sheet workbook (written on a worker thread: exceljs stays out of this process's isolate). */
export function toXlsx(table: ExportTable): Promise<Buffer> {
  return writeWorksheet({
    name: 'data',
    columns: table.columns.map((c) => ({
      key: c.key,
      header: c.header,
      width: Math.max(10, c.header.length + 4),
    })),
    rows: table.rows.map((row) => {
      const values: Record<string, unknown> = {};
      for (const c of table.columns) {
        const v = row[c.key];
        values[c.key] = v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v;
      }
      return values;
    }),
  });
}

/** Sends a query's result as a CSV or XLSX attachment. */
export async function sendExport(
  reply: FastifyReply,
  table: ExportTable,
  format: 'csv' | 'xlsx',
): Promise<FastifyReply> {
  const name = encodeURIComponent(`${table.filename}.${format}`);
  reply.header('content-disposition', `attachment; filename*=UTF-8''${name}`);
  if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(toCsv(table));
  return reply
    .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .send(await toXlsx(table));
}

/**
 * A table of `rows` with one column per field (in first-seen order; objects as JSON): the export of a list
 * whose rows are already flat views.
 */
export function tableOf(filename: string, rows: readonly object[]): ExportTable {
  const keys: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!keys.includes(key)) keys.push(key);
  return {
    filename,
    columns: keys.map((key) => ({ key, header: key })),
    rows: rows as readonly Record<string, unknown>[],
  };
}
