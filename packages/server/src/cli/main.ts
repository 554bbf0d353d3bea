import { QyError } from '../errors.js';
import { ANALYSIS_USAGE } from './analysis-usage.js';
import { AUDIT_USAGE } from './audit-usage.js';
import { DATA_USAGE } from './data-command.js';
import { DB_USAGE } from './db-command.js';
import { FORWARD_USAGE } from './forward-command.js';
import { HJ212_USAGE, hj212Command } from './hj212-command.js';
import type { CliIo } from './io.js';
import { REGISTRY_USAGE } from './registry-usage.js';
import { SIMULATE_USAGE } from './simulate-command.js';
import { START_USAGE } from './start-usage.js';

export const VERSION = '0.1.0';

const USAGE = `qingyuan ${VERSION} — 清源 pollution-source automatic monitoring platform

Usage: qingyuan <command> [options]

Commands:
  start                     run the platform: gateway, web server, demo fleet (what npm start does)
  hj212 decode|encode|crc   HJ 212 packets: decode to JSON, build frames, compute CRCs
  db migrate|seed|maintain  create or upgrade the database; demo data; retention and statistics
  registry import           load enterprises, outlets, points and factors from a spreadsheet
  data export               print stored observations
  analyse                   re-judge stored data: validity, transmission counts, emissions, alarms
  report transmission       传输率 / 有效率 / 有效传输率 per point, enterprise or region
  report emissions          排放量 (kg) per point, enterprise or region and pollutant
  forward add|list|status   forward frames to upstream platforms (national, city) over HJ 212
  simulate                  connect simulated data loggers (a fleet) to an HJ 212 endpoint
  audit verify              check the audit log's hash chain
  user reset-password       new one-time password for a user (locked-out administrator)
  help                      this text

Data commands take --db sqlite:<path> | postgres://… (default sqlite:./data/qingyuan.db, or QY_DATABASE_URL).

${START_USAGE}
${HJ212_USAGE}
${DB_USAGE}
${REGISTRY_USAGE}
${DATA_USAGE}
${ANALYSIS_USAGE}
${FORWARD_USAGE}
${SIMULATE_USAGE}
${AUDIT_USAGE}

In the repository, "npm start" builds everything and runs "qingyuan start".`;

/** Each command's own usage, printed by `qingyuan <command> --help` (or `-h`). */
const COMMAND_USAGE: Readonly<Record<string, string>> = {
  start: START_USAGE,
  hj212: HJ212_USAGE,
  db: DB_USAGE,
  registry: REGISTRY_USAGE,
  data: DATA_USAGE,
  analyse: ANALYSIS_USAGE,
  report: ANALYSIS_USAGE,
  forward: FORWARD_USAGE,
  simulate: SIMULATE_USAGE,
  audit: AUDIT_USAGE,
  user: AUDIT_USAGE,
};

/** Runs the CLI; returns the exit code. Errors are printed with their stable code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  const usage =
    command !== undefined && Object.hasOwn(COMMAND_USAGE, command) ? COMMAND_USAGE[command] : undefined;
  if (usage !== undefined && (rest.includes('--help') || rest.includes('-h'))) {
    io.stdout.write(`Usage:\n${usage}\n`);
    return 0;
  }
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(`${USAGE}\n`);
        return 0;
      case '--version':
      case '-v':
        io.stdout.write(`${VERSION}\n`);
        return 0;
      case 'hj212':
        return await hj212Command(rest, io);
      case 'db':
        return await (await import('./db-command.js')).dbCommand(rest, io);
      case 'data':
        return await (await import('./data-command.js')).dataCommand(rest, io);
      case 'registry':
        return await (await import('./registry-command.js')).registryCommand(rest, io);
      case 'forward':
        return await (await import('./forward-command.js')).forwardCommand(rest, io);
      case 'start':
        return await (await import('./start-command.js')).startCommand(rest, io);
      case 'analyse':
        return await (await import('./analyse-command.js')).analyseCommand(rest, io);
      case 'report':
        return await (await import('./report-command.js')).reportCommand(rest, io);
      case 'audit':
        return await (await import('./audit-command.js')).auditCommand(rest, io);
      case 'user':
        return await (await import('./audit-command.js')).userCommand(rest, io);
      case 'simulate':
        return await (await import('./simulate-command.js')).simulateCommand(rest, io);
      default:
        throw new QyError('QY_E_CLI_USAGE', { reason: `unknown command "${command}"` });
    }
  } catch (error) {
    if (error instanceof QyError) {
      io.stderr.write(`${error.message}\n`);
      return error.code === 'QY_E_CLI_USAGE' ? 2 : 1;
    }
    throw error;
  }
}
