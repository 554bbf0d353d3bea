import { type Store, usccCheckCharacter } from '@qingyuan/store';

const PW = '123456';

/** `count` registered, running data loggers (MN BENCH…, PW 123456) under one enterprise and outlet. */
export async function seedDevices(store: Store, count: number): Promise<{ mn: string; pw: string }[]> {
  const now = Date.now();
  const first17 = '91420100BENCH0001';
  const enterprise = await store.db
    .insertInto('enterprise')
    .values({
      uscc: first17 + usccCheckCharacter(first17),
      name: '基准企业',
      region_code: '420100',
      status: 'active',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const outlet = await store.db
    .insertInto('outlet')
    .values({ enterprise_id: enterprise.id, kind: 'gas', code: 'DA001', name: '排口', status: 'active' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const devices = Array.from({ length: count }, (_, i) => ({
    mn: `BENCH${String(i).padStart(19, '0')}`,
    pw: PW,
  }));
  for (let from = 0; from < count; from += 1000)
    await store.db
      .insertInto('monitoring_point')
      .values(
        devices.slice(from, from + 1000).map((d, i) => ({
          outlet_id: outlet.id,
          name: `点位 ${from + i}`,
          mn: d.mn,
          password: d.pw,
          protocol_version: '2017',
          crc_variants: 'hj212',
          realtime_interval_s: 30,
          minute_interval_min: 10,
          status: 'running',
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
  return devices;
}
