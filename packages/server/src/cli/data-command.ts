import { parseArgs } from 'node:util';
import {
  OBSERVATION_TABLES,
  type ObservationPeriod,
  ObservationRepository,
  VALUE_COLUMNS,
} from '@qingyuan/store';
import { QyError } from '../errors.js';
import type { CliIo } from './io.js';
import { DB_OPTION, databaseUrl, timeOption, withStore } from './store-option.js';

export const DATA_USAGE = `  qingyuan data export --mn MN --kind rtd|minute|hour|day --from ISO --to ISO [--format json|csv]
                       [--view latest|first] [--db URL]
      Print stored observations of one device (latest revision of each period, or the first receipt).`;

const KINDS: Record<string, ObservationPeriod> = {
  rtd: 'realtime',
  realtime: 'realtime',
  minute: 'minute',
  hour: 'hour',
  day: 'day',
};

/** `qingyuan data …` */
export async function dataCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'export')
    throw new QyError('QY_E_CLI_USAGE', { reason: `unknown data command "${sub ?? ''}"`, usage: DATA_USAGE });
  const { values } = parseArgs({
    args: rest,
    options: {
      ...DB_OPTION,
      mn: { type: 'string' },
      kind: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string' },
      view: { type: 'string' },
    },
  });
  const period = values.kind === undefined ? undefined : KINDS[values.kind];
  if (values.mn === undefined || period === undefined) {
    throw new QyError('QY_E_CLI_USAGE', {
      reason: '--mn and --kind (rtd, minute, hour or day) are required',
      usage: DATA_USAGE,
    });
  }
  const from = timeOption('from', values.from);
  const to = timeOption('to', values.to);
  const format = values.format ?? 'json';
  if (format !== 'json' && format !== 'csv')
    throw new QyError('QY_E_CLI_USAGE', { reason: '--format is json or csv' });
  const view = values.view ?? 'latest';
  if (view !== 'latest' && view !== 'first')
    throw new QyError('QY_E_CLI_USAGE', { reason: '--view is latest or first' });
  const mn = values.mn;
  return withStore(databaseUrl(values.db), async (store) => {
    const point = await store.db
      .selectFrom('monitoring_point')
      .select(['id'])
      .where('mn', '=', mn)
      .executeTakeFirst();
    if (point === undefined)
      throw new QyError('QY_E_CLI_INPUT', { reason: `no monitoring point has MN ${mn}` });
    const rows = await new ObservationRepository(store).range(period, Number(point.id), from, to, { view });
    const columns = [
      'factor_code',
      'period_start',
      ...VALUE_COLUMNS,
      'data_flag',
      'e_flag',
      'sample_time',
      'source',
      'received_at',
      'revision',
    ] as const;
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    if (format === 'csv') {
      io.stdout.write(`mn,${columns.join(',')}\n`);
      for (const row of rows) {
        const cells = columns.map((c) => {
          const value =
            c === 'period_start' || c === 'sample_time' || c === 'received_at'
              ? iso(row[c] as number | null)
              : row[c];
          return value === null || value === undefined ? '' : String(value);
        });
        io.stdout.write(`${mn},${cells.join(',')}\n`);
      }
    } else {
      for (const row of rows) {
        const out: Record<string, unknown> = { mn, table: OBSERVATION_TABLES[period] };
        for (const c of columns)
          out[c] =
            c === 'period_start' || c === 'sample_time' || c === 'received_at'
              ? iso(row[c] as number | null)
              : row[c];
        io.stdout.write(`${JSON.stringify(out)}\n`);
      }
    }
    return 0;
  });
}
