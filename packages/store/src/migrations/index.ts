import type { Migration, MigrationProvider } from 'kysely';
import type { DialectName } from '../dialect.js';
import { registry } from './0001-registry.js';
import { timeseries } from './0002-timeseries.js';
import { referenceData } from './0003-reference-data.js';
import { registryIndexes } from './0004-registry-indexes.js';
import { gateway } from './0005-gateway.js';
import { forwarding } from './0006-forwarding.js';
import { analysis } from './0007-analysis.js';
import { emissions } from './0008-emissions.js';
import { accounts } from './0009-accounts.js';
import { manualMonitoring } from './0010-manual-monitoring.js';
import { tipOffs } from './0011-tip-offs.js';
import { ruleSettings } from './0012-rule-settings.js';
import { internalNotesAndCancellations } from './0013-internal-notes-and-cancellations.js';
import { realtimeByTime } from './0014-realtime-by-time.js';
import { framesByDevice } from './0015-frames-by-device.js';
import { realtimePacks } from './0016-realtime-packs.js';
import { forwardIndexWithoutInList } from './0017-forward-index-without-in-list.js';
import { frameIndexFile } from './0018-frame-index-file.js';
import { realtimePacksByTime } from './0019-realtime-packs-by-time.js';

/**
 * The forward-only migration sequence, the same on both dialects (each migration branches only where the
 * SQL differs). Names sort in order; never rename or edit a released migration — add a new one.
 */
export function migrationProvider(dialect: DialectName): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        '0001-registry': registry(dialect),
        '0002-timeseries': timeseries(dialect),
        '0003-reference-data': referenceData(),
        '0004-registry-indexes': registryIndexes(),
        '0005-gateway': gateway(dialect),
        '0006-forwarding': forwarding(dialect),
        '0007-analysis': analysis(dialect),
        '0008-emissions': emissions(dialect),
        '0009-accounts': accounts(dialect),
        '0010-manual-monitoring': manualMonitoring(dialect),
        '0011-tip-offs': tipOffs(dialect),
        '0012-rule-settings': ruleSettings(dialect),
        '0013-internal-notes-and-cancellations': internalNotesAndCancellations(dialect),
        '0014-realtime-by-time': realtimeByTime(dialect),
        '0015-frames-by-device': framesByDevice(dialect),
        '0016-realtime-packs': realtimePacks(dialect),
        '0017-forward-index-without-in-list': forwardIndexWithoutInList(dialect),
        '0018-frame-index-file': frameIndexFile(dialect),
        '0019-realtime-packs-by-time': realtimePacksByTime(dialect),
      };
    },
  };
}
