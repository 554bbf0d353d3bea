import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { GATEWAY_ERRORS, GatewayError, type GatewayOptions, gatewayOptionsFromJson } from '@qingyuan/gateway';
import { parseScenarioFile, SIMULATOR_ERRORS, SimulatorError } from '@qingyuan/simulator';
import { STORE_ERRORS, StoreError } from '@qingyuan/store';
import { QyError } from '../errors.js';
import { type Platform, type PlatformConfig, startPlatform } from '../platform.js';
import type { CliIo } from './io.js';
import { START_USAGE } from './start-usage.js';
import { databaseUrl } from './store-option.js';

const OPTIONS = {
  db: { type: 'string' },
  'gateway-port': { type: 'string' },
  'http-port': { type: 'string' },
  host: { type: 'string' },
  'no-demo': { type: 'boolean' },
  'demo-speed': { type: 'string' },
  'demo-devices': { type: 'string' },
  'demo-history': { type: 'string' },
  'gateway-config': { type: 'string' },
  'auto-time-sync': { type: 'boolean' },
  'demo-scenarios': { type: 'string' },
} as const;

const usage = (reason: string) => new QyError('QY_E_CLI_USAGE', { reason, usage: START_USAGE });

function port(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw usage(`--${name} must be a port number (0-65535)`);
  return n;
}

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw usage(`--${name} must be a positive number`);
  return n;
}

/** Hours of backlog at the first start: 0 (none) to 480. */
function hours(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 480)
    throw usage(`--${name} must be a whole number of hours (0-480)`);
  return n;
}

/**
 * The gateway's options: the JSON file of --gateway-config (checked by the gateway: an unknown option, a
 * wrong type or a value out of range is refused by name), then --auto-time-sync.
 */
export function gatewayOptions(
  file: string | undefined,
  autoTimeSync: boolean | undefined,
): Omit<GatewayOptions, 'port' | 'host' | 'now'> {
  let options: Omit<GatewayOptions, 'port' | 'host' | 'now'> = {};
  if (file !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new QyError(
        'QY_E_CLI_INPUT',
        { file, reason: `--gateway-config: ${(error as Error).message}` },
        { cause: error },
      );
    }
    options = gatewayOptionsFromJson(json);
  }
  return autoTimeSync === true ? { ...options, autoTimeSync: true } : options;
}

/**
 * --demo-scenarios: 'showcase' (default: a few demo loggers misbehave), 'none', or a scenario file (the JSON
 * of `qingyuan simulate --scenarios`), read and checked now, its relative times counted from the fleet's start.
 */
export function demoScenarioChoice(value: string | undefined): PlatformConfig['demoScenarios'] {
  if (value === undefined || value === 'showcase') return 'showcase';
  if (value === 'none') return undefined;
  let json: string;
  try {
    json = readFileSync(value, 'utf8');
  } catch (error) {
    throw new QyError(
      'QY_E_CLI_INPUT',
      { file: value, reason: `--demo-scenarios: ${(error as Error).message}` },
      { cause: error },
    );
  }
  parseScenarioFile(json, Date.now());
  return (start) => parseScenarioFile(json, start);
}

/** `qingyuan start`: the whole platform in one process, until SIGINT/SIGTERM (or `signal` aborts). */
export async function startCommand(args: string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS }>>['values'];
  try {
    values = parseArgs({ args, options: OPTIONS }).values;
  } catch (error) {
    throw usage((error as Error).message);
  }
  const out = (line: string) => io.stdout.write(`${line}\n`);
  let platform: Platform;
  try {
    const gateway = gatewayOptions(values['gateway-config'], values['auto-time-sync']);
    const demoScenarios = demoScenarioChoice(values['demo-scenarios']);
    platform = await startPlatform({
      databaseUrl: databaseUrl(values.db),
      gatewayPort: port('gateway-port', values['gateway-port'], 9212),
      httpPort: port('http-port', values['http-port'], 8080),
      ...(values.host === undefined ? {} : { host: values.host }),
      demo: values['no-demo'] !== true,
      ...(values['demo-speed'] === undefined
        ? {}
        : { demoSpeed: positive('demo-speed', values['demo-speed']) }),
      ...(values['demo-devices'] === undefined
        ? {}
        : { demoDevices: positive('demo-devices', values['demo-devices']) }),
      // A new demo database gets the last day's hourly data at once (the loggers upload it first).
      demoBacklogHours: hours('demo-history', values['demo-history'], 24),
      gateway,
      ...(demoScenarios === undefined ? {} : { demoScenarios }),
      log: out,
    });
  } catch (error) {
    if (error instanceof StoreError || error instanceof GatewayError || error instanceof SimulatorError) {
      // The package's own code, message and detail, flat (not a JSON string inside JSON).
      const catalogue =
        error instanceof StoreError
          ? STORE_ERRORS
          : error instanceof GatewayError
            ? GATEWAY_ERRORS
            : SIMULATOR_ERRORS;
      const entry = catalogue[error.code as never] as { message: string };
      throw new QyError(
        'QY_E_CLI_INPUT',
        { code: error.code, message: entry.message, ...error.detail },
        { cause: error },
      );
    }
    throw error;
  }
  out(`清源 Qingyuan is running`);
  out(`  database        ${platform.urls.database}`);
  out(`  HJ 212 gateway  ${platform.urls.gateway}`);
  out(`  web             ${platform.urls.http}   (status page and demo accounts)`);
  out(`  API             ${platform.urls.http}api/v1   (documentation at ${platform.urls.http}api/docs)`);
  out(
    `  demo fleet      ${platform.fleet === undefined ? 'off' : `${platform.fleet.devices.length} simulated data loggers`}`,
  );
  out('Press Ctrl-C to stop.');
  await new Promise<void>((resolve) => {
    const done = () => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    signal?.addEventListener('abort', done, { once: true });
  });
  out('stopping…');
  await platform.stop();
  out('stopped');
  return 0;
}
