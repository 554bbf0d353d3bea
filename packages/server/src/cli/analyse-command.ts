import { parseArgs } from 'node:util';
import { DEFAULT_RULES } from '@qingyuan/domain';
import { analyseDay, daysOf } from '../analysis/analyse-day.js';
import { AnomalyConfigSource } from '../analysis/anomaly-config-source.js';
import { loadPointContext } from '../analysis/point-context.js';
import { QyError } from '../errors.js';
import { ANALYSIS_USAGE } from './analysis-usage.js';
import type { CliIo } from './io.js';
import { DB_OPTION, databaseUrl, timeOption, withStore } from './store-option.js';

/** `qingyuan analyse --from --to [--mn]`: recomputes judgements, counts and alarms from stored facts. */
export async function analyseCommand(args: string[], io: CliIo): Promise<number> {
  let values: { from?: string; to?: string; mn?: string; db?: string };
  try {
    values = parseArgs({
      args,
      options: { ...DB_OPTION, from: { type: 'string' }, to: { type: 'string' }, mn: { type: 'string' } },
    }).values;
  } catch (error) {
    throw new QyError('QY_E_CLI_USAGE', { reason: (error as Error).message, usage: ANALYSIS_USAGE });
  }
  const from = timeOption('from', values.from);
  const to = timeOption('to', values.to);
  if (!(to > from)) throw new QyError('QY_E_CLI_USAGE', { reason: '--to must be after --from' });
  return withStore(databaseUrl(values.db), async (store) => {
    let query = store.db.selectFrom('monitoring_point').select(['id', 'mn']).orderBy('id');
    if (values.mn !== undefined) query = query.where('mn', '=', values.mn);
    const points = await query.execute();
    if (values.mn !== undefined && points.length === 0)
      throw new QyError('QY_E_CLI_INPUT', { reason: `no monitoring point has MN ${values.mn}` });
    // The province's anomaly thresholds as stored (built-in defaults when never set).
    const anomalies = await new AnomalyConfigSource(store).load();
    const started = performance.now();
    let days = 0;
    let alarms = 0;
    for (const point of points) {
      const context = await loadPointContext(store, Number(point.id));
      if (context === undefined) continue;
      for (const day of daysOf(from, to)) {
        const result = await analyseDay(store, context, day, DEFAULT_RULES, Date.now(), anomalies);
        days += 1;
        alarms += result.alarmsSaved;
      }
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    io.stdout.write(
      `analysed ${days} point-days (${points.length} points) in ${seconds} s with rules ${DEFAULT_RULES.version}; ${alarms} alarm episodes written\n`,
    );
    return 0;
  });
}
