import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { type NewTipOff, TipOffRepository } from '../src/index.js';
import { describeEachDialect } from './dialects.js';
import { insertPoint } from './fixtures.js';
import { expectStoreError } from './registry-helpers.js';

const T0 = Date.UTC(2026, 10, 20, 4);

describeEachDialect('tip-offs (公众举报)', (store) => {
  const tip = (over: Partial<NewTipOff> = {}): NewTipOff => ({
    enterpriseId: null,
    regionCode: '420100',
    category: '超标排放',
    description: '夜间烟囱冒黑烟，气味刺鼻。',
    attachments: [],
    ...over,
  });

  it('stores a tip with its attachments, routed by region, and records its handling', async () => {
    const { enterpriseId } = await insertPoint(store());
    const repo = new TipOffRepository(store());
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0, 1, 2, 3]);
    const wuhan = await repo.create(
      tip({
        enterpriseId,
        contact: ' 138 ',
        attachments: [{ name: 'a.jpg', type: 'image/jpeg', bytes }],
        peer: '1.2.3.4',
      }),
      T0,
    );
    const yichang = await repo.create(tip({ regionCode: '420500', category: '其他' }), T0 + 1);
    expect(wuhan).toMatchObject({
      enterprise_id: enterpriseId,
      region_code: '420100',
      contact: '138',
      state: 'received',
      peer: '1.2.3.4',
      attachments: [
        {
          name: 'a.jpg',
          type: 'image/jpeg',
          size: 7,
          sha256: createHash('sha256').update(bytes).digest('hex'),
        },
      ],
    });
    expect(wuhan.receipt).toMatch(/^[A-Z2-9]{10}$/);
    expect(wuhan.receipt).not.toBe(yichang.receipt);
    expect(Array.from((await repo.attachment(wuhan.id, 0))?.bytes ?? [])).toEqual(Array.from(bytes));
    expect(await repo.attachment(wuhan.id, 1)).toBeUndefined();

    const ids = (list: { id: number }[]) =>
      list.map((t) => t.id).filter((id) => id === wuhan.id || id === yichang.id);
    expect(ids(await repo.list({ regionCode: '420100' }))).toEqual([wuhan.id]);
    expect(ids(await repo.list({ regionCode: '420000' }))).toEqual([yichang.id, wuhan.id]);
    expect(ids(await repo.list({ regionCode: null }))).toEqual([yichang.id, wuhan.id]);

    const handled = await repo.handle(wuhan.id, 'handled', 'user:7', '已现场核查', T0 + 10);
    expect(handled).toMatchObject({ state: 'handled', handled_by: 'user:7', note: '已现场核查' });
    expect(Number(handled.handled_at)).toBe(T0 + 10);
    expect(ids(await repo.list({ regionCode: null, state: 'received' }))).toEqual([yichang.id]);
  });

  it('finds a tip by its receipt code and lists tips received in a period', async () => {
    const repo = new TipOffRepository(store());
    const early = await repo.create(tip({ regionCode: '420600' }), T0 - 86_400_000);
    const late = await repo.create(tip({ regionCode: '420600' }), T0);
    expect((await repo.byReceipt(late.receipt))?.id).toBe(late.id);
    expect(await repo.byReceipt(late.receipt.toLowerCase())).toBeUndefined();
    expect(await repo.byReceipt('AAAAAAAAAA')).toBeUndefined();
    const ids = async (from?: number, to?: number) =>
      (
        await repo.list({
          regionCode: '420600',
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
        })
      ).map((t) => t.id);
    expect(await ids(T0 - 86_400_000, T0)).toEqual([early.id]);
    expect(await ids(T0)).toEqual([late.id]);
    expect(await ids(undefined, T0 + 1)).toEqual([late.id, early.id]);
  });

  it('keeps an internal note apart from the handling note: left as it is when not given, cleared with null', async () => {
    const repo = new TipOffRepository(store());
    const filed = await repo.create(tip(), T0);
    expect(filed.internal_note).toBeNull();
    const first = await repo.handle(filed.id, 'assigned', 'user:7', '已受理', T0 + 1, ' 转某分局核查 ');
    expect(first).toMatchObject({ note: '已受理', internal_note: '转某分局核查' });
    // Not given: kept; the handling note is replaced as before.
    const second = await repo.handle(filed.id, 'handled', 'user:7', '已办结', T0 + 2);
    expect(second).toMatchObject({ state: 'handled', note: '已办结', internal_note: '转某分局核查' });
    expect((await repo.byReceipt(filed.receipt))?.internal_note).toBe('转某分局核查');
    expect((await repo.list({ regionCode: '420100' })).find((t) => t.id === filed.id)).toMatchObject({
      internal_note: '转某分局核查',
    });
    expect(
      (await repo.handle(filed.id, 'handled', 'user:7', '已办结', T0 + 3, '  ')).internal_note,
    ).toBeNull();
    await repo.handle(filed.id, 'handled', 'user:7', '已办结', T0 + 4, '复查');
    expect((await repo.handle(filed.id, 'handled', 'user:7', null, T0 + 5, null)).internal_note).toBeNull();
  });

  it('rejects an unknown category or state and a missing tip', async () => {
    const repo = new TipOffRepository(store());
    await expectStoreError(repo.create(tip({ category: '噪音' as never }), T0), 'STORE_E_INVALID');
    const filed = await repo.create(tip(), T0);
    await expectStoreError(repo.handle(filed.id, 'closed' as never, 'user:1', null, T0), 'STORE_E_INVALID');
    await expectStoreError(repo.handle(999_999, 'handled', 'user:1', null, T0), 'STORE_E_NOT_FOUND');
  });
});
