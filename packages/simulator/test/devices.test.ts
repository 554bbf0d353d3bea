import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, seedDemo } from '@qingyuan/store';
import { afterAll, describe, expect, it } from 'vitest';
import {
  loadDevicesFile,
  loadDevicesFromRegistry,
  parseDevicesCsv,
  SimulatorError,
  syntheticDevices,
} from '../src/index.js';

const HEADER = 'mn,password,protocol,crc,kind,enterprise,outlet,factors';
const dir = mkdtempSync(join(tmpdir(), 'qy-sim-devices-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const failure = (text: string) => {
  try {
    parseDevicesCsv(text);
  } catch (error) {
    return error instanceof SimulatorError
      ? { code: error.code, detail: error.detail }
      : { code: String(error) };
  }
  return { code: 'no error' };
};

describe('devices.csv', () => {
  it('reads the exported device list (quoted names, ";" lists, optional columns)', () => {
    const devices = parseDevicesCsv(
      `\uFEFF${HEADER},o2ref,limits\n` +
        '010000A8900016F000169DC0,123456,2017,hj212;modbus,water,"武汉某某化工有限公司, 二厂",DW001,w00000;w01018;w21003,,w01018=50; w21003 = 5\n' +
        '010000A8900016F000169DC1,abcdef,2005,hj212,gas,Plant,DA001,,9,\n',
    );
    expect(devices).toEqual([
      {
        mn: '010000A8900016F000169DC0',
        password: '123456',
        protocol: '2017',
        crc: ['hj212', 'modbus'],
        kind: 'water',
        enterprise: '武汉某某化工有限公司, 二厂',
        outlet: 'DW001',
        factors: ['w00000', 'w01018', 'w21003'],
        limits: { w01018: 50, w21003: 5 },
      },
      {
        mn: '010000A8900016F000169DC1',
        password: 'abcdef',
        protocol: '2005',
        crc: ['hj212'],
        kind: 'gas',
        enterprise: 'Plant',
        outlet: 'DA001',
        factors: [],
        referenceO2: 9,
      },
    ]);
  });

  it('reports problems with stable codes, row and column', () => {
    expect(failure('mn,password,protocol\nA,1,2017\n').code).toBe('SIMULATOR_E_DEVICES_HEADER');
    expect(failure('').code).toBe('SIMULATOR_E_DEVICES_HEADER');
    expect(failure(`${HEADER}\n`).code).toBe('SIMULATOR_E_DEVICES_EMPTY');
    expect(failure(`${HEADER}\nA,123456,2019,hj212,water,,,\n`)).toMatchObject({
      code: 'SIMULATOR_E_DEVICES_ROW',
      detail: { row: 2, column: 'protocol' },
    });
    expect(failure(`${HEADER}\nA,123456,2017,crc32,water,,,\n`).detail).toMatchObject({ column: 'crc' });
    expect(failure(`${HEADER}\nA,123456,2017,hj212,air,,,\n`).detail).toMatchObject({ column: 'kind' });
    expect(failure(`${HEADER}\nA;B,123456,2017,hj212,water,,,\n`).detail).toMatchObject({ column: 'mn' });
    expect(failure(`${HEADER}\nA,1234567,2017,hj212,water,,,\n`).detail).toMatchObject({
      column: 'password',
    });
    expect(failure(`${HEADER}\nA,123456,2017,hj212,water,,,w01-018\n`).detail).toMatchObject({
      column: 'factors',
    });
    for (const limits of [
      'w01018',
      'w01018=',
      'w01018=0',
      'w01018=-5',
      'w01018=x',
      'w01018=5=6',
      '=5',
      'w01-018=5',
    ])
      expect(
        failure(`${HEADER},limits\nA,123456,2017,hj212,water,,,,${limits}\n`).detail,
        limits,
      ).toMatchObject({
        row: 2,
        column: 'limits',
      });
    expect(failure(`${HEADER}\nA,123456,2017,hj212,water,,,\nA,123456,2017,hj212,gas,,,\n`)).toMatchObject({
      code: 'SIMULATOR_E_DEVICES_DUPLICATE',
      detail: { mn: 'A', rows: [2, 3] },
    });
    expect(failure(`${HEADER}\nA,123456,2017,hj212,water,"unclosed,,\n`).code).toBe(
      'SIMULATOR_E_DEVICES_ROW',
    );
  });

  it('reads a file, and names a file it cannot read', async () => {
    const path = join(dir, 'devices.csv');
    writeFileSync(path, `${HEADER}\nA1,123456,2017,hj212,water,E,DW001,\n`);
    expect((await loadDevicesFile(path)).map((d) => d.mn)).toEqual(['A1']);
    await expect(loadDevicesFile(join(dir, 'missing.csv'))).rejects.toMatchObject({
      code: 'SIMULATOR_E_DEVICES_READ',
    });
  });

  it('reads the devices of a registry (SQLite): exportDevices’ rows with reference O₂ and limits', async () => {
    const url = `sqlite:${join(dir, 'registry.db')}`;
    const store = await openStore(url);
    try {
      await seedDemo(store, { now: Date.parse('2026-03-01T00:00:00Z'), seed: 5, enterprises: 40 });
    } finally {
      await store.close();
    }
    const devices = await loadDevicesFromRegistry(url);
    expect(devices.length).toBeGreaterThanOrEqual(40);
    expect(devices[0]).toMatchObject({ protocol: '2017', crc: ['hj212'], kind: 'water', outlet: 'DW001' });
    for (const device of devices) expect(device.factors.length).toBeGreaterThan(0);
    // Each carries its outlet's reference O₂ (gas) and its point's limits, as the registry holds them.
    const check = await openStore(url);
    try {
      const limits = await check.db
        .selectFrom('monitoring_point as p')
        .innerJoin('point_factor as f', 'f.point_id', 'p.id')
        .select(['p.mn', 'f.factor_code', 'f.hour_limit', 'f.day_limit'])
        .execute();
      let compared = 0;
      for (const row of limits) {
        const own = devices.find((d) => d.mn === row.mn)?.limits?.[row.factor_code];
        const values = [row.hour_limit, row.day_limit].filter((v) => v !== null).map(Number);
        expect(own, `${row.mn} ${row.factor_code}`).toBe(
          values.length === 0 ? undefined : Math.min(...values),
        );
        if (own !== undefined) compared++;
      }
      expect(compared).toBeGreaterThan(20);
      const o2 = await check.db
        .selectFrom('monitoring_point as p')
        .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
        .leftJoin('emission_standard as s', 's.id', 'o.standard_id')
        .select(['p.mn', 'o.reference_o2 as outlet', 's.reference_o2 as standard'])
        .execute();
      for (const row of o2) {
        const expected = row.outlet ?? row.standard;
        expect(devices.find((d) => d.mn === row.mn)?.referenceO2).toBe(
          expected === null ? undefined : Number(expected),
        );
      }
      expect(devices.filter((d) => d.kind === 'gas' && d.referenceO2 !== undefined).length).toBeGreaterThan(
        0,
      );
    } finally {
      await check.close();
    }
    await expect(loadDevicesFromRegistry('mysql://nowhere')).rejects.toMatchObject({
      code: 'SIMULATOR_E_REGISTRY',
    });
  }, 30_000);

  it('makes up a fleet with unique MNs', () => {
    const devices = syntheticDevices(1000, 3);
    expect(new Set(devices.map((d) => d.mn)).size).toBe(1000);
    expect(devices.every((d) => d.mn.length === 24 && d.password.length === 6)).toBe(true);
  });
});
