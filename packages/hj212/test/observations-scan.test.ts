import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readUplinkBody } from '../src/bodies.js';
import { splitCp } from '../src/cp-text.js';
import type { ObservationPeriod } from '../src/message.js';
import { scanObservations } from '../src/observations-scan.js';
import { ParseContext } from '../src/parse-context.js';
import type { ProtocolVersion } from '../src/versions.js';

/**
 * The observation fast path must agree with the general reader on every input it accepts: the same
 * body and the same diagnostics. It may decline (undefined) anything; the general reader then decides.
 */
function both(content: string, version: ProtocolVersion, period: ObservationPeriod) {
  const text = `QN=1;CP=&&${content}&&`;
  const start = 'QN=1;CP=&&'.length;
  const end = text.length - 2;
  const fastCtx = new ParseContext();
  fastCtx.version = version;
  const bytes = new TextEncoder().encode(text);
  const fast =
    bytes.length === text.length ? scanObservations(bytes, start, end, period, fastCtx) : undefined;
  const slowCtx = new ParseContext();
  slowCtx.version = version;
  const notes = { emptyItems: 0, whitespace: 0, noValue: 0 };
  const cp = splitCp(text, start, end, notes);
  const slow = readUplinkBody({ type: 'observations', period }, cp, {}, slowCtx);
  const irregular = notes.emptyItems + notes.whitespace + notes.noValue > 0;
  return { fast, slow, fastDiagnostics: fastCtx.finish(), slowDiagnostics: slowCtx.finish(), irregular };
}

const codes = fc.constantFrom(
  'w01018',
  'w21003',
  'a21026',
  'a34013',
  '011',
  'B01',
  '060',
  'S01',
  'LA',
  'Ld',
  'xyz',
  'w01018x',
);
const suffixes = fc.constantFrom(
  'Rtd', 'Min', 'Avg', 'Max', 'Cou', 'ZsRtd', 'ZsMin', 'ZsAvg', 'ZsMax', 'Flag', 'EFlag', 'SampleTime', 'Data',
  'DayData', 'NightData', 'Ala', 'ValidNum', 'RS', 'Info',
); // biome-ignore format: a list of suffixes
const values = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }).map(String),
  fc.integer({ min: -99999, max: 999999 }).map(String),
  fc.constantFrom(
    'N',
    'D',
    'F',
    'M',
    'P',
    'Z',
    '0',
    '',
    ' 1.5',
    '1.5 ',
    '-0',
    '+3',
    '.5',
    '1.',
    '0012.50',
    '1e3',
    'abc',
  ),
  fc.constantFrom('20260101120000', '20261301000000', '20260101120000123', '1234567890123456789.5'),
);
const field = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(codes, suffixes, values).map(([c, s, v]) => `${c}-${s}=${v}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'DataTime=20260101080000',
      'DataTime=20260101080000123',
      'FANSTATUS=1',
      'noeq',
      ' w01018-Avg=1',
      '',
      '//log;x//',
      'i11001-Info=//a,b//',
    ),
  },
);
const content = fc
  .array(fc.tuple(field, fc.constantFrom(',', ';')), { maxLength: 30 })
  .map((parts) => parts.map(([f, sep], i) => (i === parts.length - 1 ? f : f + sep)).join(''));

describe('observation fast path', () => {
  it('agrees with the general reader wherever it does not decline', () => {
    let accepted = 0;
    fc.assert(
      fc.property(content, fc.constantFrom<ProtocolVersion>('2005', '2017', '2025'), (cp, version) => {
        const result = both(cp, version, 'hour');
        if (result.fast === undefined) return;
        accepted++;
        expect(result.irregular).toBe(false);
        expect(result.fast).toEqual(result.slow);
        expect(result.fastDiagnostics).toEqual(result.slowDiagnostics);
      }),
      { numRuns: 3000 },
    );
    // The generator must actually exercise the fast path, not only its refusals.
    expect(accepted).toBeGreaterThan(300);
  });

  it('takes regular uploads and declines each kind of irregularity', () => {
    const regular =
      'DataTime=20260101080000;w01018-Avg=40.1,w01018-Flag=N;w21003-Rtd=-0.5,w21003-SampleTime=20260101075500';
    expect(both(regular, '2017', 'hour').fast).toBeDefined();
    for (const irregular of [
      'DataTime=20260101080000;w01018-Avg=40.1;',
      'DataTime=20260101080000;;w01018-Avg=40.1',
      'DataTime=20260101080000; w01018-Avg=40.1',
      'DataTime=20260101080000;w01018-Avg=4 0',
      'DataTime=20260101080000;w01018-Avg=1e3',
      'DataTime=20260101080000;w01018-ValidNum=3',
      'DataTime=20260101080000;w01018-Flag=X',
      'DataTime=20260101080000;w01018-Avg=1,w01018-Avg=2',
      'DataTime=20260101080000;FANSTATUS=1',
      'DataTime=20260101080000;i11001-Info=//x//',
    ]) {
      expect(both(irregular, '2017', 'hour').fast, irregular).toBeUndefined();
    }
  });

  it('parses numbers of up to 15 digits exactly as Number() does, and leaves longer ones to the general reader', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !String(x).includes('e')),
          fc.integer().map((i) => i / 1000),
        ),
        (value) => {
          const text = String(value);
          const result = both(`w01018-Avg=${text}`, '2017', 'minute');
          const digits = text.replace(/\D/g, '').length;
          if (digits <= 15) expect(result.fast?.factors[0]?.values.Avg).toBe(Number(text));
          else expect(result.fast).toBeUndefined();
          expect(result.slow.type === 'observations' && result.slow.factors[0]?.values.Avg).toBe(
            Number(text),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});
