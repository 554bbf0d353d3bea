import type { Mark } from '@qingyuan/domain';
import { MarkRepository, type Store } from '@qingyuan/store';

/** A point's approved marks overlapping [from, to), as the rules read them. */
export async function approvedMarks(
  store: Store,
  pointId: number,
  from: number,
  to: number,
): Promise<Mark[]> {
  return (await new MarkRepository(store).overlapping(pointId, from, to)).map((m) => ({
    factor: m.factor_code,
    from: Number(m.from_at),
    to: Number(m.to_at),
    kind: m.kind,
    origin: m.origin,
    approved: m.state === 'approved',
    madeAt: Number(m.made_at),
  }));
}
