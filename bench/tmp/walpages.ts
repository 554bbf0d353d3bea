import { statSync } from 'node:fs';
import { IngestWriter, type IngestBatch } from '@qingyuan/store';
import { createStore } from '../store/common.js';
import { seedDevices } from '../gateway/fleet.js';
import { realtimeUpload } from '../gateway/upload.js';

const { store, dispose } = await createStore('sqlite');
const sqlite = store.sqlite!;
sqlite.pragma('wal_autocheckpoint = 0');
const devices = await seedDevices(store, 500);
const points = sqlite.prepare('SELECT id, mn FROM monitoring_point').all() as { id: number; mn: string }[];
const pointOf = new Map(points.map((p) => [p.mn, p.id]));
const writer = new IngestWriter(store);
const FACTORS = ['a21026', 'a21002', 'a34013', 'a19001', 'a01012', 'a01013'];
const t0 = Date.now();
const walFile = `${store.url.replace(/^sqlite:/, '')}-wal`;
const walPages = () => { try { return statSync(walFile).size / (4096 + 24); } catch { return 0; } };
let prev = walPages();
const per: number[] = [];
for (let c = 0; c < 60; c++) {
  const batches: IngestBatch[] = devices.map((d, i) => {
    const bytes = realtimeUpload(d, c, t0 + c * 1000 + i);
    return {
      frames: [{ receivedAt: t0 + c * 30_000, peer: '127.0.0.1:1', mn: d.mn, cn: '2011', qn: String(c), bytes, verdict: 'accepted' }],
      observations: FACTORS.map((f) => ({ period: 'realtime' as const, frame: 0, row: { pointId: pointOf.get(d.mn)!, factorCode: f, periodStart: t0 + c * 30_000, values: { rtd: 12.3 + c, zs_rtd: 14.5 }, dataFlag: 'N', source: 'das' as const, receivedAt: t0 + c * 30_000 } })),
    };
  });
  await writer.commitAll(batches);
  const now = walPages();
  per.push(now - prev);
  prev = now;
}
console.log('WAL pages per 500-frame commit (last 10):', per.slice(-10).join(' '));
const stat = sqlite.prepare("SELECT name, count(*) AS pages FROM dbstat GROUP BY name ORDER BY pages DESC LIMIT 12").all();
console.log(stat);
await dispose();
