import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  type DeviceSpec,
  type FleetStats,
  loadDevicesFile,
  loadDevicesFromRegistry,
  parseScenario,
  parseScenarioFile,
  SCENARIO_NAMES,
  type ScenarioSpec,
  SimulatorError,
  startFleet,
  syntheticDevices,
} from '@qingyuan/simulator';
import { QyError } from '../errors.js';
import type { CliIo } from './io.js';
import { timeOption } from './store-option.js';

export const SIMULATE_USAGE = `  qingyuan simulate --devices devices.csv | --db URL | --count N [--host 127.0.0.1] [--port 9212]
                    [--count N] [--speed X] [--start ISO] [--seed N] [--duration SECONDS]
                    [--scenario name[:MN][@FROM..TO][?key=value&…]]… [--scenarios FILE.json]
                    [--ack-timeout SECONDS] [--retries N] [--no-ack] [--no-realtime] [--json]
      Connect simulated data loggers to an HJ 212 endpoint: plausible water/flue-gas data, 2011/2051/
      2061/2031 on schedule, 9014 waits and resends, answers to platform requests. --count alone
      simulates N made-up devices; with a list, the first N. --speed 1000 runs a simulated week in ~10
      minutes; --start may lie in the past. Scenario times are ISO 8601 or relative to --start (+2h).
      Scenarios: ${SCENARIO_NAMES.join(', ')}.
      Runs until Ctrl-C or --duration, then prints the statistics.`;

const usage = (reason: string) => new QyError('QY_E_CLI_USAGE', { reason, usage: SIMULATE_USAGE });

const OPTIONS = {
  devices: { type: 'string' },
  db: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  count: { type: 'string' },
  speed: { type: 'string' },
  start: { type: 'string' },
  seed: { type: 'string' },
  duration: { type: 'string' },
  scenario: { type: 'string', multiple: true },
  scenarios: { type: 'string' },
  'ack-timeout': { type: 'string' },
  retries: { type: 'string' },
  'no-ack': { type: 'boolean' },
  'no-realtime': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

function numberOption(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
  integer = false,
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (
    value.trim() === '' ||
    !Number.isFinite(number) ||
    number < min ||
    number > max ||
    (integer && !Number.isInteger(number))
  ) {
    throw usage(`--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
  }
  return number;
}

/** Simulator errors as CLI errors: input problems keep their SIMULATOR_E_… code in the detail. */
function cliError(error: SimulatorError): QyError {
  const code =
    error.code === 'SIMULATOR_E_SCENARIO' || error.code === 'SIMULATOR_E_OPTION'
      ? 'QY_E_CLI_USAGE'
      : 'QY_E_CLI_INPUT';
  return new QyError(code, { code: error.code, reason: error.message }, { cause: error });
}

/**
 * `qingyuan simulate …`: loads devices (file, registry or made up), starts the fleet, waits for Ctrl-C
 * (SIGINT/SIGTERM) or --duration, stops it and prints the statistics.
 */
export async function simulateCommand(args: string[], io: CliIo): Promise<number> {
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS }>>['values'];
  try {
    values = parseArgs({ args, options: OPTIONS, allowPositionals: false }).values;
  } catch (error) {
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      throw usage(error.message);
    }
    throw error;
  }
  try {
    return await simulate(values, io);
  } catch (error) {
    if (error instanceof SimulatorError) throw cliError(error);
    throw error;
  }
}

async function simulate(
  values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS }>>['values'],
  io: CliIo,
): Promise<number> {
  if (values.devices !== undefined && values.db !== undefined)
    throw usage('give --devices or --db, not both');
  const count = numberOption('count', values.count, 1, 100_000, true);
  const seed = numberOption('seed', values.seed, 0, 0xffffffff, true) ?? 1;
  let devices: DeviceSpec[];
  if (values.devices !== undefined) devices = await loadDevicesFile(values.devices);
  else if (values.db !== undefined) devices = await loadDevicesFromRegistry(values.db);
  else if (count !== undefined) devices = syntheticDevices(count, seed);
  else throw usage('name the devices: --devices devices.csv, --db URL, or --count N for made-up ones');
  if (count !== undefined) devices = devices.slice(0, count);

  const start = values.start === undefined ? Date.now() : timeOption('start', values.start);
  const scenarios: ScenarioSpec[] = (values.scenario ?? []).map((text) => parseScenario(text, start));
  if (values.scenarios !== undefined) {
    let json: string;
    try {
      json = await readFile(values.scenarios, 'utf8');
    } catch (cause) {
      throw new QyError(
        'QY_E_CLI_INPUT',
        { path: values.scenarios, reason: (cause as Error).message },
        { cause },
      );
    }
    scenarios.push(...parseScenarioFile(json, start));
  }
  const duration = numberOption('duration', values.duration, 0.001, 10 * 365 * 86_400);
  const ackTimeout = numberOption('ack-timeout', values['ack-timeout'], 0.001, 99);
  const retries = numberOption('retries', values.retries, 0, 99, true);
  const speed = numberOption('speed', values.speed, 0.001, 1_000_000) ?? 1;

  const fleet = await startFleet({
    devices,
    host: values.host ?? '127.0.0.1',
    port: numberOption('port', values.port, 1, 65535, true) ?? 9212,
    speed,
    start,
    seed,
    scenarios,
    ack: values['no-ack'] !== true,
    realtime: values['no-realtime'] !== true,
    ...(duration === undefined ? {} : { durationMs: duration * 1000 }),
    ...(ackTimeout === undefined ? {} : { ackTimeoutMs: ackTimeout * 1000 }),
    ...(retries === undefined ? {} : { retries }),
  });
  const out = (line: string) => io.stdout.write(`${line}\n`);
  if (values.json !== true) {
    out(
      `simulating ${devices.length} data logger${devices.length === 1 ? '' : 's'} → ${values.host ?? '127.0.0.1'}:${values.port ?? 9212}, ` +
        `speed ${speed}, from ${new Date(start).toISOString()}${scenarios.length > 0 ? `, ${scenarios.length} scenario(s)` : ''}` +
        `${duration === undefined ? '; Ctrl-C to stop' : `; for ${duration} s`}`,
    );
  }
  const stopOnSignal = () => void fleet.stop();
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    await fleet.finished;
  } finally {
    process.removeListener('SIGINT', stopOnSignal);
    process.removeListener('SIGTERM', stopOnSignal);
  }
  const stats = fleet.stats();
  if (values.json === true) out(JSON.stringify(stats));
  else printStats(stats, start, out);
  return 0;
}

function printStats(stats: FleetStats, start: number, out: (line: string) => void): void {
  out(
    `simulated ${new Date(start).toISOString()} … ${new Date(stats.simulatedTime).toISOString()}: ` +
      `${stats.devices} devices (${stats.connected} connected at the end)`,
  );
  out(
    `  frames sent ${stats.framesSent}, acknowledged ${stats.acked}, resent ${stats.resent}, given up ${stats.unacked}, ` +
      `pending ${stats.pending}, lost ${stats.lost}, dropped ${stats.dropped}, requests answered ${stats.requestsAnswered}`,
  );
  if (stats.perDevice.length > 20) return;
  for (const d of stats.perDevice) {
    out(
      `  ${d.mn}  connects ${d.connects}  sent ${d.framesSent}  acked ${d.acked}  resent ${d.resent}  given up ${d.unacked}  requests ${d.requestsAnswered}`,
    );
  }
}
