import { parseArgs } from 'node:util';
import {
  type ChangeCounts,
  importRegistry,
  type RegistrySheet,
  readRegistryFile,
  redact,
} from '@qingyuan/store';
import { QyError } from '../errors.js';
import type { CliIo } from './io.js';
import { REGISTRY_USAGE } from './registry-usage.js';
import { DB_OPTION, databaseUrl, withStore } from './store-option.js';

const usage = (reason: string) => new QyError('QY_E_CLI_USAGE', { reason, usage: REGISTRY_USAGE });

/**
 * `qingyuan registry import <file> [--dry-run] [--db URL]`: checks every row of the file and, when none
 * has a problem, imports it in one transaction (`importRegistry`). Problems are printed one per line
 * (`row 7, 统一社会信用代码: STORE_E_USCC_INVALID …`) and the exit code is 1 with nothing imported.
 */
export async function registryCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'import') throw usage(`unknown registry command "${sub ?? ''}"`);
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(rest);
  } catch (error) {
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      throw usage(error.message);
    }
    throw error;
  }
  const { values, positionals } = parsed;
  const [file, ...extra] = positionals;
  if (file === undefined) throw usage('registry import needs the file to import (.csv or .xlsx)');
  if (extra.length > 0) throw usage('registry import takes one file');
  let sheet: RegistrySheet;
  try {
    sheet = await readRegistryFile(file);
  } catch (cause) {
    throw new QyError('QY_E_CLI_INPUT', { path: file, reason: (cause as Error).message }, { cause });
  }
  const dryRun = values['dry-run'] === true;
  const url = databaseUrl(values.db);
  return withStore(url, async (store) => {
    const result = await importRegistry(store, sheet, { now: Date.now(), dryRun });
    if (!result.ok) {
      for (const e of result.errors) {
        io.stderr.write(
          `row ${e.row}${e.column.length > 0 ? `, ${e.column}` : ''}: ${e.code} ${e.message}\n`,
        );
      }
      const n = result.errors.length;
      io.stderr.write(`${file}: ${n} ${n === 1 ? 'problem' : 'problems'}; nothing was imported\n`);
      return 1;
    }
    const summary = result.summary;
    if (summary === undefined) return 0;
    const counts = (c: ChangeCounts) =>
      `${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`;
    const out = (line: string) => io.stdout.write(`${line}\n`);
    out(
      dryRun
        ? `${file}: dry run against ${redact(url)}, nothing was written; ${summary.rows} rows would give`
        : `${file}: imported ${summary.rows} rows into ${redact(url)}`,
    );
    out(`  enterprises  ${counts(summary.enterprises)}`);
    out(`  outlets      ${counts(summary.outlets)}`);
    out(`  points       ${counts(summary.points)}`);
    out(`  factors      ${counts(summary.factors)}`);
    if (sheet.ignoredHeaders.length > 0) out(`  ignored columns: ${sheet.ignoredHeaders.join(', ')}`);
    return 0;
  });
}

function parseOptions(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: { ...DB_OPTION, 'dry-run': { type: 'boolean' } },
  });
}
