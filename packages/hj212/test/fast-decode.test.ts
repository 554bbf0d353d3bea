import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFrameGeneral } from '../src/decode.js';
import { clearKnownHeaders, decodeFrameFast } from '../src/fast-decode.js';
import { clearHeaderMemo } from '../src/header.js';
import {
  type DecodeOptions,
  encodeDataSegment,
  encodeFrame,
  FrameDecoder,
  newHeaderHint,
  type RawFrame,
} from '../src/index.js';
import { observationsArb, uploadArb } from './generators.js';
import { SAMPLES } from './samples.js';

/** A decoded frame as plain data (message.cp included), for comparing the two paths. */
const plain = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (_, v) => (v instanceof Uint8Array ? [...v] : v)));

function framesOf(bytes: Uint8Array): RawFrame[] {
  const decoder = new FrameDecoder();
  return [...decoder.push(bytes).frames, ...decoder.end().frames];
}

/** Edits that keep a frame well formed but make its content irregular, so both paths meet them. */
const tweak = fc.constantFrom(
  (s: string) => s,
  (s: string) => s,
  (s: string) => s.replace('CP=&&', 'CP=&& '),
  (s: string) => s.replace(/;(?=[^;]*&&$)/, ';;'),
  (s: string) => s.replace('-Avg=', '-Avg= '),
  (s: string) => s.replace(/Flag=(\d)/, 'Flag=$1;Flag=$1'),
  (s: string) => s.replace(/-Flag=./, '-Flag=Z'),
  (s: string) => s.replace(/DataTime=(\d{14})/, 'DataTime=$1123'),
  (s: string) => s.replace(/QN=\d{17}/, 'QN=20261399999999999'),
  (s: string) => s.replace(/;PW=[^;]*/, ''),
  (s: string) => s.replace(/-Rtd=[^,;&]*/, '-Rtd=1e5'),
  (s: string) => s.replace(/MN=[^;]*/, 'MN=x'),
);

const optionsArb = fc.record<DecodeOptions>({
  strict: fc.boolean(),
  crcVariants: fc.constantFrom(
    undefined,
    ['hj212'] as const,
    ['modbus'] as const,
    ['hj212', 'modbus'] as const,
  ),
  direction: fc.constantFrom(undefined, 'up' as const, 'down' as const),
});

describe('decodeFrame fast path', () => {
  it('gives exactly the general path result on every frame it accepts (cold and warm header memos)', () => {
    let accepted = 0;
    let frames = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(uploadArb, tweak), { minLength: 1, maxLength: 4 }),
        optionsArb,
        (uploads, options) => {
          clearKnownHeaders();
          clearHeaderMemo();
          for (const round of [0, 1]) {
            for (const [upload, edit] of uploads) {
              const segment = edit(encodeDataSegment(upload.input));
              for (const frame of framesOf(encodeFrame(segment))) {
                frames++;
                const fast = decodeFrameFast(frame, options);
                if (fast === undefined) continue;
                accepted++;
                expect(plain(fast), `round ${round}: ${segment}`).toEqual(
                  plain(decodeFrameGeneral(frame, options)),
                );
              }
            }
          }
        },
      ),
      { numRuns: 400 },
    );
    // The comparison must bite: frames did take the fast path.
    expect(accepted).toBeGreaterThan(0);
    expect(frames).toBeGreaterThan(accepted);
  });

  it('takes every observation upload the general path reads without a single remark', () => {
    let clean = 0;
    fc.assert(
      fc.property(observationsArb, (upload) => {
        for (const frame of framesOf(encodeFrame(encodeDataSegment(upload.input)))) {
          const general = decodeFrameGeneral(frame, {});
          if (!general.ok || general.diagnostics.length > 0) continue;
          clean++;
          const fast = decodeFrameFast(frame, {});
          expect(fast).toBeDefined();
          expect(plain(fast)).toEqual(plain(general));
        }
      }),
      { numRuns: 300 },
    );
    expect(clean).toBeGreaterThan(50);
  });

  it('takes the sample uploads that are clean, and gives them the general result', () => {
    let accepted = 0;
    for (const sample of SAMPLES) {
      for (const frame of framesOf(sample.wire)) {
        for (let pass = 0; pass < 2; pass++) {
          const fast = decodeFrameFast(frame, {});
          if (fast === undefined) continue;
          accepted++;
          expect(plain(fast)).toEqual(plain(decodeFrameGeneral(frame, {})));
        }
      }
    }
    expect(accepted).toBeGreaterThanOrEqual(8);
  });
});

describe('decodeFrame fast path, header memo', () => {
  const upload = (mn: string, cn: string) =>
    encodeFrame(
      encodeDataSegment({
        qn: '20260101080000123',
        st: '22',
        cn,
        pw: '123456',
        mn,
        flag: 5,
        cp: [[{ key: 'DataTime', value: '20260101080000' }], [{ key: 'a21026-Rtd', value: '10.5' }]],
      }),
    );

  it('keeps the headers of 10 000 loggers × 2 CNs: every upload of the second round takes the fast path', () => {
    clearKnownHeaders();
    const mns = Array.from({ length: 10_000 }, (_, i) => `A0B1C2D3${String(i).padStart(16, '0')}`);
    let fast = 0;
    for (let round = 0; round < 2; round++)
      for (const mn of mns)
        for (const cn of ['2011', '2051'])
          for (const frame of framesOf(upload(mn, cn)))
            if (decodeFrameFast(frame, {}) !== undefined && round === 1) fast++;
    expect(fast).toBe(20_000);
  });

  it('gives the same result with a header hint per caller, one shared, or none, however loggers interleave', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom('2011', '2051', '2061')), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.boolean(),
        (sends, cold) => {
          if (cold) clearKnownHeaders();
          const perLogger = [newHeaderHint(), newHeaderHint(), newHeaderHint(), newHeaderHint()];
          const shared = newHeaderHint();
          for (const [logger, cn] of sends) {
            const [frame] = framesOf(upload(`MN${logger}`, cn)) as [RawFrame];
            const general = plain(decodeFrameGeneral(frame, {}));
            for (const options of [{}, { headerHint: perLogger[logger] }, { headerHint: shared }])
              expect(plain(decodeFrameFast(frame, options))).toEqual(general);
          }
          // A hint outlives the shared memo (cleared, or the header evicted from it): still the same result.
          const [again] = framesOf(upload('MN0', '2011')) as [RawFrame];
          const hint = newHeaderHint();
          decodeFrameFast(again, { headerHint: hint });
          clearKnownHeaders();
          const hinted = decodeFrameFast(again, { headerHint: hint });
          expect(hinted).toBeDefined();
          expect(plain(hinted)).toEqual(plain(decodeFrameGeneral(again, {})));
        },
      ),
    );
  });

  it('takes uploads whose MN is not EPC-96 and reports the MN remark exactly as the general path does', () => {
    clearKnownHeaders();
    for (const mn of ['4201003', 'JLYP01_AIR01_0001', 'aqms-1100-2020110011']) {
      for (let pass = 0; pass < 2; pass++) {
        const [frame] = framesOf(upload(mn, '2011'));
        const fast = decodeFrameFast(frame as RawFrame, {});
        const general = decodeFrameGeneral(frame as RawFrame, {});
        expect(general.diagnostics.map((d) => d.code)).toEqual(['HJ212_E_MN_FORMAT']);
        expect(fast).toBeDefined();
        expect(plain(fast)).toEqual(plain(general));
      }
    }
  });
});
