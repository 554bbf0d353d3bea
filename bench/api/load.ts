import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

/**
 * Load generator for bench/api, run in its own process: `concurrency` clients on keep-alive connections
 * for `durationMs`. Closed loop (default): each client sends its next request as soon as the previous
 * answer is read — the server's saturation throughput. Paced (`intervalMs`): each client sends one
 * request every `intervalMs` (like a dashboard refreshing), and latency is measured from the scheduled
 * send time, so a slow answer delays and counts against the requests behind it (no coordinated
 * omission). Prints { requestsPerSecond, p50, p99, errors } as JSON (latencies in ms).
 */
interface Job {
  readonly port: number;
  readonly path: string;
  readonly cookie?: string;
  readonly concurrency: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly intervalMs?: number;
}

const job = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as Job;
const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
const latencies: number[] = [];
let errors = 0;

function once(scheduled = performance.now()): Promise<void> {
  return new Promise((resolve) => {
    const started = scheduled;
    const req = request(
      {
        host: '127.0.0.1',
        port: job.port,
        path: job.path,
        agent,
        headers: job.cookie ? { cookie: job.cookie } : {},
      },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () => {
          if (res.statusCode !== 200) errors++;
          else if (measuring) latencies.push(performance.now() - started);
          resolve();
        });
      },
    );
    req.on('error', () => {
      errors++;
      resolve();
    });
    req.end();
  });
}

let measuring = false;
let stop = false;
async function client(index: number): Promise<void> {
  const interval = job.intervalMs;
  if (interval === undefined) {
    while (!stop) await once();
    return;
  }
  // Paced clients start spread over one interval, then keep their schedule.
  let next = performance.now() + (interval * index) / job.concurrency;
  while (!stop) {
    const wait = next - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    await once(next);
    next += interval;
  }
}

const clients = Array.from({ length: job.concurrency }, (_, i) => client(i));
await new Promise((r) => setTimeout(r, job.warmupMs));
measuring = true;
const t0 = performance.now();
await new Promise((r) => setTimeout(r, job.durationMs));
measuring = false;
const elapsed = (performance.now() - t0) / 1000;
stop = true;
await Promise.all(clients);
agent.destroy();
latencies.sort((a, b) => a - b);
const at = (q: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
process.stdout.write(
  `${JSON.stringify({ requestsPerSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), errors, requests: latencies.length })}\n`,
);
