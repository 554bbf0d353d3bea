/**
 * Summarises a profile written by a bench's --profile (V8 CPU profile) or --heap-profile (sampling heap
 * profile): the functions that take the most, as shares of the whole (CPU) or bytes per unit (heap).
 *
 *   node --import tsx bench/profile-summary.ts out.cpuprofile [--top 30]
 *   node --import tsx bench/profile-summary.ts out.heapprofile --per 120000   # bytes per frame
 *   node --import tsx bench/profile-summary.ts out.cpuprofile --callers run   # who calls `run` (self time)
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface CpuNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly CpuNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}
interface HeapNode {
  readonly callFrame: CallFrame;
  readonly selfSize: number;
  readonly children: readonly HeapNode[];
}

const args = process.argv.slice(2);
const file = args[0];
if (file === undefined) {
  console.error(
    'usage: profile-summary.ts <file.cpuprofile|file.heapprofile> [--top N] [--per N] [--callers F]',
  );
  process.exit(2);
}
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args[at + 1];
};
const top = Number(option('--top') ?? 30);
const per = Number(option('--per') ?? 1);
const callersOf = option('--callers');

const where = (f: CallFrame) =>
  `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;

function print(totals: Map<string, number>, format: (v: number) => string): void {
  for (const [key, value] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${format(value).padStart(8)}  ${key}`);
}

const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile | { head: HeapNode };
if ('head' in profile) {
  const totals = new Map<string, number>();
  let all = 0;
  const walk = (node: HeapNode) => {
    all += node.selfSize;
    const key = where(node.callFrame);
    totals.set(key, (totals.get(key) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
  console.log(`${(all / per).toFixed(0)} bytes${per === 1 ? '' : ' per unit'} sampled`);
  print(totals, (v) => (v / per).toFixed(0));
} else {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    all += delta;
    const node = byId.get(id) as CpuNode;
    if (callersOf !== undefined && node.callFrame.functionName !== callersOf) return;
    const counted = callersOf === undefined ? node : byId.get(parent.get(id) ?? -1);
    if (counted === undefined) return;
    const key = where(counted.callFrame);
    totals.set(key, (totals.get(key) ?? 0) + delta);
  });
  console.log(
    `${(all / 1000).toFixed(0)} ms sampled${callersOf === undefined ? '' : `; callers of ${callersOf}`}`,
  );
  print(totals, (v) => `${((100 * v) / all).toFixed(1)} %`);
}
