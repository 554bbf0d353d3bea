import { readFile } from 'node:fs/promises';
import { type CrcVariant, isCrcVariant, isProtocolVersion, type ProtocolVersion } from '@qingyuan/hj212';
import { csvRecords, exportDevices, type Store } from '@qingyuan/store';
import { SimulatorError } from './errors.js';
import type { DeviceKind } from './model.js';
import { hashInts } from './random.js';

/** One data logger to simulate, as a device list row gives it. */
export interface DeviceSpec {
  readonly mn: string;
  readonly password: string;
  readonly protocol: ProtocolVersion;
  /** CRC variants the registry accepts for the device; the simulator signs with the first. */
  readonly crc: readonly CrcVariant[];
  readonly kind: DeviceKind;
  readonly enterprise: string;
  readonly outlet: string;
  /** HJ 212-2017 factor codes; empty = the kind's defaults. */
  readonly factors: readonly string[];
  /** Optional columns: reference O₂ (%), RtdInterval (s), MinInterval (min). */
  readonly referenceO2?: number;
  readonly rtdInterval?: number;
  readonly minInterval?: number;
  /**
   * Optional column `limits` (`w01018=50;w21003=5`): the point's own emission limits (hourly, else daily)
   * by factor code. Normal data stays under them (`profileUnderLimit`); `exceedance` goes over them.
   */
  readonly limits?: Readonly<Record<string, number>>;
}

const REQUIRED = ['mn', 'password', 'protocol', 'crc', 'kind'] as const;
const OPTIONAL = [
  'enterprise',
  'outlet',
  'factors',
  'o2ref',
  'rtd_interval',
  'min_interval',
  'limits',
] as const;

/** HJ 212 header values must not contain separators (表 3); MN/PW are at most 24/6 characters in 2017. */
const SAFE_VALUE = /^[^;,=&\s]+$/;

/**
 * Parses a device list: CSV with the header `mn,password,protocol,crc,kind,enterprise,outlet,factors` as
 * written by `qingyuan db seed --demo --export-devices` (crc and factors `;`-separated), optionally with
 * `o2ref`, `rtd_interval`, `min_interval` and `limits` columns. Column order is free; unknown columns are ignored.
 * Throws SimulatorError with SIMULATOR_E_DEVICES_* codes naming the row (1-based, header = 1) and column.
 */
export function parseDevicesCsv(text: string): DeviceSpec[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const { records, unterminated } = csvRecords(body);
  if (unterminated !== undefined) {
    throw new SimulatorError('SIMULATOR_E_DEVICES_ROW', { row: unterminated, reason: 'unclosed quote' });
  }
  const rows = records.filter((cells) => cells.some((cell) => cell.trim().length > 0));
  const header = (rows[0] ?? []).map((cell) => cell.trim().toLowerCase());
  const missing = REQUIRED.filter((name) => !header.includes(name));
  if (rows.length === 0 || missing.length > 0) {
    throw new SimulatorError('SIMULATOR_E_DEVICES_HEADER', {
      missing: rows.length === 0 ? REQUIRED : missing,
    });
  }
  const column = Object.fromEntries(
    [...REQUIRED, ...OPTIONAL].map((name) => [name, header.indexOf(name)] as const),
  ) as Record<(typeof REQUIRED)[number] | (typeof OPTIONAL)[number], number>;
  const devices: DeviceSpec[] = [];
  const seen = new Map<string, number>();
  records.forEach((cells, index) => {
    if (index === 0 || !cells.some((cell) => cell.trim().length > 0)) return;
    const row = index + 1;
    const cell = (name: keyof typeof column): string => {
      const at = column[name];
      return at < 0 ? '' : (cells[at] ?? '').trim();
    };
    const fail = (name: string, value: string, reason: string): never => {
      throw new SimulatorError('SIMULATOR_E_DEVICES_ROW', { row, column: name, value, reason });
    };
    const mn = cell('mn');
    if (!SAFE_VALUE.test(mn) || mn.length > 24) fail('mn', mn, 'an MN of 1–24 characters without separators');
    const previous = seen.get(mn);
    if (previous !== undefined) {
      throw new SimulatorError('SIMULATOR_E_DEVICES_DUPLICATE', { mn, rows: [previous, row] });
    }
    seen.set(mn, row);
    const password = cell('password');
    if (!SAFE_VALUE.test(password) || password.length > 6)
      fail('password', password, 'a password of 1–6 characters without separators');
    const protocol = cell('protocol');
    if (!isProtocolVersion(protocol)) fail('protocol', protocol, 'one of 2005, 2017, 2025');
    const crcText = cell('crc');
    const crc = crcText.length === 0 ? ['hj212'] : crcText.split(/[;|]/).map((part) => part.trim());
    for (const variant of crc) {
      if (!isCrcVariant(variant))
        fail('crc', crcText, 'CRC variants hj212, modbus, modbus-swapped (";"-separated)');
    }
    const kind = cell('kind');
    if (kind !== 'water' && kind !== 'gas') fail('kind', kind, 'water or gas');
    const factorsText = cell('factors');
    const factors = factorsText.length === 0 ? [] : factorsText.split(/[;|]/).map((part) => part.trim());
    for (const code of factors) {
      if (!/^[A-Za-z0-9]{2,8}$/.test(code))
        fail('factors', factorsText, 'HJ 212 factor codes, ";"-separated');
    }
    const number = (name: 'o2ref' | 'rtd_interval' | 'min_interval', min: number, max: number) => {
      const text = cell(name);
      if (text.length === 0) return undefined;
      const value = Number(text);
      if (!Number.isFinite(value) || value < min || value > max)
        fail(name, text, `a number from ${min} to ${max}`);
      return value;
    };
    const referenceO2 = number('o2ref', 0, 20);
    const rtdInterval = number('rtd_interval', 30, 3600);
    const minInterval = number('min_interval', 1, 30);
    if (minInterval !== undefined && 60 % minInterval !== 0) {
      fail(
        'min_interval',
        String(minInterval),
        'a divisor of 60 (HJ 212-2017 表 C.10: 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30)',
      );
    }
    const limitsText = cell('limits');
    const limits: Record<string, number> = {};
    for (const part of limitsText.length === 0 ? [] : limitsText.split(/[;|]/)) {
      const [code = '', value = '', extra] = part.split('=').map((piece) => piece.trim());
      const limit = Number(value);
      if (!/^[A-Za-z0-9]{2,8}$/.test(code) || extra !== undefined || !(Number.isFinite(limit) && limit > 0))
        fail(
          'limits',
          limitsText,
          'factor=limit pairs with positive limits, ";"-separated (w01018=50;w21003=5)',
        );
      limits[code] = limit;
    }
    devices.push({
      mn,
      password,
      protocol: protocol as ProtocolVersion,
      crc: crc as CrcVariant[],
      kind: kind as DeviceKind,
      enterprise: cell('enterprise'),
      outlet: cell('outlet'),
      factors,
      ...(referenceO2 === undefined ? {} : { referenceO2 }),
      ...(rtdInterval === undefined ? {} : { rtdInterval }),
      ...(minInterval === undefined ? {} : { minInterval }),
      ...(Object.keys(limits).length === 0 ? {} : { limits }),
    });
  });
  if (devices.length === 0) throw new SimulatorError('SIMULATOR_E_DEVICES_EMPTY');
  return devices;
}

/** Reads and parses a device list file. */
export async function loadDevicesFile(path: string): Promise<DeviceSpec[]> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(path));
  } catch (cause) {
    throw new SimulatorError(
      'SIMULATOR_E_DEVICES_READ',
      { path, reason: (cause as Error).message },
      { cause },
    );
  }
  return parseDevicesCsv(text);
}

/**
 * The devices of a registry: opens the store at `url` (`sqlite:<path>` or `postgres://…`), reads its
 * monitoring points as the device list (`registryDevices`) and closes it.
 */
export async function loadDevicesFromRegistry(url: string): Promise<DeviceSpec[]> {
  const { openStore } = await import('@qingyuan/store');
  try {
    const store = await openStore(url);
    try {
      return await registryDevices(store);
    } finally {
      await store.close();
    }
  } catch (cause) {
    if (cause instanceof SimulatorError) throw cause;
    throw new SimulatorError('SIMULATOR_E_REGISTRY', { reason: (cause as Error).message }, { cause });
  }
}

/**
 * Every monitoring point of a registry as a device to simulate: the rows of `exportDevices` (the same as
 * `db seed --export-devices`), each with its outlet's reference O₂ (the outlet's, else its standard's) and
 * its factors' limits (the lower of the hourly and daily one), so that each simulated analyser corrects
 * to its own outlet and its normal data stays under its own point's limits.
 */
export async function registryDevices(store: Store): Promise<DeviceSpec[]> {
  const o2 = await store.db
    .selectFrom('monitoring_point as p')
    .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
    .leftJoin('emission_standard as s', 's.id', 'o.standard_id')
    .select(['p.mn', 'o.reference_o2 as outletO2', 's.reference_o2 as standardO2'])
    .execute();
  const referenceO2 = new Map(o2.map((r) => [r.mn, r.outletO2 ?? r.standardO2 ?? null]));
  const limitRows = await store.db
    .selectFrom('monitoring_point as p')
    .innerJoin('point_factor as f', 'f.point_id', 'p.id')
    .select(['p.mn', 'f.factor_code', 'f.hour_limit', 'f.day_limit'])
    .where((eb) => eb.or([eb('f.hour_limit', 'is not', null), eb('f.day_limit', 'is not', null)]))
    .execute();
  const limits = new Map<string, Record<string, number>>();
  for (const row of limitRows) {
    const values = [row.hour_limit, row.day_limit].filter((v) => v !== null).map(Number);
    const lowest = Math.min(...values.filter((v) => Number.isFinite(v) && v > 0));
    if (!Number.isFinite(lowest)) continue;
    const of = limits.get(row.mn) ?? {};
    of[row.factor_code] = lowest;
    limits.set(row.mn, of);
  }
  return parseDevicesCsv(await exportDevices(store)).map((device) => {
    const ref = referenceO2.get(device.mn);
    const own = limits.get(device.mn);
    return {
      ...device,
      ...(ref === null || ref === undefined ? {} : { referenceO2: Number(ref) }),
      ...(own === undefined ? {} : { limits: own }),
    };
  });
}

/**
 * A made-up fleet for load tests without a registry: alternating water and gas devices of protocol 2017,
 * MNs `SIM` + 21 hex digits, passwords from the seed.
 */
export function syntheticDevices(count: number, seed = 1): DeviceSpec[] {
  if (!Number.isInteger(count) || count < 1 || count > 100_000) {
    throw new SimulatorError('SIMULATOR_E_OPTION', { option: 'count', value: count, reason: '1–100000' });
  }
  return Array.from({ length: count }, (_, i): DeviceSpec => {
    const mn =
      `SIM${hashInts(seed, 0x3d).toString(16).padStart(8, '0')}${i.toString(16).padStart(13, '0')}`.toUpperCase();
    return {
      mn,
      password: String(100000 + (hashInts(seed, i) % 900000)),
      protocol: '2017',
      crc: ['hj212'],
      kind: i % 2 === 0 ? 'water' : 'gas',
      enterprise: `Simulated enterprise ${i + 1}`,
      outlet: i % 2 === 0 ? 'DW001' : 'DA001',
      factors: [],
    };
  });
}
