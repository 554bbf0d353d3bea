import { describe, expect, it } from 'vitest';
import {
  clockDrift,
  createModel,
  type DeviceModel,
  frameBehaviour,
  isOffline,
  parseScenario,
  parseScenarioFile,
  periodRecord,
  realtimeRecord,
  SCENARIO_NAMES,
  SCENARIOS,
  type ScenarioSpec,
  SimulatorError,
  scenarioTransform,
  wrongPassword,
} from '../src/index.js';

const HOUR = 3_600_000;
const START = Date.parse('2026-03-02T08:00:00+08:00');
const water = createModel({ mn: 'W1', kind: 'water', factors: [] }, 11);
const gas = createModel({ mn: 'G1', kind: 'gas', factors: [], referenceO2: 6 }, 11);

const spec = (scenario: ScenarioSpec['scenario'], options?: ScenarioSpec['options']): ScenarioSpec => ({
  scenario,
  device: '*',
  from: START,
  to: START + 2 * HOUR,
  ...(options === undefined ? {} : { options }),
});

/** The hour record inside the window with the scenario, and the same hour without. */
function hour(model: DeviceModel, s: ScenarioSpec, at = START) {
  const transform = scenarioTransform([s]);
  const withScenario = periodRecord(model, 'hour', at, at + HOUR, transform);
  const without = periodRecord(model, 'hour', at, at + HOUR);
  const value = (record: typeof withScenario, code: string) => record?.factors.find((f) => f.code === code);
  return {
    with: (code: string) => value(withScenario, code),
    without: (code: string) => value(without, code),
  };
}

const codeOf = (error: unknown) => (error instanceof SimulatorError ? error.code : String(error));
const parseError = (text: string) => {
  try {
    parseScenario(text, START);
  } catch (error) {
    return codeOf(error);
  }
  return 'no error';
};

describe('scenario library', () => {
  it('documents every scenario in one line', () => {
    for (const name of SCENARIO_NAMES) {
      expect(SCENARIOS[name].description.length).toBeGreaterThan(10);
      expect(SCENARIOS[name].description).not.toContain('\n');
    }
  });

  it('exceedance: concentrations above the typical limit, only inside the window', () => {
    const h = hour(water, spec('exceedance'));
    expect(h.with('w01018')?.min).toBeGreaterThan(100);
    expect(h.with('w21003')?.min).toBeGreaterThan(15);
    expect(h.without('w01018')?.max).toBeLessThan(100);
    expect(h.with('w00000')).toEqual(h.without('w00000')); // flow untouched
    const after = hour(water, spec('exceedance'), START + 2 * HOUR);
    expect(after.with('w01018')).toEqual(after.without('w01018'));
    // Over a point's own limit when given one (a steel works' SO2 at 550 mg/m³, far above the typical).
    const own = hour(gas, spec('exceedance', { factors: 'a21026', limit: 550 }));
    expect(own.with('a21026')?.min).toBeGreaterThan(550);
    expect(hour(gas, spec('exceedance', { factors: 'a21026' })).with('a21026')?.max).toBeLessThan(550);
    // A device that carries its point's limits (the registry's) stays under them and goes over them.
    const strict = createModel({ mn: 'W1', kind: 'water', factors: [], limits: { w01018: 50 } }, 11);
    const steel = createModel(
      { mn: 'G1', kind: 'gas', factors: [], referenceO2: 6, limits: { a21026: 550 } },
      11,
    );
    expect(hour(strict, spec('exceedance')).with('w01018')?.min).toBeGreaterThan(50);
    expect(hour(strict, spec('exceedance')).without('w01018')?.max).toBeLessThan(0.9 * 50);
    expect(hour(steel, spec('exceedance', { factors: 'a21026' })).with('a21026')?.min).toBeGreaterThan(550);
  });

  it('constant, zeros, negative, sudden change', () => {
    const constant = hour(water, spec('constant-value'));
    expect(constant.with('w01018')?.min).toBe(constant.with('w01018')?.max);
    expect(hour(water, spec('constant-value', { value: 42 })).with('w21001')?.avg).toBe(42);
    expect(hour(water, spec('zero-value')).with('w01018')?.max).toBe(0);
    expect(hour(water, spec('negative-value')).with('w01018')?.max).toBeLessThan(0);
    const sudden = hour(gas, spec('sudden-change', { factor: 5, factors: 'a21026' }));
    expect(sudden.with('a21026')?.avg).toBeCloseTo((sudden.without('a21026')?.avg as number) * 5, 6);
    expect(sudden.with('a21002')).toEqual(sudden.without('a21002'));
  });

  it('over-range: above the instrument range with flag T', () => {
    const h = hour(water, spec('over-range', { factors: 'w01018' }));
    expect(h.with('w01018')?.min).toBeGreaterThan(500);
    expect(h.with('w01018')?.flag).toBe('T');
    expect(h.with('w21003')?.flag).toBe('N');
  });

  it('flow/concentration mismatch: flow 0 (Cou 0) with concentrations, or the reverse', () => {
    const noFlow = hour(water, spec('flow-mismatch'));
    expect(noFlow.with('w00000')?.max).toBe(0);
    expect(noFlow.with('w01018')?.avg).toBeGreaterThan(0);
    expect(noFlow.with('w01018')?.cou).toBe(0);
    const noConcentration = hour(gas, spec('flow-mismatch', { mode: 'no-concentration' }));
    expect(noConcentration.with('a21026')?.max).toBe(0);
    expect(noConcentration.with('a00000')?.avg).toBeGreaterThan(0);
  });

  it('O₂ dilution: O₂ near 20 %, measured concentrations fall, Zs stays', () => {
    const h = hour(gas, spec('dilution'));
    expect(h.with('a19001')?.avg).toBeGreaterThan(19.5);
    expect(h.with('a21026')?.avg).toBeLessThan((h.without('a21026')?.avg as number) / 5);
    const rtd = realtimeRecord(gas, START + 60_000, scenarioTransform([spec('dilution')]));
    const plain = realtimeRecord(gas, START + 60_000);
    const zs = (r: typeof rtd) => r.factors.find((f) => f.code === 'a21026')?.zsRtd as number;
    expect(zs(rtd)).toBeCloseTo(zs(plain), 6);
  });

  it('parameter-tampering: value × slope + intercept', () => {
    const h = hour(water, spec('parameter-tampering', { slope: 0.5, intercept: 1 }));
    expect(h.with('w01018')?.avg).toBeCloseTo((h.without('w01018')?.avg as number) * 0.5 + 1, 6);
  });

  it('maintenance / calibration / fault: flags M / C / D', () => {
    expect(hour(water, spec('maintenance')).with('w01018')?.flag).toBe('M');
    expect(hour(gas, spec('calibration')).with('a21002')?.flag).toBe('C');
    expect(hour(gas, spec('fault')).with('a00000')?.flag).toBe('D');
  });

  it('frame scenarios: password, CRC, dialect, sub-packets, garbage, loss — only in the window', () => {
    const all = [
      spec('wrong-password'),
      spec('modbus-crc', { variant: 'modbus-swapped' }),
      spec('dialect-2005', { bare: 1 }),
      spec('split', { size: 300 }),
      spec('garbage', { p: 0.5 }),
      spec('packet-loss'),
    ];
    expect(frameBehaviour(all, START + 1, '123456')).toEqual({
      password: '123457',
      crcVariant: 'modbus-swapped',
      dialect: '2005',
      bare: true,
      maxDataLength: 300,
      garbageProbability: 0.5,
      lossProbability: 0.3,
    });
    expect(frameBehaviour(all, START + 2 * HOUR, '123456')).toEqual({});
    expect(wrongPassword('abc9')).toBe('abc0');
  });

  it('offline and clock drift', () => {
    expect(isOffline([spec('offline')], START)).toBe(true);
    expect(isOffline([spec('offline')], START - 1)).toBe(false);
    const drift = [spec('clock-drift', { rate: 60 })];
    expect(clockDrift(drift, START + HOUR)).toBe(60_000);
    expect(clockDrift(drift, START + 5 * HOUR)).toBe(120_000); // kept after the window
    expect(clockDrift(drift, START - HOUR)).toBe(0);
  });
});

describe('scenario syntax', () => {
  it('parses name[:mn][@from..to][?options], ISO or relative times', () => {
    expect(parseScenario('garbage', START)).toEqual({ scenario: 'garbage', device: '*' });
    expect(
      parseScenario(
        'exceedance:MN01@2026-03-02T09:00:00+08:00..2026-03-02T10:00:00+08:00?factors=w01018&ratio=2',
        START,
      ),
    ).toEqual({
      scenario: 'exceedance',
      device: 'MN01',
      from: Date.parse('2026-03-02T01:00:00Z'),
      to: Date.parse('2026-03-02T02:00:00Z'),
      options: { factors: 'w01018', ratio: 2 },
    });
    expect(parseScenario('offline@+2h..', START)).toEqual({
      scenario: 'offline',
      device: '*',
      from: START + 2 * HOUR,
    });
    expect(parseScenario('offline:*@..+30m', START)).toEqual({
      scenario: 'offline',
      device: '*',
      to: START + 1_800_000,
    });
  });

  it('rejects bad scenarios with SIMULATOR_E_SCENARIO', () => {
    for (const bad of [
      'flood',
      'offline@+2h',
      'offline@+2h..+1h',
      'exceedance?ratio=high',
      'garbage?p=2',
      'zero-value?speed=1',
      'offline@yesterday..',
      'garbage?p',
    ]) {
      expect(parseError(bad), bad).toBe('SIMULATOR_E_SCENARIO');
    }
  });

  it('reads a JSON scenario file', () => {
    const specs = parseScenarioFile(
      JSON.stringify([
        { scenario: 'offline', device: 'MN1', from: '+1h', to: '+2h' },
        { scenario: 'exceedance', options: { ratio: 3 } },
      ]),
      START,
    );
    expect(specs).toEqual([
      { scenario: 'offline', device: 'MN1', from: START + HOUR, to: START + 2 * HOUR },
      { scenario: 'exceedance', device: '*', options: { ratio: 3 } },
    ]);
    expect(() => parseScenarioFile('{', START)).toThrowError(/SIMULATOR_E_SCENARIO/);
    expect(() => parseScenarioFile('[{"device":"x"}]', START)).toThrowError(/SIMULATOR_E_SCENARIO/);
  });
});
