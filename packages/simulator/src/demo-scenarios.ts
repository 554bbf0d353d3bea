import type { DeviceSpec } from './devices.js';
import { DEFAULT_FACTORS } from './factors.js';
import { HOUR_MS } from './model.js';
import type { ScenarioName, ScenarioSpec } from './scenarios.js';

/** One logger of the demo fleet that misbehaves, and what a person looking at the platform should see. */
export interface DemoScenario {
  readonly spec: ScenarioSpec;
  readonly device: DeviceSpec;
  /** What the platform shows for it (English; the start command prints it). */
  readonly shows: string;
}

interface Showcase {
  readonly kind: DeviceSpec['kind'];
  readonly scenario: ScenarioName;
  /** The factor changed (when the device reports it; else its first concentration). */
  readonly factor?: string;
  /** Window relative to the simulation start (hours); none: from before the start, for good. */
  readonly window?: readonly [from: number, to: number | undefined];
  readonly options?: Readonly<Record<string, string | number>>;
  readonly shows: string;
}

/**
 * The showcase, in the order devices are taken: each entry takes the next unused device of its kind. Sample
 * scenarios without a window also shape the backlog a new demo database receives, so their alarms and
 * anomalies are on the pages at once; the offline window starts a quarter of an hour in, and its hours come
 * back by backfill (补数) once the device is online and the gap is older than the grace period.
 */
const SHOWCASE: readonly Showcase[] = [
  {
    kind: 'water',
    scenario: 'exceedance',
    factor: 'w01018',
    shows: 'COD over its limit every hour: exceedance alarms (超标)',
  },
  {
    kind: 'gas',
    scenario: 'exceedance',
    factor: 'a21026',
    shows: 'SO2 over its limit every hour: exceedance alarms (超标)',
  },
  {
    kind: 'water',
    scenario: 'constant-value',
    factor: 'w21003',
    shows: 'NH3-N frozen: a constant-value anomaly (恒值)',
  },
  {
    kind: 'gas',
    scenario: 'dilution',
    shows: 'O2 raised, concentrations lowered: a dilution anomaly (稀释)',
  },
  {
    kind: 'water',
    scenario: 'offline',
    window: [0.25, 1.25],
    shows: 'offline for an hour from a quarter of an hour after the start, then its hours backfilled (补数)',
  },
  {
    kind: 'gas',
    scenario: 'clock-drift',
    options: { rate: 180 },
    shows:
      'clock gaining 3 min an hour: clock-skew events once it is 10 min out (set by 1012 with --auto-time-sync)',
  },
  {
    kind: 'gas',
    scenario: 'parameter-tampering',
    window: [0.5, undefined],
    options: { slope: 0.6 },
    shows:
      'instrument slope set to 0.6 half an hour after the start, announced by 3020: parameter-change (参数篡改)',
  },
];

/**
 * The demo fleet's misbehaving loggers: a few of `devices`, chosen by kind in list order, each with one
 * scenario of the library, so that `qingyuan start` shows alarms, anomalies, an outage and its backfill
 * without any setup. Devices of a kind the list lacks are skipped; the rest behave.
 */
export function demoScenarios(devices: readonly DeviceSpec[], start: number): DemoScenario[] {
  const used = new Set<string>();
  const chosen: DemoScenario[] = [];
  for (const showcase of SHOWCASE) {
    const device = devices.find((d) => d.kind === showcase.kind && !used.has(d.mn));
    if (device === undefined) continue;
    used.add(device.mn);
    const options: Record<string, string | number> = { ...showcase.options };
    if (showcase.factor !== undefined) {
      options.factors = factorOf(device, showcase.factor);
    }
    const [from, to] = showcase.window ?? [undefined, undefined];
    chosen.push({
      device,
      shows: showcase.shows,
      spec: {
        scenario: showcase.scenario,
        device: device.mn,
        ...(from === undefined ? {} : { from: start + from * HOUR_MS }),
        ...(to === undefined ? {} : { to: start + to * HOUR_MS }),
        ...(Object.keys(options).length > 0 ? { options } : {}),
      },
    });
  }
  return chosen;
}

/** The factor asked for when the device reports it; else its first concentration (not flow). */
function factorOf(device: DeviceSpec, wanted: string): string {
  const reported = device.factors.length > 0 ? device.factors : DEFAULT_FACTORS[device.kind];
  if (reported.includes(wanted)) return wanted;
  return reported.find((f) => f !== 'w00000' && f !== 'a00000') ?? wanted;
}
