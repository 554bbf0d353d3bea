import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beijingInstant, DAY_MS, DEFAULT_RULES, transmissionRates } from '@qingyuan/domain';
import { analyseDay, loadPointContext, totalCounts, transmissionCounts } from '@qingyuan/server';
import { analyze, openStore, usccCheckCharacter } from '@qingyuan/store';

/**
 * bench/analysis — the monthly transmission-rate report for 5 000 points × 8 factors from a month of hourly
 * data on SQLite (our report: flag counts per point-day by SQL, marks re-counted by the domain rules, rates
 * from summed counts), against a plain GROUP BY count of the same rows in the same run. Goal (issue 5):
 * ≤ 2× the reference. Also: rule evaluation on arrival (analyseDay), in observations judged per second.
 *
 *   npm run bench:analysis              # 5 000 points × 8 factors × November (28.8 M hourly rows)
 *   npm run bench:analysis -- --quick   # 500 points
 */
const quick = process.argv.includes('--quick');
const POINTS = quick ? 500 : 5000;
const FACTORS = ['w01018', 'w21003', 'w21011', 'w21001', 'w01001', 'w00000', 'a21026', 'a21002'];
const FROM = beijingInstant(2026, 11, 1);
const HOURS = 30 * 24;
const FLAGS = [
  'N',
  'N',
  'N',
  'N',
  'N',
  'N',
  'N',
  'N',
  'N',
  'N',
  'N',
  'N',
  'N',
  'N',
  'N',
  'N',
  'N',
  'M',
  'D',
  'F',
];

const dir = mkdtempSync(join(tmpdir(), 'qy-bench-analysis-'));
try {
  const store = await openStore(`sqlite:${join(dir, 'bench.db')}`);
  const sqlite = store.sqlite;
  if (sqlite === undefined) throw new Error('SQLite expected');
  const now = Date.now();
  const uscc = '91420100BENCH0002';
  sqlite
    .prepare(
      `insert into enterprise (uscc, name, region_code, status, created_at, updated_at) values (?, '基准企业', '420100', 'active', ?, ?)`,
    )
    .run(uscc + usccCheckCharacter(uscc), now, now);
  sqlite
    .prepare(
      `insert into outlet (enterprise_id, kind, code, name, status) values (1, 'water', 'DW001', '排口', 'active')`,
    )
    .run();
  const point = sqlite.prepare(
    `insert into monitoring_point (outlet_id, name, mn, password, protocol_version, crc_variants, realtime_interval_s, minute_interval_min, status, created_at, updated_at) values (1, ?, ?, '123456', '2017', 'hj212', 30, 10, 'running', ?, ?)`,
  );
  const factor = sqlite.prepare(
    `insert into point_factor (point_id, factor_code, unit, assessed) values (?, ?, 'mg/L', 1)`,
  );
  const hour = sqlite.prepare(
    `insert into obs_hour (point_id, factor_code, period_start, revision, avg, data_flag, source, received_at) values (?, ?, ?, 0, ?, ?, 'das', ?)`,
  );
  const t0 = performance.now();
  let rows = 0;
  for (let p = 1; p <= POINTS; p++) {
    sqlite.transaction(() => {
      point.run(`点位 ${p}`, `BENCH${String(p).padStart(19, '0')}`, now, now);
      for (const f of FACTORS) factor.run(p, f);
      for (let h = 0; h < HOURS; h++) {
        const missing = (p * 7 + h * 13) % 50 === 0;
        if (missing) continue;
        for (let i = 0; i < FACTORS.length; i++) {
          const flag = FLAGS[(p + h * 3 + i) % FLAGS.length] as string;
          hour.run(
            p,
            FACTORS[i],
            FROM + h * 3_600_000,
            10 + ((p + h + i) % 50),
            flag,
            FROM + (h + 1) * 3_600_000,
          );
          rows += 1;
        }
      }
    })();
  }
  await analyze(store);
  const loadSeconds = (performance.now() - t0) / 1000;
  console.log(
    `# bench/analysis — node ${process.version}, ${cpus()[0]?.model ?? 'CPU'} ×${cpus().length}; ${POINTS} points × ${FACTORS.length} factors × ${HOURS} hours = ${rows.toLocaleString('en')} hourly rows (loaded in ${loadSeconds.toFixed(0)} s)\n`,
  );

  const interval = { from: FROM, to: FROM + 30 * DAY_MS };
  const reference = async () => {
    const result = sqlite
      .prepare(
        'select point_id, factor_code, count(*) as n from obs_hour where period_start >= ? and period_start < ? and superseded_at is null group by point_id, factor_code',
      )
      .all(interval.from, interval.to);
    return result.length;
  };
  const ours = async () => {
    const counts = await transmissionCounts(store, { interval, view: 'amended', rules: DEFAULT_RULES });
    return transmissionRates(totalCounts(counts)).effectiveTransmissionRate;
  };
  const times: { ref: number[]; ours: number[] } = { ref: [], ours: [] };
  let rate: number | null = null;
  for (let round = 0; round < (quick ? 5 : 3); round++) {
    let t = performance.now();
    await reference();
    times.ref.push(performance.now() - t);
    t = performance.now();
    rate = await ours();
    times.ours.push(performance.now() - t);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const ratio = median(times.ours) / median(times.ref);

  // Rule evaluation on arrival: analyseDay over point-days (judgements, counts, alarms), observations/s.
  const sample = quick ? 50 : 200;
  const t1 = performance.now();
  let judged = 0;
  for (let p = 1; p <= sample; p++) {
    const context = await loadPointContext(store, p);
    if (context === undefined) continue;
    const result = await analyseDay(store, context, { from: FROM, to: FROM + DAY_MS }, DEFAULT_RULES, now);
    judged += result.judgements / 2; // both views judge the same records
  }
  const perSecond = judged / ((performance.now() - t1) / 1000);
  await store.close();

  console.log('| measure | value | goal | |');
  console.log('|---|---:|---|---|');
  console.log(`| plain GROUP BY count (ms, median) | ${median(times.ref).toFixed(0)} | reference | |`);
  console.log(`| monthly transmission report (ms, median) | ${median(times.ours).toFixed(0)} | | |`);
  console.log(`| report / GROUP BY | **${ratio.toFixed(2)}×** | ≤ 2× | ${ratio <= 2 ? 'met' : 'NOT met'} |`);
  console.log(
    `| effective transmission rate of the month (all points) | ${((rate ?? 0) * 100).toFixed(2)} % | | |`,
  );
  console.log(
    `| rule evaluation on arrival (analyseDay, ${sample} point-days) | ${perSecond.toFixed(0)} observations/s | | |`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
