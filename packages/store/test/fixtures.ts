import BetterSqlite3 from 'better-sqlite3';
import { frameIndexFile } from '../src/frame-index-file.js';
import { type Store, usccCheckCharacter } from '../src/index.js';

let serial = 0;

/** A valid USCC for tests (9 = 工商, 1 = 企业, region 420100, a serial organisation code). */
export function testUscc(n: number): string {
  const first17 = `91420100${String(n).padStart(8, '0')}X`.slice(0, 17);
  return first17 + usccCheckCharacter(first17);
}

/** Inserts an enterprise, an outlet and a monitoring point directly; returns their ids. */
export async function insertPoint(
  store: Store,
  options: { mn?: string; kind?: 'water' | 'gas' } = {},
): Promise<{ enterpriseId: number; outletId: number; pointId: number; mn: string }> {
  serial++;
  const now = Date.UTC(2026, 0, 1);
  const db = store.db;
  const enterprise = await db
    .insertInto('enterprise')
    .values({
      uscc: testUscc(serial * 7919 + Math.floor(Math.random() * 1000)),
      name: `测试企业 ${serial}`,
      region_code: '420100',
      industry_code: null,
      address: null,
      longitude: null,
      latitude: null,
      contact_name: null,
      contact_phone: null,
      status: 'active',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const outlet = await db
    .insertInto('outlet')
    .values({
      enterprise_id: Number(enterprise.id),
      kind: options.kind ?? 'gas',
      code: `DA00${serial}`,
      name: `排口 ${serial}`,
      longitude: null,
      latitude: null,
      standard_id: null,
      reference_o2: null,
      stack_height_m: null,
      key_unit_category: null,
      status: 'active',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const mn = options.mn ?? `TESTMN${String(serial).padStart(6, '0')}${Math.floor(Math.random() * 1e6)}`;
  const point = await db
    .insertInto('monitoring_point')
    .values({
      outlet_id: Number(outlet.id),
      name: `监测点 ${serial}`,
      mn,
      password: '123456',
      protocol_version: '2017',
      crc_variants: 'hj212',
      realtime_interval_s: 30,
      minute_interval_min: 10,
      in_service_on: null,
      accepted_on: null,
      filed_on: null,
      status: 'running',
      allowed_peers: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { enterpriseId: Number(enterprise.id), outletId: Number(outlet.id), pointId: Number(point.id), mn };
}

/**
 * Registers factors on a point (point_factor): each code with an optional hourly limit and whether it is
 * assessed (考核因子, default yes).
 */
export async function insertFactors(
  store: Store,
  pointId: number,
  factors: readonly {
    code: string;
    hourLimit?: number | null;
    dayLimit?: number | null;
    assessed?: boolean;
  }[],
): Promise<void> {
  await store.db
    .insertInto('point_factor')
    .values(
      factors.map((f) => ({
        point_id: pointId,
        factor_code: f.code,
        code_2005: null,
        unit: f.code.startsWith('w') ? 'mg/L' : 'mg/m3',
        range_low: null,
        range_high: null,
        hour_limit: f.hourLimit ?? null,
        day_limit: f.dayLimit ?? null,
        assessed: f.assessed === false ? 0 : 1,
        alarm_low: null,
        alarm_high: null,
      })),
    )
    .execute();
}

/**
 * One index kept in a SQLite database's index file (frame-index-file.ts), read on a connection of its own:
 * the mark named `state` and how many entries `table` holds.
 */
export function indexFileRows(file: string, state: string, table: string): { mark: number; entries: number } {
  const db = new BetterSqlite3(frameIndexFile(file), { readonly: true });
  try {
    const mark = db.prepare('SELECT through_id FROM frame_index_state WHERE name = ?').get(state) as
      | { through_id: number }
      | undefined;
    const { n } = db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number };
    return { mark: Number(mark?.through_id ?? 0), entries: n };
  } finally {
    db.close();
  }
}
