import { parseArgs } from 'node:util';
import {
  DEFAULT_RULES,
  daysInMonth,
  meetsTransmissionTarget,
  type TransmissionCounts,
  transmissionRates,
  ZERO_COUNTS,
} from '@qingyuan/domain';
import { csvField, JudgementRepository, regionSubtree } from '@qingyuan/store';
import { QyError } from '../errors.js';
import { ANALYSIS_USAGE } from './analysis-usage.js';
import type { CliIo } from './io.js';
import { DB_OPTION, databaseUrl, withStore } from './store-option.js';

const usage = (reason: string) => new QyError('QY_E_CLI_USAGE', { reason, usage: ANALYSIS_USAGE });

/** `qingyuan report transmission --month YYYY-MM …`: monthly rates from the daily counts. */
export async function reportCommand(args: string[], io: CliIo): Promise<number> {
  const [what, ...rest] = args;
  if (what !== 'transmission') throw usage(`unknown report "${what ?? ''}" (there is: transmission)`);
  let values: { month?: string; region?: string; by?: string; view?: string; format?: string; db?: string };
  try {
    values = parseArgs({
      args: rest,
      options: {
        ...DB_OPTION,
        month: { type: 'string' },
        region: { type: 'string' },
        by: { type: 'string' },
        view: { type: 'string' },
        format: { type: 'string' },
      },
    }).values;
  } catch (error) {
    throw usage((error as Error).message);
  }
  const month = /^(\d{4})-(\d{2})$/.exec(values.month ?? '');
  if (month === null) throw usage('--month must be YYYY-MM, e.g. 2026-10');
  const [year, mm] = [Number(month[1]), Number(month[2])];
  if (mm < 1 || mm > 12) throw usage('--month must be YYYY-MM, e.g. 2026-10');
  const by = values.by ?? 'enterprise';
  if (by !== 'point' && by !== 'enterprise' && by !== 'region')
    throw usage('--by must be point, enterprise or region');
  const view = values.view ?? 'amended';
  if (view !== 'first' && view !== 'amended') throw usage('--view must be first or amended');
  const format = values.format ?? 'csv';
  if (format !== 'csv' && format !== 'json') throw usage('--format must be csv or json');
  const fromDay = `${values.month}-01`;
  const toDay = `${values.month}-${String(daysInMonth(year, mm)).padStart(2, '0')}`;
  return withStore(databaseUrl(values.db), async (store) => {
    const regions =
      values.region === undefined
        ? undefined
        : (await regionSubtree(store.db, values.region).execute()).map((r) => r.code);
    if (regions !== undefined && regions.length === 0)
      throw new QyError('QY_E_CLI_INPUT', { reason: `no region with code ${values.region}` });
    const groups = await new JudgementRepository(store).transmissionTotals({
      fromDay,
      toDay,
      view,
      groupBy: by,
      ...(regions === undefined ? {} : { regions }),
    });
    const rows = groups.map((g) => {
      const counts: TransmissionCounts = {
        ...ZERO_COUNTS,
        expectedCount: g.expected,
        receivedCount: g.received,
        validCount: g.valid,
        excludedCount: g.excluded,
      };
      const rates = transmissionRates(counts);
      return {
        [by]: g.key,
        expected: g.expected,
        received: g.received,
        valid: g.valid,
        transmissionRate: rates.transmissionRate,
        validityRate: rates.validityRate,
        effectiveTransmissionRate: rates.effectiveTransmissionRate,
        meetsTarget: meetsTransmissionTarget(rates, DEFAULT_RULES),
      };
    });
    if (format === 'json') {
      for (const row of rows) io.stdout.write(`${JSON.stringify(row)}\n`);
      return 0;
    }
    const header = [
      by,
      'expected',
      'received',
      'valid',
      'transmission_rate',
      'validity_rate',
      'effective_transmission_rate',
      'meets_target',
    ];
    io.stdout.write(`${header.join(',')}\n`);
    const pct = (r: number | null) => (r === null ? '' : r.toFixed(4));
    for (const r of rows)
      io.stdout.write(
        `${[
          csvField(String(r[by])),
          r.expected,
          r.received,
          r.valid,
          pct(r.transmissionRate),
          pct(r.validityRate),
          pct(r.effectiveTransmissionRate),
          r.meetsTarget === null ? '' : String(r.meetsTarget),
        ].join(',')}\n`,
      );
    return 0;
  });
}
