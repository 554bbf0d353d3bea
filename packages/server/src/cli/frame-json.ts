import type { DecodedFrame, Diagnostic } from '@qingyuan/hj212';

const iso = (epochMs: number): string => new Date(epochMs).toISOString();

/** Numbers under keys that name a time (dataTime, SampleTime, BeginTime …) become ISO 8601 UTC. */
function withIsoTimes(value: unknown, key = ''): unknown {
  if (typeof value === 'number' && /time$/i.test(key)) return iso(value);
  if (Array.isArray(value)) return value.map((item) => withIsoTimes(item));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withIsoTimes(v, k)]));
  }
  return value;
}

const codes = (list: readonly Diagnostic[]): string[] => list.map((d) => d.code);

/** One decoded frame as the JSON object `qingyuan hj212 decode` prints. */
export function frameJson(decoded: DecodedFrame, verbose: boolean): Record<string, unknown> {
  const message = decoded.message;
  const body = message?.body;
  const dataTime =
    body !== undefined && 'dataTime' in body && body.dataTime !== undefined ? iso(body.dataTime) : null;
  const out: Record<string, unknown> = {
    ok: decoded.ok,
    errors: codes(decoded.errors),
    diagnostics: codes(decoded.diagnostics),
    crc: {
      ok: decoded.crc.ok,
      variant: decoded.crc.variant,
      basis: decoded.crc.basis,
      received: decoded.crc.received,
      expected: decoded.crc.expected,
    },
    length: decoded.frame.length,
    version: message?.version ?? 'unknown',
    qn: message?.qn ?? null,
    st: message?.st ?? null,
    cn: message?.cn ?? null,
    pw: message?.pw ?? null,
    mn: message?.mn ?? null,
    flag: message?.flag ?? null,
    pnum: message?.pnum ?? null,
    pno: message?.pno ?? null,
    ackRequested: message?.ackRequested ?? false,
    direction: message?.direction ?? null,
    dataTime,
    body: body === undefined ? null : withIsoTimes(body),
  };
  if (verbose) {
    out.offset = decoded.frame.offset;
    out.cp = message?.cp ?? [];
    out.details = [...decoded.errors, ...decoded.diagnostics].map(
      ({ code, severity, message: text, detail }) => ({
        code,
        severity,
        message: text,
        ...(detail === undefined ? {} : { detail }),
      }),
    );
  }
  return out;
}

/** Bytes the stream decoder dropped, as a JSON line. */
export function discardedJson(
  d: Diagnostic & { offset: number; bytes: Uint8Array },
): Record<string, unknown> {
  return {
    ok: false,
    discarded: true,
    errors: [d.code],
    offset: d.offset,
    length: d.bytes.length,
    text: new TextDecoder().decode(d.bytes.subarray(0, 200)),
  };
}
