import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../src/config.js';
import { GatewayError, gatewayOptionsFromJson } from '../src/index.js';

/** What gatewayOptionsFromJson threw: its code and detail, or 'ok'. */
function outcome(value: unknown): 'ok' | { code: string; detail: Record<string, unknown> } {
  try {
    gatewayOptionsFromJson(value);
    return 'ok';
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return { code: error.code, detail: { ...error.detail } };
  }
}

/** Every option a file may hold, at its default. */
function defaultsAsFile(): Record<string, unknown> {
  const { port: _port, host: _host, now: _now, ...rest } = resolveOptions({}, 'here');
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}

describe('gateway options from a configuration file (JSON)', () => {
  it('accepts every option the gateway has, at any valid value, and they reach the resolved options', () => {
    const file = defaultsAsFile();
    // A new option added to the gateway but not to the file's reader fails here.
    expect(Object.keys(file).length).toBeGreaterThan(20);
    const changed = {
      ...file,
      idleTimeoutMs: 300_000,
      clockSkewMs: 120_000,
      autoTimeSync: true,
      name: 'gateway-wuhan-1',
      backfill: { ...(file.backfill as object), periods: ['hour', 'minute'], maxInFlight: 5 },
    };
    const { now: _now, ...resolved } = resolveOptions(gatewayOptionsFromJson(changed), 'here');
    expect(resolved).toEqual({ ...changed, port: 9212, host: '0.0.0.0' });
    expect(resolveOptions(gatewayOptionsFromJson({ backfill: false }), 'here').backfill).toBe(false);
    expect(gatewayOptionsFromJson({})).toEqual({});
  });

  it('refuses an unknown or misspelt option, naming it and the options there are', () => {
    const top = outcome({ idleTimeout: 600_000 });
    expect(top).toMatchObject({
      code: 'GATEWAY_E_OPTION',
      detail: { option: 'idleTimeout', problem: 'unknown option' },
    });
    expect(top !== 'ok' && String(top.detail.expected)).toContain('idleTimeoutMs');
    expect(outcome({ backfill: { interval: 1000 } })).toMatchObject({
      detail: { option: 'backfill.interval', problem: 'unknown option' },
    });
    // Keys an object inherits are not options either.
    expect(outcome(JSON.parse('{"constructor": 1}'))).toMatchObject({
      detail: { problem: 'unknown option' },
    });
    expect(outcome(JSON.parse('{"__proto__": {"autoTimeSync": true}}'))).toMatchObject({
      detail: { option: '__proto__', problem: 'unknown option' },
    });
  });

  it('refuses a value of the wrong type or out of range, and what the command line or tests set', () => {
    expect(outcome({ idleTimeoutMs: '600000' })).toMatchObject({
      detail: { option: 'idleTimeoutMs', value: '600000', expected: 'a number' },
    });
    expect(outcome({ autoTimeSync: 'yes' })).toMatchObject({
      detail: { option: 'autoTimeSync', expected: 'a boolean' },
    });
    expect(outcome({ maxConnections: 0 })).toMatchObject({ detail: { option: 'maxConnections' } });
    expect(outcome({ presenceFlushMs: 2 ** 31 })).toMatchObject({ detail: { option: 'presenceFlushMs' } });
    expect(outcome({ backfill: { periods: [] } })).toMatchObject({ detail: { option: 'backfill.periods' } });
    expect(outcome({ backfill: { periods: ['week'] } })).toMatchObject({
      detail: { option: 'backfill.periods', value: 'week' },
    });
    expect(outcome({ backfill: true })).toMatchObject({
      detail: { option: 'backfill', expected: 'an object or false' },
    });
    for (const key of ['port', 'host', 'now'])
      expect(outcome({ [key]: 1 })).toMatchObject({ code: 'GATEWAY_E_OPTION', detail: { option: key } });
    for (const whole of [null, [], 42, 'idleTimeoutMs'])
      expect(outcome(whole)).toMatchObject({ detail: { option: '(the whole file)' } });
  });

  it('answers any JSON with options the gateway starts with, or with GATEWAY_E_OPTION — nothing else', () => {
    const keys = Object.keys(defaultsAsFile());
    const backfillKeys = Object.keys(defaultsAsFile().backfill as object);
    const value = fc.oneof(
      fc.boolean(),
      fc.string({ maxLength: 8 }),
      fc.integer({ min: -10, max: 2 ** 32 }),
      fc.double(),
      fc.constant(null),
      fc.constantFrom(['hour'], ['minute', 'hour'], ['day'], []),
    );
    const key = (known: string[]) => fc.oneof(fc.constantFrom(...known), fc.string({ maxLength: 6 }));
    const file = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(
        key([...keys, 'port']),
        fc.oneof(value, fc.constant(false), fc.dictionary(key(backfillKeys), value)),
      ),
    );
    fc.assert(
      fc.property(file, (json) => {
        const result = outcome(json);
        if (result !== 'ok') {
          expect(result.code).toBe('GATEWAY_E_OPTION');
          expect(typeof result.detail.option).toBe('string');
          return;
        }
        // Accepted: the gateway resolves it, and every option given is the one it runs with.
        const resolved = resolveOptions(gatewayOptionsFromJson(json), 'here') as Record<string, unknown>;
        for (const [k, v] of Object.entries(json as object))
          if (k === 'backfill' && v !== false) expect(resolved.backfill).toMatchObject(v as object);
          else expect(resolved[k]).toEqual(v);
      }),
      { numRuns: 500 },
    );
  });
});
