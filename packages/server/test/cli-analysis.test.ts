import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beijingInstant } from '@qingyuan/domain';
import { ObservationRepository, openStore } from '@qingyuan/store';
import { afterAll, describe, expect, it } from 'vitest';
import { insertFactors, insertPoint } from '../../store/test/fixtures.js';
import { cli, jsonLines } from './cli-io.js';

const H = 3_600_000;

describe('qingyuan analyse and report transmission', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qy-cli-analysis-'));
  const url = `sqlite:${join(dir, 'qingyuan.db')}`;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('re-judges stored hours and reports the month as sums of daily counts', async () => {
    const store = await openStore(url);
    const { pointId, mn } = await insertPoint(store, { kind: 'water' });
    await insertFactors(store, pointId, [{ code: 'w01018', hourLimit: 50, dayLimit: 50 }]);
    // November 2026 (720 hours): days 1–10 complete (24 h each, hour 3 of every day flagged D), nothing else.
    const rows = [];
    for (let d = 1; d <= 10; d++)
      for (let h = 0; h < 24; h++)
        rows.push({
          pointId,
          factorCode: 'w01018',
          periodStart: beijingInstant(2026, 11, d, h),
          values: { avg: 30 },
          dataFlag: h === 3 ? 'D' : 'N',
          source: 'das' as const,
          receivedAt: beijingInstant(2026, 11, d, h) + H,
        });
    // Flow: 36 m³ every hour (w00000 Cou).
    const flows = rows.map((r) => ({
      ...r,
      factorCode: 'w00000',
      values: { avg: 10, cou: 36 },
      dataFlag: 'N',
    }));
    await new ObservationRepository(store).write('hour', [...rows, ...flows]);
    await store.close();

    const analysed = await cli([
      'analyse',
      '--from',
      '2026-11-01T00:00+08:00',
      '--to',
      '2026-12-01T00:00+08:00',
      '--mn',
      mn,
      '--db',
      url,
    ]);
    expect(analysed.stderr).toBe('');
    expect(analysed.stdout).toMatch(/analysed 30 point-days \(1 points\)/);

    const report = await cli([
      'report',
      'transmission',
      '--month',
      '2026-11',
      '--by',
      'point',
      '--format',
      'json',
      '--now',
      '2026-12-01T00:00+08:00',
      '--db',
      url,
    ]);
    expect(report.stderr).toBe('');
    const [row] = jsonLines(report.stdout);
    expect(row).toMatchObject({
      point: String(pointId),
      expected: 720,
      received: 240,
      valid: 230,
      meetsTarget: false,
    });
    expect(row?.effectiveTransmissionRate).toBeCloseTo(230 / 720, 10);
    expect(row?.validityRate).toBeCloseTo(230 / 240, 10);

    const csv = await cli([
      'report',
      'transmission',
      '--month',
      '2026-11',
      '--region',
      '420000',
      '--by',
      'region',
      '--now',
      '2026-12-05T00:00+08:00',
      '--db',
      url,
    ]);
    expect(csv.stdout.split('\n')[0]).toBe(
      'region,expected,received,valid,transmission_rate,validity_rate,effective_transmission_rate,meets_target',
    );
    expect(csv.stdout.split('\n')[1]).toBe('420100,720,240,230,0.3333,0.9583,0.3194,false');
    // While the month runs, it is counted through yesterday: 14 days on the 15th.
    const running = await cli([
      'report',
      'transmission',
      '--month',
      '2026-11',
      '--by',
      'point',
      '--format',
      'json',
      '--now',
      '2026-11-15T10:00+08:00',
      '--db',
      url,
    ]);
    expect(jsonLines(running.stdout)[0]).toMatchObject({ expected: 14 * 24 });

    // The quarter and the year hold the same data (nothing else was sent): 2,208 and 8,760 hours expected.
    const quarter = jsonLines(
      (
        await cli([
          'report',
          'transmission',
          '--quarter',
          '2026-Q4',
          '--by',
          'point',
          '--format',
          'json',
          '--now',
          '2027-01-01T00:00+08:00',
          '--db',
          url,
        ])
      ).stdout,
    );
    expect(quarter[0]).toMatchObject({ expected: 2208, received: 240, valid: 230 });
    expect(quarter[0]?.captureRate).toBeTypeOf('number');
    const year = jsonLines(
      (
        await cli([
          'report',
          'transmission',
          '--year',
          '2026',
          '--by',
          'point',
          '--format',
          'json',
          '--now',
          '2027-01-01T00:00+08:00',
          '--db',
          url,
        ])
      ).stdout,
    );
    expect(year[0]).toMatchObject({ expected: 8760, received: 240, valid: 230 });
    const both = await cli(['report', 'transmission', '--month', '2026-11', '--year', '2026', '--db', url]);
    expect(both.stderr).toMatch(/give one of --month/);

    // 排放量: 30 mg/L × 36 m³ × 10⁻³ = 1.08 kg per valid hour; 230 valid hours, 10 invalid (D).
    const emitted = jsonLines(
      (
        await cli([
          'report',
          'emissions',
          '--month',
          '2026-11',
          '--by',
          'point',
          '--format',
          'json',
          '--db',
          url,
        ])
      ).stdout,
    );
    expect(emitted).toHaveLength(1);
    expect(emitted[0]).toMatchObject({
      point: String(pointId),
      factor: 'w01018',
      hours: 230,
      invalidHours: 10,
    });
    expect(emitted[0]?.kg).toBeCloseTo(248.4, 6);

    const bad = await cli(['report', 'transmission', '--month', '2026-13', '--db', url]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/QY_E_CLI_USAGE.*--month must be YYYY-MM/);
  }, 60_000);
});
