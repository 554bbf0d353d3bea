// A gateway started in its own process, then objects kept alive across scavenges, as a busy gateway's frames
// in flight are: `node --import tsx heap-child.ts <keep|default>`. Prints how many scavenges that took: once
// V8 tenures the objects' allocation site they are made in the old generation and scavenges become rare.
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { openStore } from '@qingyuan/store';
import { Gateway } from '../src/index.js';

const keep = process.argv[2] === 'keep';
const store = await openStore('sqlite::memory:');
const gateway = new Gateway(store, {
  port: 0,
  host: '127.0.0.1',
  backfill: false,
  ...(keep ? { allocationSitePretenuring: true } : {}),
});
await gateway.start();

// Objects that are all still alive at every scavenge (kept to the end): the pattern V8 tenures, and the one
// a busy gateway's frames in flight show it at each scavenge.
function inFlight(i: number): { readonly n: number; readonly parts: number[] } {
  return { n: i, parts: [i, i + 1] };
}
function keepAll(count: number): number {
  const kept: { readonly n: number }[] = [];
  for (let i = 0; i < count; i++) kept.push(inFlight(i));
  return kept.length;
}
let scavenges = 0;
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR)
      scavenges += 1;
});
observer.observe({ entryTypes: ['gc'] });
const kept = keepAll(2_000_000);
// GC entries are delivered after the loop: let them arrive.
await new Promise((resolve) => setTimeout(resolve, 100));
observer.disconnect();
await gateway.stop();
await store.close();
process.stdout.write(`${JSON.stringify({ kept, scavenges })}\n`);
