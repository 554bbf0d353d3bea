import { parseArgs } from 'node:util';
import {
  beijingInstant,
  captureRate,
  DEFAULT_RULES,
  type Interval,
  meetsTransmissionTarget,
  sumCounts,
  type TransmissionCounts,
  transmissionRates,
  ZERO_COUNTS,
} from '@qingyuan/domain';
import { csvField, EmissionRepository, regionSubtree, SUBJECT_COLUMN } from '@qingyuan/store';
import { transmissionCounts } from '../analysis/transmission-report.js';
import { QyError } from '../errors.js';
import { ANALYSIS_USAGE } from './analysis-usage.js';
import type { CliIo } from './io.js';
import { DB_OPTION, databaseUrl, withStore } from './store-option.js';

const usage = (reason: string) => new QyError('QY_E_CLI_USAGE', { reason, usage: ANALYSIS_USAGE });

/** The Beijing period of --month YYYY-MM, --quarter YYYY-Qn or --year YYYY (exactly one). */
function reportPeriod(values: { month?: string; quarter?: string; year?: string }): Interval {
  const given = [values.month, values.quarter, values.year].filter((v) => v !== undefined);
  if (given.length !== 1) throw usage('give one of --month YYYY-MM, --quarter YYYY-Qn, --year YYYY');
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(values.month ?? '');
  if (month !== null) {
    const [y, m] = [Number(month[1]), Number(month[2])];
    return { from: beijingInstant(y, m), to: beijingInstant(y, m + 1) };
  }
  const quarter = /^(\d{4})-?Q([1-4])$/i.exec(values.quarter ?? '');
  if (quarter !== null) {
    const [y, q] = [Number(quarter[1]), Number(quarter[2])];
    return { from: beijingInstant(y, 3 * q - 2), to: beijingInstant(y, 3 * q + 1) };
  }
  const year = /^(\d{4})$/.exec(values.year ?? '');
  if (year !== null)
    return { from: beijingInstant(Number(year[1]), 1), to: beijingInstant(Number(year[1]) + 1, 1) };
  if (values.month !== undefined) throw usage('--month must be YYYY-MM, e.g. 2026-10');
  if (values.quarter !== undefined) throw usage('--quarter must be YYYY-Qn, e.g. 2026-Q4');
  throw usage('--year must be YYYY, e.g. 2026');
}

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
      },
    }).values;
  } catch (error) {
    throw usage((error as Error).message);
  }
  const interval = reportPeriod(values);
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
    // Which point belongs to which enterprise and region (the report's subjects).
    let scope = store.db
      .selectFrom('monitoring_point as p')
      .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
      .innerJoin('enterprise as e', 'e.id', 'o.enterprise_id')
      .select((eb) => ['p.id', eb.ref(SUBJECT_COLUMN[by]).as('subject')]);
    if (regions !== undefined) scope = scope.where('e.region_code', 'in', regions);
    const subjects = new Map((await scope.execute()).map((r) => [Number(r.id), String(r.subject)]));
    if (what === 'emissions') {
      const totals = await new EmissionRepository(store).totals({
        from: interval.from,
        to: interval.to,
        groupBy: by,
        pointIds: [...subjects.keys()],
      });
      const rows = totals.map((t) => ({
        [by]: t.key,
        factor: t.factorCode,
        kg: Math.round(t.kg * 1000) / 1000,
        hours: t.hours,
        invalidHours: t.invalidHours,
      }));
      if (format === 'json') for (const row of rows) io.stdout.write(`${JSON.stringify(row)}\n`);
      else {
        io.stdout.write(`${by},factor,kg,hours,invalid_hours\n`);
        for (const r of rows)
          io.stdout.write(
            `${[csvField(String(r[by])), r.factor, r.kg, r.hours, r.invalidHours].join(',')}\n`,
          );
      }
      return 0;
    }
    const counts = await transmissionCounts(store, {
      interval,
      view,
      rules: DEFAULT_RULES,
      pointIds: [...subjects.keys()],
    });
    // Σ numerators over Σ denominators per subject — never an average of rates.
    const totals = new Map<string, TransmissionCounts>();
    for (const [pointId, perFactor] of counts) {
      const subject = subjects.get(pointId);
      if (subject === undefined) continue;
      totals.set(subject, sumCounts([totals.get(subject) ?? ZERO_COUNTS, ...perFactor.values()]));
    }
    const rows = [...totals]
      .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
      .map(([subject, c]) => {
        const rates = transmissionRates(c);
        return {
          [by]: subject,
          expected: c.expectedCount,
          received: c.receivedCount,
          valid: c.validCount,
          transmissionRate: rates.transmissionRate,
          validityRate: rates.validityRate,
          effectiveTransmissionRate: rates.effectiveTransmissionRate,
          meetsTarget: meetsTransmissionTarget(rates, DEFAULT_RULES),
          // HJ 75-2017 有效数据捕集率 (the quarterly figure for flue-gas CEMS).
          captureRate: captureRate(c),
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
