import { type BackfillOptions, type GatewayOptions, RULES, resolveOptions } from './config.js';
import { GatewayError } from './errors.js';

/** Options a file may not set: the command line's (where to listen) and the tests' (the clock). */
const NOT_IN_FILE: Readonly<Record<string, string>> = {
  port: 'set on the command line, not in the file',
  host: 'set on the command line, not in the file',
  now: 'not configurable',
};

/**
 * The options read from an operator's configuration file (JSON, `qingyuan start --gateway-config`): every
 * option but `port` and `host` (the command line's) and `now` (tests'). A key the gateway does not know, a
 * value of the wrong type or out of its range is a GATEWAY_E_OPTION naming it — a misspelt option must not
 * silently leave its default in force.
 */
export function gatewayOptionsFromJson(value: unknown): Omit<GatewayOptions, 'port' | 'host' | 'now'> {
  const top = plainObject('', value);
  const options: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(top)) {
    if (Object.hasOwn(NOT_IN_FILE, key)) throw optionError(key, v, 'no value here', NOT_IN_FILE[key]);
    if (key === 'backfill') options[key] = v === false ? false : backfillFromJson(v);
    else options[key] = typed(key, v, FILE_KEYS, Object.keys(FILE_KEYS).concat('backfill'));
  }
  resolveOptions(options, 'check');
  return options;
}

type JsonType = 'number' | 'boolean' | 'string';
const numbersOf = (group: string) =>
  Object.keys(RULES)
    .filter((k) => (group === '' ? !k.includes('.') && k !== 'port' : k.startsWith(`${group}.`)))
    .map((k) => [k.slice(group === '' ? 0 : group.length + 1), 'number'] as const);
const FILE_KEYS: Readonly<Record<string, JsonType>> = Object.fromEntries([
  ...numbersOf(''),
  ['name', 'string'],
  ['autoTimeSync', 'boolean'],
  ['allocationSitePretenuring', 'boolean'],
]);
const BACKFILL_KEYS: Readonly<Record<string, JsonType>> = Object.fromEntries(numbersOf('backfill'));

function backfillFromJson(value: unknown): BackfillOptions {
  const backfill: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(plainObject('backfill', value))) {
    if (key !== 'periods') {
      backfill[key] = typed(`backfill.${key}`, v, BACKFILL_KEYS, [...Object.keys(BACKFILL_KEYS), 'periods']);
      continue;
    }
    if (!Array.isArray(v) || v.length === 0)
      throw optionError('backfill.periods', v, "a non-empty list of 'hour' and 'minute'");
    backfill[key] = v;
  }
  return backfill;
}

function plainObject(option: string, value: unknown): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value))
    return value as Record<string, unknown>;
  throw optionError(
    option || '(the whole file)',
    value,
    option === 'backfill' ? 'an object or false' : 'a JSON object',
  );
}

function typed(
  option: string,
  value: unknown,
  types: Readonly<Record<string, JsonType>>,
  known: readonly string[],
): unknown {
  const key = option.slice(option.lastIndexOf('.') + 1);
  const type = Object.hasOwn(types, key) ? types[key] : undefined;
  if (type === undefined)
    throw optionError(option, value, `a known option: ${known.join(', ')}`, 'unknown option');
  if (typeof value !== type) throw optionError(option, value, `a ${type}`);
  return value;
}

function optionError(option: string, value: unknown, expected: string, problem?: string): GatewayError {
  const shown = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return new GatewayError('GATEWAY_E_OPTION', {
    option,
    value: shown,
    expected,
    ...(problem ? { problem } : {}),
  });
}
