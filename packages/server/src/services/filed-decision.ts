import type { RuleConfig } from '@qingyuan/domain';
import { StoreError } from '@qingyuan/store';
import type { Principal } from '../access/principal.js';
import { rejudgeDays } from '../analysis/rejudge.js';
import { QyError } from '../errors.js';
import type { ServiceContext } from './context.js';

/** What a filed record (a mark, a manual-monitoring record) holds that a decision on it touches. */
interface FiledRecord {
  readonly point_id: number | string;
  readonly from_at: number | string;
  readonly to_at: number | string;
  readonly state: string;
}

export interface FiledDecision<R extends FiledRecord> {
  /** The audit log's entity name and the conflict's (mark, manual-record). */
  readonly entity: string;
  readonly id: number;
  readonly before: R;
  /** The state asked for, named in the conflict when the store refuses the transition. */
  readonly state: string;
  /** The audit action (mark.approve, manual-record.reject…). */
  readonly action: string;
  /** Whether the record's days must be judged again (it now counts, or no longer counts). */
  readonly rejudge: boolean;
  /** The store's state change; STORE_E_INVALID (a transition from a decided state) becomes QY_E_CONFLICT. */
  readonly change: () => Promise<R>;
}

/**
 * One decision on a filed record, as marks and manual records share it: the state changed in the store,
 * written to the audit log with before and after, and, where the record's effect on validity changed,
 * the days of its point it covers re-judged (with the stored anomaly settings). Callers check access and
 * find the record in scope first.
 */
export async function decideFiled<R extends FiledRecord>(
  ctx: ServiceContext,
  rules: RuleConfig,
  principal: Principal,
  d: FiledDecision<R>,
): Promise<{ after: R; rejudgedDays: number }> {
  let after: R;
  try {
    after = await d.change();
  } catch (error) {
    if (error instanceof StoreError && error.code === 'STORE_E_INVALID')
      throw new QyError('QY_E_CONFLICT', {
        entity: d.entity,
        id: d.id,
        state: d.before.state,
        wanted: d.state,
      });
    throw error;
  }
  await ctx.audit.record(principal, d.action, d.entity, d.id, { before: d.before, after });
  const rejudgedDays = d.rejudge
    ? await rejudgeDays(
        ctx.store,
        Number(after.point_id),
        { from: Number(after.from_at), to: Number(after.to_at) },
        rules,
        ctx.now(),
        await ctx.anomalies.current(),
      )
    : 0;
  return { after, rejudgedDays };
}
