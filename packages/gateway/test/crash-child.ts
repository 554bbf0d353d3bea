// A gateway in its own process, for the crash test: `node --import tsx crash-child.ts <db-url> <port>`.
// Prints "ready <port>" once it listens; it is then killed with SIGKILL (no shutdown code runs).
import { openStore } from '@qingyuan/store';
import { Gateway } from '../src/index.js';

const [url, port] = process.argv.slice(2);
const store = await openStore(url as string);
const gateway = new Gateway(store, {
  port: Number(port),
  host: '127.0.0.1',
  backfill: false,
  maxConnectionsPerPeer: 10_000,
  name: 'crash-test',
});
await gateway.start();
process.stdout.write(`ready ${gateway.port}\n`);
process.on('SIGTERM', () => {
  void gateway.stop().then(() => store.close().then(() => process.exit(0)));
});
