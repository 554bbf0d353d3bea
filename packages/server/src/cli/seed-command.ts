import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  analyze,
  DEFAULT_DEMO_SEED,
  type DemoSummary,
  exportDevices,
  redact,
  repositories,
  seedDemo,
} from '@qingyuan/store';
import { QyError } from '../errors.js';
import type { CliIo } from './io.js';
import { DB_OPTION, databaseUrl, withStore } from './store-option.js';

export const SEED_USAGE = `  qingyuan db seed --demo [--export-devices devices.csv] [--seed N] [--force] [--db URL]
      Fill the database with a believable, fictional Hubei registry (~200 key polluting units); the same
      --seed gives the same registry. Refused when the database already has enterprises, unless --force.`;

const usage = (reason: string) => new QyError('QY_E_CLI_USAGE', { reason, usage: SEED_USAGE });

/**
 * `qingyuan db seed --demo [--export-devices FILE] [--seed N] [--force] [--db URL]`: fills the database
 * with the fictional Hubei demo registry (`seedDemo`, one transaction) and, on request, writes the device
 * list (`exportDevices`) for data-logger simulators. A database that already holds enterprises is refused
 * unless --force is given (demo records would then sit next to real ones).
 */
export async function seedCommand(args: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(args);
  } catch (error) {
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      throw usage(error.message);
    }
    throw error;
  }
  const { values } = parsed;
  if (values.demo !== true) throw usage('db seed needs --demo (the demo registry is the only seed there is)');
  const seed = seedOption(values.seed);
  const devicesPath = values['export-devices'];
  if (devicesPath !== undefined && devicesPath.length === 0)
    throw usage('--export-devices needs a file name');
  const url = databaseUrl(values.db);
  return withStore(url, async (store) => {
    const held = await store.db
      .selectFrom('enterprise')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    const enterprises = Number(held.n);
    if (enterprises > 0 && values.force !== true) {
      throw new QyError('QY_E_CLI_INPUT', {
        reason: `${redact(url)} already holds ${enterprises} enterprises; demo data would be mixed with them. Seed an empty database, or add --force to add the demo registry anyway`,
      });
    }
    const started = performance.now();
    let summary: DemoSummary;
    try {
      summary = await seedDemo(store, { now: Date.now(), seed });
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'STORE_E_DUPLICATE') {
        throw new QyError(
          'QY_E_CLI_INPUT',
          {
            reason: `the demo registry of seed ${seed} collides with records already held (nothing was written); try another --seed`,
            detail: error.message,
          },
          { cause: error },
        );
      }
      throw error;
    }
    await analyze(store);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const cityNames = new Map((await repositories(store).regions.list('city')).map((r) => [r.code, r.name]));
    const out = (line: string) => io.stdout.write(`${line}\n`);
    out(`${redact(url)}: demo registry seeded (seed ${summary.seed}) in ${seconds} s`);
    out(
      `  enterprises  ${summary.enterprises} in ${summary.cities} city-level divisions (${Object.entries(
        summary.byCity,
      )
        .map(([code, n]) => `${cityNames.get(code) ?? code} ${n}`)
        .join(', ')})`,
    );
    out(
      `  industries   ${Object.entries(summary.byIndustry)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([code, n]) => `${code} ${n}`)
        .join(', ')}`,
    );
    out(`  outlets      ${summary.outlets} (water ${summary.waterOutlets}, gas ${summary.gasOutlets})`);
    out(`  points       ${summary.points} with ${summary.factors} factors`);
    out(
      `  permits      ${summary.permits}; contractors ${summary.contractors}; contracts ${summary.contracts}`,
    );
    out(
      `  key units    ${Object.entries(summary.keyUnits)
        .map(([year, n]) => `${year}: ${n}`)
        .join(', ')}`,
    );
    if (devicesPath !== undefined) {
      const csv = await exportDevices(store);
      try {
        await writeFile(devicesPath, csv);
      } catch (cause) {
        throw new QyError(
          'QY_E_CLI_INPUT',
          { path: devicesPath, reason: (cause as Error).message },
          { cause },
        );
      }
      out(`  devices      ${csv.trimEnd().split('\n').length - 1} written to ${devicesPath}`);
    }
    return 0;
  });
}

function parseOptions(args: string[]) {
  return parseArgs({
    args,
    options: {
      ...DB_OPTION,
      demo: { type: 'boolean' },
      'export-devices': { type: 'string' },
      seed: { type: 'string' },
      force: { type: 'boolean' },
    },
  });
}

function seedOption(text: string | undefined): number {
  if (text === undefined) return DEFAULT_DEMO_SEED;
  const seed = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(seed) || seed > 0xffffffff)
    throw usage('--seed is a whole number from 0 to 4294967295');
  return seed;
}
