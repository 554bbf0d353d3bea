import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeMessage, formatQn } from '@qingyuan/hj212';
import { openStore, RawFrameRepository } from '@qingyuan/store';
import { afterAll, describe, expect, it } from 'vitest';
import { insertPoint } from '../../store/test/fixtures.js';
import { cli } from './cli-io.js';

describe('qingyuan forward (SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qy-cli-forward-'));
  const url = `sqlite:${join(dir, 'qingyuan.db')}`;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('adds, lists, disables, reports the lag of and removes targets', async () => {
    const store = await openStore(url);
    let mn: string;
    try {
      mn = (await insertPoint(store)).mn;
    } finally {
      await store.close();
    }

    const added = await cli([
      'forward',
      'add',
      'national',
      '--host',
      '10.0.0.1',
      '--port',
      '9000',
      '--wait-ack',
      '--region',
      '420000',
      '--db',
      url,
    ]);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toBe('forward target national  10.0.0.1:9000  wait-ack  enabled  region 420000\n');
    const city = await cli([
      'forward',
      'add',
      'city',
      '--host',
      'h',
      '--port',
      '9001',
      '--mn',
      mn,
      '--db',
      url,
    ]);
    expect(city.code).toBe(0);

    const list = await cli(['forward', 'list', '--db', url]);
    expect(list.stdout.split('\n')).toEqual([
      `city  h:9001  no-ack  enabled  mn ${mn}`,
      'national  10.0.0.1:9000  wait-ack  enabled  region 420000',
      '',
    ]);

    // Two frames arrive after the targets were added: both are pending for both.
    const at = Date.UTC(2026, 5, 1, 2, 0, 0);
    const frames = await openStore(url);
    try {
      await new RawFrameRepository(frames).append(
        [0, 1].map((i) => ({
          receivedAt: at + i * 60_000,
          peer: '10.0.0.9:1',
          mn,
          cn: '2051',
          qn: formatQn(at + i),
          bytes: encodeMessage({
            qn: formatQn(at + i),
            st: '31',
            cn: '2051',
            pw: '123456',
            mn,
            flag: 5,
            cp: [[{ key: 'DataTime', value: '20260601100000' }]],
          }),
          verdict: 'accepted' as const,
        })),
      );
    } finally {
      await frames.close();
    }
    const status = await cli(['forward', 'status', '--now', '2026-06-01T02:03:00Z', '--db', url]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(
      'national  enabled  pending 2 frames, 180 s behind (oldest 2026-06-01T02:00:00.000Z)',
    );
    expect(status.stdout).toMatch(
      /city {2}enabled {2}pending 2 frames, 180 s behind .* cursor 0 {2}given up 0/,
    );

    expect((await cli(['forward', 'disable', 'city', '--db', url])).stdout).toBe(
      'forward target city disabled\n',
    );
    expect((await cli(['forward', 'list', '--db', url])).stdout).toContain('city  h:9001  no-ack  disabled');
    expect((await cli(['forward', 'remove', 'city', '--db', url])).code).toBe(0);
    expect((await cli(['forward', 'list', '--db', url])).stdout).not.toContain('city');
  });

  it('reports unknown names, MNs and regions with their codes, and bad usage with exit 2', async () => {
    const unknownMn = await cli([
      'forward',
      'add',
      'x',
      '--host',
      'h',
      '--port',
      '1',
      '--mn',
      'NOPE',
      '--db',
      url,
    ]);
    expect(unknownMn.code).toBe(1);
    expect(unknownMn.stderr).toContain('STORE_E_FORWARD_UNKNOWN_MN');
    expect(unknownMn.stderr).toContain('NOPE');
    const unknownRegion = await cli([
      'forward',
      'add',
      'x',
      '--host',
      'h',
      '--port',
      '1',
      '--region',
      '429999',
      '--db',
      url,
    ]);
    expect(unknownRegion.stderr).toContain('STORE_E_FORWARD_UNKNOWN_REGION');
    const missing = await cli(['forward', 'remove', 'nobody', '--db', url]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('STORE_E_FORWARD_TARGET_UNKNOWN');
    expect((await cli(['forward', 'add', 'x', '--host', 'h', '--db', url])).code).toBe(2);
    expect((await cli(['forward', 'add', 'x', '--host', 'h', '--port', '1', '--db', url])).code).toBe(2);
    expect(
      (await cli(['forward', 'add', 'x', '--host', 'h', '--port', '99999', '--region', '420000'])).code,
    ).toBe(2);
    expect((await cli(['forward', 'list', '--bogus', '--db', url])).code).toBe(2);
    expect((await cli(['forward', 'frobnicate', '--db', url])).code).toBe(2);
    const help = await cli(['help']);
    expect(help.stdout).toContain('qingyuan forward add <name> --host H --port P');
  });
});
