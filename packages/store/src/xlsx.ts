import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type ExcelJS from 'exceljs';

/**
 * XLSX workbooks, read and written by exceljs on a worker thread of their own (one per workbook), never on
 * the thread that calls. Loading exceljs turns off one of V8's fast paths for the whole isolate, for good
 * (its `TypedArraySpeciesProtector`, through traverse → `typedarray.prototype.slice`): afterwards every
 * `subarray`, `slice` or `map` of a Buffer looks up a species constructor first. The platform runs the
 * gateway in the same process as the API, and the gateway cuts, hashes and answers every frame with such
 * calls — 5 % of its main thread (docs/benchmarks.md, bench/gateway, "Fourteenth look"). A worker has an
 * isolate of its own, so a registry import or an XLSX export costs the gateway nothing after it. Starting
 * the worker and loading exceljs into it takes a few hundred milliseconds per workbook: these are a
 * person's imports and downloads, not a hot path.
 */

/** The first worksheet of a workbook, cell values row by row (row 1 first, columns 1 … the sheet's width). */
export type WorksheetRead =
  | { readonly kind: 'sheet'; readonly rows: ExcelJS.CellValue[][] }
  | { readonly kind: 'no-sheet' }
  | { readonly kind: 'unreadable'; readonly message: string };

/** A one-sheet workbook to write: a header row (bold), then one row per record, values by column key. */
export interface WorksheetSpec {
  readonly name: string;
  readonly columns: readonly { readonly key: string; readonly header: string; readonly width: number }[];
  /** Values: strings, numbers, booleans, Dates, null (objects must be turned into text before). */
  readonly rows: readonly Readonly<Record<string, unknown>>[];
}

/** Reads the first worksheet of an XLSX workbook. */
export async function readFirstWorksheet(bytes: Uint8Array): Promise<WorksheetRead> {
  return (await runInWorker({ op: 'read', bytes })) as WorksheetRead;
}

/** Writes a one-sheet XLSX workbook. */
export async function writeWorksheet(spec: WorksheetSpec): Promise<Buffer> {
  const bytes = (await runInWorker({ op: 'write', spec })) as Uint8Array;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

type Job =
  | { readonly op: 'read'; readonly bytes: Uint8Array }
  | { readonly op: 'write'; readonly spec: WorksheetSpec };

function runInWorker(job: Job): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { exceljs: createRequire(import.meta.url).resolve('exceljs'), job },
    });
    let settled = false;
    worker.once('message', (answer: { result?: unknown; error?: string }) => {
      settled = true;
      if (answer.error !== undefined) reject(new Error(`the XLSX worker failed: ${answer.error}`));
      else resolve(answer.result);
    });
    worker.once('error', (error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (settled) return;
      settled = true;
      reject(new Error(`the XLSX worker stopped (exit code ${code}) before it answered`));
    });
  });
}

/**
 * The worker (CommonJS, evaluated): does one job and posts `{ result }` or `{ error }`. Cell values cross
 * back as copies: Dates stay Dates, exceljs's value objects (rich text, formulas, hyperlinks, errors) become
 * plain objects with the same fields.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ExcelJS = require(workerData.exceljs);

function plain(value) {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || value instanceof Date) return value;
  return JSON.parse(JSON.stringify(value));
}

async function read(bytes) {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (cause) {
    return { kind: 'unreadable', message: String((cause && cause.message) || cause) };
  }
  const sheet = workbook.worksheets[0];
  if (sheet === undefined) return { kind: 'no-sheet' };
  const width = sheet.columnCount;
  const rows = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells = [];
    for (let c = 1; c <= width; c++) cells.push(plain(row.getCell(c).value));
    rows.push(cells);
  }
  return { kind: 'sheet', rows };
}

async function write(spec) {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(spec.name);
  sheet.columns = spec.columns.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  for (const row of spec.rows) sheet.addRow(row);
  sheet.getRow(1).font = { bold: true };
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

const job = workerData.job;
(job.op === 'read' ? read(job.bytes) : write(job.spec)).then(
  (result) => parentPort.postMessage({ result }, result instanceof Uint8Array ? [result.buffer] : []),
  (error) => parentPort.postMessage({ error: String((error && error.stack) || error) }),
);
`;
