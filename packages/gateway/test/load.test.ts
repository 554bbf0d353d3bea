import { RawFrameRepository } from '@qingyuan/store';
import { expect, it } from 'vitest';
import {
  describeEachDialect,
  frameOf,
  insertPoint,
  sleep,
  startGateway,
  TestLogger,
  upload,
} from './helpers.js';

const CONNECTIONS = 1000;

describeEachDialect('gateway under load', (store) => {
  it(`holds ${CONNECTIONS} concurrent connections and acknowledges every one's frame`, async () => {
    const points: { mn: string }[] = [];
    for (let i = 0; i < CONNECTIONS; i++) points.push(await insertPoint(store()));
    const gateway = await startGateway(store(), { maxConnectionsPerPeer: CONNECTIONS + 10 });
    try {
      const loggers = await Promise.all(
        Array.from({ length: CONNECTIONS }, () => TestLogger.connect(gateway.port)),
      );
      for (let i = 0; i < 100 && gateway.stats().sessions < CONNECTIONS; i++) await sleep(50);
      expect(gateway.stats().sessions).toBe(CONNECTIONS);
      // One device per connection.
      const sent = loggers.map((logger, i) => {
        const point = points[i] as { mn: string };
        const input = upload(point.mn, '123456', {
          cn: '2061',
          dataTime: Date.UTC(2026, 10, 1) + i * 3_600_000,
        });
        logger.send(frameOf(input));
        return input.qn;
      });
      const acks = await Promise.all(loggers.map((l) => l.waitForReplies(1, 20_000)));
      expect(acks.map((r) => r[0]?.message?.qn)).toEqual(sent);
      const stats = gateway.stats();
      expect(stats.accepted).toBe(CONNECTIONS);
      // Group commit: far fewer transactions than frames.
      expect(stats.commits).toBeLessThan(CONNECTIONS);
      const archived = await new RawFrameRepository(store()).list({ limit: 100_000 });
      expect(archived.filter((f) => f.verdict === 'accepted' && sent.includes(f.qn ?? ''))).toHaveLength(
        CONNECTIONS,
      );
      for (const l of loggers) l.close();
    } finally {
      await gateway.stop();
    }
  }, 60_000);
});
