import {
  type CommandParams,
  type DecodedFrame,
  decodeFrame,
  encodeMessage,
  FrameDecoder,
  formatBeijingTime,
  formatQn,
  type Message,
} from '@qingyuan/hj212';
import { DownlinkCommandRepository, type Store } from '@qingyuan/store';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createTestStore } from '../../store/test/dialects.js';
import { CommandService } from '../src/commands.js';
import type { CredentialCache, Device } from '../src/credentials.js';
import { ConnectionRegistry, type LinkSession } from '../src/presence.js';
import { insertPoint } from './helpers.js';

/**
 * The command service's state machine against any sequence of what a data logger and its link do: the
 * device answers (9011 with any QnRtn, data under the request's QN or new QNs, in or out of a history
 * request's range, 9012 with any ExeRtn), drops and redials, and time passes (OverTime, ReCount and the
 * execution timeout run out or not). The service runs with the real registry and audit repository (SQLite)
 * and a clock the test moves; the device side is a model that knows only what it received.
 */

const PW = '123456';
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 28, 12);

type Action =
  | { readonly kind: 'wait'; readonly ms: number }
  | { readonly kind: 'drop' }
  | { readonly kind: 'redial' }
  | { readonly kind: '9011'; readonly qnRtn: number }
  | { readonly kind: 'data'; readonly underRequestQn: boolean; readonly hour: number }
  | { readonly kind: '9012'; readonly exeRtn: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 4000 }) }),
  fc.record({ kind: fc.constant('drop' as const) }),
  fc.record({ kind: fc.constant('redial' as const) }),
  fc.record({ kind: fc.constant('9011' as const), qnRtn: fc.constantFrom(1, 1, 1, 2, 3) }),
  fc.record({
    kind: fc.constant('data' as const),
    underRequestQn: fc.boolean(),
    hour: fc.integer({ min: 0, max: 8 }),
  }),
  fc.record({ kind: fc.constant('9012' as const), exeRtn: fc.constantFrom(1, 1, 2, 100) }),
);

const request = fc.record({
  command: fc.constantFrom('get-system-time', 'get-hour-data', 'calibrate'),
  overTimeMs: fc.integer({ min: 50, max: 2000 }),
  reCount: fc.integer({ min: 0, max: 3 }),
  executionTimeoutMs: fc.integer({ min: 100, max: 5000 }),
});

/** A connection as the registry sees it: it records what the platform wrote to it. */
function decodeBytes(bytes: Uint8Array): DecodedFrame {
  const [frame] = new FrameDecoder().push(bytes).frames;
  if (frame === undefined) throw new Error('not one whole frame');
  return decodeFrame(frame);
}

class FakeSession implements LinkSession {
  static next = 1;
  readonly id = FakeSession.next++;
  closing = false;
  readonly written: DecodedFrame[] = [];
  send(bytes: Uint8Array): boolean {
    expect(this.closing, 'written to a closed connection').toBe(false);
    this.written.push(decodeBytes(bytes));
    return true;
  }
  close(): void {
    this.closing = true;
  }
}

function uplink(
  mn: string,
  input: { qn?: string; cn: string; cp: { key: string; value: string }[][] },
): Message {
  const message = decodeBytes(encodeMessage({ st: '91', pw: PW, mn, flag: 4, ...input })).message;
  if (message === undefined) throw new Error('the test built an unreadable frame');
  return message;
}

let store: Store;
let dispose: () => Promise<void>;
beforeAll(async () => {
  ({ store, dispose } = await createTestStore('sqlite'));
});
afterAll(async () => {
  vi.useRealTimers();
  await dispose();
});

/** Lets the audit's writes (SQLite behind promises) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

it('a command ends once, as its answers and its link say, and the audit holds what the caller was told', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  const repository = new DownlinkCommandRepository(store);
  await fc.assert(
    fc.asyncProperty(request, fc.array(action, { maxLength: 25 }), async (req, actions) => {
      const point = await insertPoint(store);
      const mn = point.mn;
      const device = { pointId: point.pointId, mn, protocolVersion: '2017', password: PW } as Device;
      let now = T0;
      const clock = () => now;
      const registry = new ConnectionRegistry('test', (event) => {
        if (event.kind === 'online') commands.deviceOnline(event.mn);
      });
      const credentials = { lookup: async () => device } as unknown as CredentialCache;
      const commands: CommandService = new CommandService(repository, registry, credentials, clock);
      const sessions: FakeSession[] = [];
      let session: FakeSession | undefined;
      const dial = () => {
        session = new FakeSession();
        sessions.push(session);
        registry.seen(mn, point.pointId, session, now, '10.0.0.1', '2017', '22');
      };
      dial();

      const history = req.command === 'get-hour-data';
      const params: CommandParams = history
        ? { BeginTime: T0 - 6 * HOUR, EndTime: T0 - 4 * HOUR }
        : req.command === 'calibrate'
          ? { PolId: 'a21026' }
          : {};
      let outcome: Awaited<ReturnType<CommandService['send']>> | undefined;
      let resolutions = 0;
      void commands.send({ mn, requestedBy: 'test', params, ...req }).then((o) => {
        outcome = o;
        resolutions += 1;
      });
      await settle();
      const requests = () => sessions.flatMap((s) => s.written);
      expect(requests()).toHaveLength(1);
      const qn = requests()[0]?.message?.qn as string;

      // The model: what the command must have become from the answers that reached it while unfinished.
      let expected: string | undefined;
      let accepted = false;
      /** The hours of the records that answered: one record per DataTime, however often it came. */
      const answered = new Set<number>();
      let sentWhenAccepted = Number.POSITIVE_INFINITY;
      let uploads = 0;
      /** Whether the device was online when time ran out (undefined: it did not, or not yet). */
      let expiredOnline: boolean | undefined;
      const expiry = async (open: boolean) => {
        await settle();
        if (open && commands.inFlight === 0 && expected === undefined) expiredOnline = session !== undefined;
      };
      for (const step of actions) {
        const open = commands.inFlight === 1;
        switch (step.kind) {
          case 'wait':
            now += step.ms;
            await vi.advanceTimersByTimeAsync(step.ms);
            break;
          case 'drop':
            if (session === undefined) break;
            session.close();
            registry.closed(session, now, 'dropped');
            session = undefined;
            break;
          case 'redial':
            if (session === undefined) dial();
            break;
          default: {
            if (session === undefined) break;
            uploads += 1;
            const message =
              step.kind === '9011'
                ? uplink(mn, { qn, cn: '9011', cp: [[{ key: 'QnRtn', value: String(step.qnRtn) }]] })
                : step.kind === '9012'
                  ? uplink(mn, { qn, cn: '9012', cp: [[{ key: 'ExeRtn', value: String(step.exeRtn) }]] })
                  : uplink(mn, {
                      qn: step.underRequestQn ? qn : formatQn(now + uploads),
                      cn: '2061',
                      cp: [
                        [{ key: 'DataTime', value: formatBeijingTime(T0 - step.hour * HOUR) }],
                        [{ key: 'a21026-Avg', value: '1.5' }],
                      ],
                    });
            registry.seen(mn, point.pointId, session, now, '10.0.0.1', '2017', '91');
            const purpose = commands.observe(message);
            if (!open) {
              expect(purpose, 'an answer to a finished command').toBeUndefined();
              break;
            }
            if (step.kind === '9011') {
              expect(purpose).toBe('operator');
              if (step.qnRtn === 1) {
                accepted = true;
                sentWhenAccepted = Math.min(sentWhenAccepted, requests().length);
              } else expected = 'rejected';
            } else if (step.kind === '9012') {
              expect(purpose).toBe('operator');
              expected = step.exeRtn === 1 ? 'succeeded' : 'failed';
            } else {
              // Data answers under the request's QN, or as a record of its range (4 to 6 hours back).
              const answers = step.underRequestQn || (history && step.hour >= 4 && step.hour <= 6);
              expect(purpose).toBe(answers ? 'operator' : undefined);
              if (answers) answered.add(step.hour);
            }
          }
        }
        await expiry(open);
        if (expected !== undefined) expect(commands.inFlight, `ended by ${expected}`).toBe(0);
      }
      // Time runs out for whatever is left.
      const rest = (req.reCount + 2) * req.overTimeMs + req.executionTimeoutMs + 2000;
      const open = commands.inFlight === 1;
      now += rest;
      await vi.advanceTimersByTimeAsync(rest);
      await expiry(open);

      expect(resolutions).toBe(1);
      const result = outcome as NonNullable<typeof outcome>;
      if (expected !== undefined) expect(result.state).toBe(expected);
      else expect(result.state).toBe(expiredOnline ? 'timed-out' : 'offline');
      // Written to connections at most 1 + ReCount times, never again once accepted.
      const sent = requests();
      expect(sent.length).toBeLessThanOrEqual(1 + req.reCount);
      if (accepted) expect(sent.length).toBeLessThanOrEqual(sentWhenAccepted);
      expect(new Set(sent.map((f) => f.message?.qn))).toEqual(new Set([qn]));
      expect((result.result.records as Record<string, number> | undefined)?.['2061'] ?? 0).toBe(
        answered.size,
      );
      // The audit says what the caller was told, when it was told.
      const audit = await repository.get(result.id);
      expect(audit).toMatchObject({ state: result.state, attempts: sent.length });
      expect(audit?.finished_at).not.toBeNull();
    }),
    { numRuns: Number(process.env.QY_COMMAND_RUNS ?? 150) },
  );
}, 120_000);
