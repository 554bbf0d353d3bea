import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { demoScenarios } from '../src/demo-scenarios.js';
import { type DeviceSpec, syntheticDevices } from '../src/index.js';
import { validateScenario } from '../src/scenarios.js';

const HOUR = 3_600_000;
const START = Date.parse('2026-03-02T08:00:00+08:00');

describe('the demo showcase (demoScenarios)', () => {
  it('gives each scenario its own logger of the right kind, valid for the library, in the fleet’s time', () => {
    const devices = syntheticDevices(40, 3);
    const showcase = demoScenarios(devices, START);
    expect(showcase.map((s) => s.spec.scenario)).toEqual([
      'exceedance',
      'exceedance',
      'constant-value',
      'dilution',
      'offline',
      'clock-drift',
      'parameter-tampering',
    ]);
    expect(new Set(showcase.map((s) => s.spec.device)).size).toBe(showcase.length);
    for (const { spec, device, shows } of showcase) {
      expect(spec.device).toBe(device.mn);
      expect(shows.length).toBeGreaterThan(10);
      // The library accepts it as a scenario file entry would be accepted.
      expect(validateScenario({ ...spec, options: { ...spec.options } })).toEqual(spec);
    }
    const kinds = new Map(devices.map((d) => [d.mn, d.kind]));
    const of = (scenario: string) => showcase.filter((s) => s.spec.scenario === scenario);
    expect(of('exceedance').map((s) => kinds.get(s.spec.device))).toEqual(['water', 'gas']);
    expect(of('dilution').map((s) => kinds.get(s.spec.device))).toEqual(['gas']);
    // The offline hour starts a quarter of an hour after the start; the others shape the backlog too.
    expect(of('offline')[0]?.spec).toMatchObject({ from: START + HOUR / 4, to: START + 1.25 * HOUR });
    expect(of('exceedance')[0]?.spec.from).toBeUndefined();
    // The factor only: the device's own limits (from the registry) are what it goes over.
    expect(of('exceedance').map((s) => s.spec.options)).toEqual([
      { factors: 'w01018' },
      { factors: 'a21026' },
    ]);
  });

  it('changes a factor the logger reports, and skips what a fleet of one kind cannot show', () => {
    const water = (mn: string, factors: string[]): DeviceSpec => ({
      mn,
      password: '123456',
      protocol: '2017',
      crc: ['hj212'],
      kind: 'water',
      enterprise: 'E',
      outlet: 'DW001',
      factors,
    });
    const showcase = demoScenarios([water('W1', ['w00000', 'w01001', 'w21003']), water('W2', [])], START);
    expect(showcase.map((s) => [s.spec.scenario, s.spec.device, s.spec.options?.factors])).toEqual([
      // No COD reported: its first concentration (not the flow w00000).
      ['exceedance', 'W1', 'w01001'],
      ['constant-value', 'W2', 'w21003'],
    ]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 1000 }), (n, seed) => {
        const devices = syntheticDevices(n, seed);
        const showcase = demoScenarios(devices, START);
        const mns = showcase.map((s) => s.spec.device);
        expect(new Set(mns).size).toBe(mns.length);
        expect(showcase.length).toBeLessThanOrEqual(Math.min(7, n));
        for (const mn of mns) expect(devices.some((d) => d.mn === mn)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
