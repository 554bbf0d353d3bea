import { parseArgs } from 'node:util';
import { DEFAULT_RULES, type Interval } from '@qingyuan/domain';
import { csvField, regionSubtree } from '@qingyuan/store';
import {
  elapsedInterval,
  emissionReport,
  reportInterval,
  reportSubjects,
  transmissionReport,
} from '../analysis/report-rows.js';
import { QyError } from '../errors.js';
import { ANALYSIS_USAGE } from './analysis-usage.js';
import type { CliIo } from './io.js';
import { DB_OPTION, databaseUrl, timeOption, withStore } from './store-option.js';

const usage = (reason: string) => new QyError('QY_E_CLI_USAGE', { reason, usage: ANALYSIS_USAGE });

/** The Beijing period of --month YYYY-MM, --quarter YYYY-Qn or --year YYYY (exactly one). */
function reportPeriod(values: { month?: string; quarter?: string; year?: string }): Interval {
  const given = [values.month, values.quarter, values.year].filter((v) => v !== undefined);
  if (given.length !== 1) throw usage('give one of --month YYYY-MM, --quarter YYYY-Qn, --year YYYY');
  if (values.month !== undefined)
    return reportInterval('month', values.month) ?? fail('--month must be YYYY-MM, e.g. 2026-10');
  if (values.quarter !== undefined)
    return reportInterval('quarter', values.quarter) ?? fail('--quarter must be YYYY-Qn, e.g. 2026-Q4');
  return reportInterval('year', values.year ?? '') ?? fail('--year must be YYYY, e.g. 2026');
}

const fail = (reason: string): never => {
  throw usage(reason);
};

/**
 * `qingyuan report transmission|emissions --month|--quarter|--year …`: rates counted from the hourly data,
 * or emitted kg summed from the hourly emissions.
 */
export async function reportCommand(args: string[], io: CliIo): Promise<number> {
  const [what, ...rest] = args;
  if (what !== 'transmission' && what !== 'emissions')
    throw usage(`unknown report "${what ?? ''}" (there are: transmission, emissions)`);
  let values: {
    month?: string;
    quarter?: string;
    year?: string;
    region?: string;
    by?: string;
    view?: string;
    format?: string;
    now?: string;
    db?: string;
  };
  try {
    values = parseArgs({
      args: rest,
      options: {
        ...DB_OPTION,
        month: { type: 'string' },
        quarter: { type: 'string' },
        year: { type: 'string' },
        region: { type: 'string' },
        by: { type: 'string' },
        view: { type: 'string' },
        format: { type: 'string' },
        now: { type: 'string' },
      },
    }).values;
  } catch (error) {
    throw usage((error as Error).message);
  }
  const interval = reportPeriod(values);
  const now = values.now === undefined ? Date.now() : timeOption('now', values.now);
  const by = values.by ?? 'enterprise';
  if (by !== 'point' && by !== 'enterprise' && by !== 'region')
    throw usage('--by must be point, enterprise or region');
  const view = values.view ?? 'amended';
  if (view !== 'first' && view !== 'amended') throw usage('--view must be first or amended');
  const format = values.format ?? 'csv';
  if (format !== 'csv' && format !== 'json') throw usage('--format must be csv or json');
  return withStore(databaseUrl(values.db), async (store) => {
    const regions =
      values.region === undefined
        ? undefined
        : (await regionSubtree(store.db, values.region).execute()).map((r) => r.code);
    if (regions !== undefined && regions.length === 0)
      throw new QyError('QY_E_CLI_INPUT', { reason: `no region with code ${values.region}` });
    const subjects = await reportSubjects(store, by, regions === undefined ? {} : { regionCodes: regions });
    if (what === 'emissions') {
      const rows = await emissionReport(store, { interval, by, subjects });
      if (format === 'json')
        for (const { subject, ...row } of rows)
          io.stdout.write(`${JSON.stringify({ [by]: subject.key, ...row })}\n`);
      else {
        io.stdout.write(`${by},factor,kg,hours,invalid_hours\n`);
        for (const r of rows)
          io.stdout.write(
            `${[csvField(r.subject.key), r.factor, r.kg, r.hours, r.invalidHours].join(',')}\n`,
          );
      }
      return 0;
    }
    // A period still running is counted through yesterday (no 应传 for hours not yet come).
    const counted = elapsedInterval(interval, now);
    const report = await transmissionReport(store, {
      interval: counted,
      view,
      rules: DEFAULT_RULES,
      subjects,
    });
    const rows = report.map((r) => ({
      [by]: r.subject.key,
      expected: r.expected,
      received: r.received,
      valid: r.valid,
      transmissionRate: r.transmissionRate,
      validityRate: r.validityRate,
      effectiveTransmissionRate: r.effectiveTransmissionRate,
      meetsTarget: r.meetsTarget,
      captureRate: r.captureRate,
    }));
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
