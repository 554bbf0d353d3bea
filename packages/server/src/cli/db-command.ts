import { parseArgs } from 'node:util';
import { analyze, migrate, RetentionRepository, redact } from '@qingyuan/store';
import { QyError } from '../errors.js';
import type { CliIo } from './io.js';
import { DB_OPTION, databaseUrl, timeOption, withStore } from './store-option.js';

export const DB_USAGE = `  qingyuan db migrate [--db URL]
      Create or upgrade the database schema (also done on every start).
  qingyuan db seed --demo [--export-devices devices.csv] [--seed N] [--force] [--db URL]
      Fill the database with a believable Hubei registry (~200 key polluting units); --export-devices
      writes mn,password,protocol,crc,kind,enterprise,outlet,factors for simulators.
  qingyuan db maintain [--now ISO] [--db URL]
      Enforce the retention policies (real-time 30 days, minute data and raw frames ~3 years…) and
      refresh the planner statistics; run it daily.`;

/** `qingyuan db …` */
export async function dbCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'migrate': {
      const { values } = parseArgs({ args: rest, options: DB_OPTION });
      const url = databaseUrl(values.db);
      // openStore already migrates; a second run reports that nothing was pending.
      const applied = await withStore(url, async (store) => migrate(store));
      io.stdout.write(
        `${redact(url)}: schema up to date${applied.length > 0 ? ` (applied ${applied.join(', ')})` : ''}\n`,
      );
      return 0;
    }
    case 'maintain': {
      const { values } = parseArgs({ args: rest, options: { ...DB_OPTION, now: { type: 'string' } } });
      const now = values.now === undefined ? Date.now() : timeOption('now', values.now);
      const deleted = await withStore(databaseUrl(values.db), async (store) => {
        const removed = await new RetentionRepository(store).enforce(now);
        await analyze(store);
        return removed;
      });
      const parts = Object.entries(deleted).map(([table, rows]) => `${table} ${rows}`);
      io.stdout.write(
        `retention enforced: ${parts.length > 0 ? parts.join(', ') : 'nothing to delete'}; statistics refreshed\n`,
      );
      return 0;
    }
    case 'seed': {
      const { seedCommand } = await import('./seed-command.js');
      return seedCommand(rest, io);
    }
    default:
      throw new QyError('QY_E_CLI_USAGE', { reason: `unknown db command "${sub ?? ''}"`, usage: DB_USAGE });
  }
}
