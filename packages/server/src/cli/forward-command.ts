import { parseArgs } from 'node:util';
import { ForwardingRepository, type ForwardTargetView } from '@qingyuan/store';
import { QyError } from '../errors.js';
import type { CliIo } from './io.js';
import { DB_OPTION, databaseUrl, timeOption, withStore } from './store-option.js';

export const FORWARD_USAGE = `  qingyuan forward add <name> --host H --port P [--wait-ack] [--mn MN,…] [--region CODE,…] [--disabled]
                       [--since ISO] [--db URL]
      Forward the original frames of these devices, or of every device in these regions (GB/T 2260 code,
      with everything below it), to an upstream platform over TCP (HJ 212). It gets data from now on, or
      from --since on (what the archive still holds). --wait-ack waits for the upstream's 9014 on frames
      that ask for one. The running gateway picks the change up on its next reload.
  qingyuan forward list [--db URL]
  qingyuan forward enable|disable|remove <name> [--db URL]
  qingyuan forward status [--now ISO] [--db URL]
      Per target: frames not yet forwarded, age of the oldest, cursor, frames given up on.`;

const usage = (reason: string) => new QyError('QY_E_CLI_USAGE', { reason, usage: FORWARD_USAGE });

/** `qingyuan forward …` */
export async function forwardCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  try {
    switch (sub) {
      case 'add':
        return await add(rest, io);
      case 'list':
        return await list(rest, io);
      case 'remove':
      case 'enable':
      case 'disable':
        return await change(sub, rest, io);
      case 'status':
        return await status(rest, io);
      case '--help':
      case '-h':
      case 'help':
        io.stdout.write(`${FORWARD_USAGE}\n`);
        return 0;
      default:
        throw usage(`unknown forward command "${sub ?? ''}"`);
    }
  } catch (error) {
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
      throw usage(error.message);
    throw error;
  }
}

async function add(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...DB_OPTION,
      host: { type: 'string' },
      port: { type: 'string' },
      'wait-ack': { type: 'boolean' },
      mn: { type: 'string', multiple: true },
      region: { type: 'string', multiple: true },
      disabled: { type: 'boolean' },
      since: { type: 'string' },
    },
  });
  const [name, ...extra] = positionals;
  if (name === undefined || extra.length > 0) throw usage('forward add takes one target name');
  if (values.host === undefined || values.port === undefined) throw usage('--host and --port are required');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw usage('--port must be 1-65535');
  const mns = splitList(values.mn);
  const regions = splitList(values.region);
  if (mns.length === 0 && regions.length === 0) throw usage('give at least one --mn or --region');
  const since = values.since === undefined ? undefined : timeOption('since', values.since);
  const target = await withStore(databaseUrl(values.db), (store) =>
    new ForwardingRepository(store).createTarget(
      {
        name,
        host: values.host as string,
        port,
        waitAck: values['wait-ack'] === true,
        enabled: values.disabled !== true,
        mns,
        regions,
        ...(since === undefined ? {} : { since }),
      },
      Date.now(),
    ),
  );
  io.stdout.write(`forward target ${describe(target)}\n`);
  return 0;
}

async function list(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: DB_OPTION });
  if (positionals.length > 0) throw usage('forward list takes no arguments');
  const targets = await withStore(databaseUrl(values.db), (store) =>
    new ForwardingRepository(store).listTargets(),
  );
  if (targets.length === 0) io.stdout.write('no forward targets\n');
  for (const target of targets) io.stdout.write(`${describe(target)}\n`);
  return 0;
}

async function change(action: 'remove' | 'enable' | 'disable', args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: DB_OPTION });
  const [name, ...extra] = positionals;
  if (name === undefined || extra.length > 0) throw usage(`forward ${action} takes one target name`);
  await withStore(databaseUrl(values.db), async (store) => {
    const repo = new ForwardingRepository(store);
    if (action === 'remove') await repo.deleteTarget(name);
    else await repo.updateTarget(name, { enabled: action === 'enable' }, Date.now());
  });
  io.stdout.write(`forward target ${name} ${action === 'remove' ? 'removed' : `${action}d`}\n`);
  return 0;
}

async function status(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...DB_OPTION, now: { type: 'string' } },
  });
  if (positionals.length > 0) throw usage('forward status takes no arguments');
  const now = values.now === undefined ? Date.now() : timeOption('now', values.now);
  const lines = await withStore(databaseUrl(values.db), async (store) => {
    const repo = new ForwardingRepository(store);
    const out: string[] = [];
    for (const target of await repo.listTargets()) {
      const lag = await repo.lag(target.id, now);
      const cursor = await repo.cursor(target.id);
      const givenUp = await repo.givenUpCount(target.id);
      const oldest =
        lag.oldestReceivedAt === null ? '' : ` (oldest ${new Date(lag.oldestReceivedAt).toISOString()})`;
      out.push(
        `${target.name}  ${target.enabled ? 'enabled' : 'disabled'}  pending ${lag.frames} frames, ${lag.seconds} s behind${oldest}  cursor ${cursor}  given up ${givenUp}`,
      );
    }
    return out;
  });
  io.stdout.write(lines.length === 0 ? 'no forward targets\n' : `${lines.join('\n')}\n`);
  return 0;
}

/** `--mn A,B --mn C` → [A, B, C]. */
function splitList(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((value) => value.split(','))
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function describe(target: ForwardTargetView): string {
  const scope = [
    target.mns.length > 0 ? `mn ${target.mns.join(',')}` : '',
    target.regions.length > 0 ? `region ${target.regions.join(',')}` : '',
  ].filter((part) => part.length > 0);
  return `${target.name}  ${target.host}:${target.port}  ${target.waitAck ? 'wait-ack' : 'no-ack'}  ${
    target.enabled ? 'enabled' : 'disabled'
  }  ${scope.join('  ')}`;
}
