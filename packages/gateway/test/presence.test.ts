import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConnectionRegistry, type LinkSession, type PresenceEvent } from '../src/presence.js';

interface FakeSession extends LinkSession {
  readonly closedWith: string[];
}

function session(id: number): FakeSession {
  const closedWith: string[] = [];
  return {
    id,
    closedWith,
    get closing() {
      return closedWith.length > 0;
    },
    send: () => true,
    close: (reason) => void closedWith.push(reason),
  };
}

function registry() {
  const events: PresenceEvent[] = [];
  const r = new ConnectionRegistry('gw-test', (e) => events.push(e));
  const seen = (mn: string, s: LinkSession, at = 0) => r.seen(mn, 1, s, at, `peer-${s.id}`, '2017', '32');
  return { r, events, seen };
}

describe('connection registry', () => {
  it('takes every device a closing session carried offline, and only those', () => {
    const { r, events, seen } = registry();
    const das = session(1); // one data logger forwarding for two MNs over one connection
    const other = session(2);
    seen('MN-A', das);
    seen('MN-B', das);
    seen('MN-C', other);
    r.closed(das, 50, 'peer closed the connection');
    expect(r.size).toBe(1);
    expect(r.get('MN-C')?.session).toBe(other);
    const offline = events.filter((e) => e.kind === 'offline');
    expect(offline.map((e) => e.mn).sort()).toEqual(['MN-A', 'MN-B']);
    expect(offline[0]?.at).toBe(50);
    expect(offline[0]?.detail.reason).toBe('peer closed the connection');
  });

  it('keeps a device online when the connection it left (newest connection wins) closes', () => {
    const { r, events, seen } = registry();
    const first = session(1);
    const second = session(2);
    seen('MN-A', first);
    seen('MN-A', second, 10);
    expect(first.closedWith).toEqual(['MN MN-A reconnected from peer-2']);
    r.closed(first, 20, 'half-open');
    expect(r.get('MN-A')?.session).toBe(second);
    expect(events.filter((e) => e.kind === 'offline')).toEqual([]);
    r.closed(second, 30, 'gone');
    expect(r.size).toBe(0);
    expect(events.filter((e) => e.kind === 'offline').map((e) => e.at)).toEqual([30]);
  });

  it('a session closed twice, or one that never carried a device, changes nothing', () => {
    const { r, events, seen } = registry();
    const s = session(1);
    r.closed(session(9), 1, 'auth failed');
    seen('MN-A', s);
    r.closed(s, 2, 'gone');
    r.closed(s, 3, 'gone');
    expect(events.map((e) => e.kind)).toEqual(['online', 'offline']);
  });

  it('agrees with a model of who carries whom over any sequence of frames and closes', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('seen' as const), mn: fc.integer({ min: 0, max: 5 }), s: fc.nat(3) }),
      fc.record({ kind: fc.constant('closed' as const), s: fc.nat(3) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const { r, events, seen } = registry();
        const sessions = [0, 1, 2, 3].map(session);
        const model = new Map<string, number>();
        let at = 0;
        for (const o of ops) {
          at += 1;
          const s = sessions[o.s] as FakeSession;
          if (o.kind === 'seen') {
            seen(`MN-${o.mn}`, s, at);
            // A connection told to close (it lost a device to a newer one) never takes one back.
            const holder = model.get(`MN-${o.mn}`);
            if (holder === undefined || !s.closing) model.set(`MN-${o.mn}`, o.s);
            continue;
          }
          const before = events.length;
          r.closed(s, at, 'closed');
          const expected = [...model].filter(([, id]) => id === o.s).map(([mn]) => mn);
          for (const mn of expected) model.delete(mn);
          const offline = events.slice(before).map((e) => `${e.kind} ${e.mn} ${e.at}`);
          expect(offline.sort()).toEqual(expected.map((mn) => `offline ${mn} ${at}`).sort());
        }
        expect(r.size).toBe(model.size);
        for (const [mn, id] of model) expect(r.get(mn)?.session).toBe(sessions[id]);
      }),
      { numRuns: 300 },
    );
  });
});
