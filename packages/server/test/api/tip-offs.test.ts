import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../store/test/dialects.js';
import { publicPrincipal } from '../../src/access/principal.js';
import { DEMO_PASSWORD } from '../../src/accounts/demo-users.js';
import { auditRows } from './data-helpers.js';
import { ApiClient, type ApiFixture, apiFixture } from './harness.js';

const URL = '/api/v1/public/tip-offs';
const PDF = Buffer.from('%PDF-1.4 举报材料');

interface Tip {
  id: number;
  region_code: string;
  enterprise_id: number | null;
  receipt: string;
  state: string;
  attachments: { name: string; type: string; size: number; sha256: string }[];
}

for (const dialect of TEST_DIALECTS) {
  describe(`tip-offs API [${dialect}]`, () => {
    let fixture: ApiFixture;
    let wuhanEnterprise: number;
    /** An authority of another city (宜昌, 420500). */
    let yichang: ApiClient;
    beforeAll(async () => {
      fixture = await apiFixture(dialect, { sessionPolicy: { loginsPerPeerPerMinute: 1000 } });
      const row = await fixture.store.db
        .selectFrom('enterprise')
        .select('id')
        .where('region_code', 'like', '4201%')
        .where('region_code', '!=', '420100')
        .where('status', '=', 'active')
        .orderBy('id')
        .executeTakeFirstOrThrow();
      wuhanEnterprise = Number(row.id);
      await fixture.app.services.accounts.provision(
        { username: 'yichang.city', displayName: '宜昌市生态环境局', role: 'city', regionCode: '420500' },
        DEMO_PASSWORD,
      );
      yichang = new ApiClient(fixture.app);
      expect((await yichang.login('yichang.city', DEMO_PASSWORD)).statusCode).toBe(200);
    }, 120_000);
    afterAll(async () => fixture?.dispose());

    /** Files from a given peer address (the limit is per address). */
    const file = (body: Record<string, unknown>, remoteAddress: string) =>
      fixture.app.inject({ method: 'POST', url: URL, payload: body, remoteAddress });
    const tip = (over: Record<string, unknown> = {}) => ({
      enterpriseId: wuhanEnterprise,
      category: '数据造假',
      description: '在线监测设备长期显示不变的数值，疑似篡改。',
      ...over,
    });
    const tips = async (client: ApiClient) => (await client.get('/api/v1/tip-offs')).json() as Tip[];

    it('files a tip with an attachment, routed to the enterprise’s city, seen there only; handling is audited', async () => {
      const filed = await file(
        tip({
          contact: '13800000000',
          attachments: [{ name: '证据.pdf', type: 'application/pdf', dataBase64: PDF.toString('base64') }],
        }),
        '10.1.0.1',
      );
      expect(filed.statusCode).toBe(201);
      const { receipt } = filed.json();
      expect(receipt).toMatch(/^[A-Z2-9]{10}$/);

      const city = await fixture.client('city');
      const seen = (await tips(city)).find((t) => t.receipt === receipt) as Tip;
      expect(seen).toMatchObject({
        enterprise_id: wuhanEnterprise,
        region_code: '420100',
        state: 'received',
      });
      expect(seen.attachments).toEqual([
        {
          name: '证据.pdf',
          type: 'application/pdf',
          size: PDF.length,
          sha256: createHash('sha256').update(PDF).digest('hex'),
        },
      ]);
      expect((await tips(yichang)).map((t) => t.receipt)).not.toContain(receipt);
      expect((await yichang.get(`/api/v1/tip-offs/${seen.id}/attachments/0`)).statusCode).toBe(404);
      const province = await fixture.client('province');
      expect((await tips(province)).map((t) => t.receipt)).toContain(receipt);

      const attachment = await city.get(`/api/v1/tip-offs/${seen.id}/attachments/0`);
      expect(attachment.statusCode).toBe(200);
      expect(attachment.headers['content-type']).toBe('application/pdf');
      expect(Buffer.from(attachment.rawPayload).equals(PDF)).toBe(true);
      expect((await city.get(`/api/v1/tip-offs/${seen.id}/attachments/1`)).statusCode).toBe(404);

      const filing = await auditRows(fixture.store, 'tip_off.file', seen.id);
      expect(filing).toHaveLength(1);
      expect(filing[0]).toMatchObject({ actor: 'public', peer: '10.1.0.1' });

      const other = await yichang.request('POST', `/api/v1/tip-offs/${seen.id}/handling`, {
        body: { state: 'handled' },
      });
      expect(other.statusCode).toBe(404);
      const handled = await city.request('POST', `/api/v1/tip-offs/${seen.id}/handling`, {
        body: { state: 'handled', note: '已现场核查' },
      });
      expect(handled.statusCode).toBe(200);
      expect(handled.json()).toMatchObject({ state: 'handled', note: '已现场核查' });
      const audit = await auditRows(fixture.store, 'tip_off.handle', seen.id);
      expect(audit).toHaveLength(1);
      expect(JSON.parse(String(audit[0]?.after_json))).toMatchObject({ state: 'handled' });
      expect(JSON.parse(String(audit[0]?.before_json))).toMatchObject({ state: 'received' });

      // The public and enterprises cannot read tips.
      expect((await (await fixture.client('public')).get('/api/v1/tip-offs')).statusCode).toBe(401);
      expect((await (await fixture.client('enterprise')).get('/api/v1/tip-offs')).statusCode).toBe(403);
    });

    it('routes a tip about a place to that place’s city', async () => {
      const filed = await file(
        { regionCode: '420502', category: '其他', description: '河边有一个暗管在夜间排放污水。' },
        '10.1.0.2',
      );
      expect(filed.statusCode).toBe(201);
      const { receipt } = filed.json();
      expect((await tips(yichang)).find((t) => t.receipt === receipt)).toMatchObject({
        region_code: '420500',
        enterprise_id: null,
      });
      expect((await tips(await fixture.client('city'))).map((t) => t.receipt)).not.toContain(receipt);
    });

    it('accepts three attachments of the largest size (a body over the app-wide 1 MiB)', async () => {
      const largest = Buffer.alloc(300 * 1024, 7).toString('base64');
      const three = [1, 2, 3].map((n) => ({ name: `p${n}.png`, type: 'image/png', dataBase64: largest }));
      const filed = await file(tip({ attachments: three }), '10.1.0.20');
      expect(filed.statusCode).toBe(201);
    });

    it('refuses large or wrong attachments, unpublished enterprises and bad bodies', async () => {
      const big = Buffer.alloc(300 * 1024 + 1).toString('base64');
      const tooBig = await file(
        tip({ attachments: [{ name: 'a.png', type: 'image/png', dataBase64: big }] }),
        '10.1.0.3',
      );
      expect(tooBig.statusCode).toBe(400);
      // The service checks the decoded size too (whatever the transport let through).
      await expect(
        fixture.app.services.public.tipOffs.file(publicPrincipal('10.1.0.4'), {
          enterpriseId: wuhanEnterprise,
          category: '其他',
          description: '一条附件过大的举报内容。',
          attachments: [{ name: 'a.png', type: 'image/png', dataBase64: big }],
        }),
      ).rejects.toMatchObject({ code: 'QY_E_PAYLOAD_TOO_LARGE' });
      const badType = await file(
        tip({ attachments: [{ name: 'a.exe', type: 'application/x-msdownload', dataBase64: 'TVo=' }] }),
        '10.1.0.3',
      );
      expect(badType.statusCode).toBe(400);
      expect((await file(tip({ description: '太短' }), '10.1.0.3')).statusCode).toBe(400);
      expect((await file(tip({ category: '噪音' }), '10.1.0.3')).statusCode).toBe(400);
      const four = Array.from({ length: 4 }, () => ({
        name: 'a.png',
        type: 'image/png',
        dataBase64: 'AAAA',
      }));
      expect((await file(tip({ attachments: four }), '10.1.0.3')).statusCode).toBe(400);
      const noPlace = await file(
        { category: '其他', description: '没有说明地点的一条举报内容。' },
        '10.1.0.3',
      );
      expect(noPlace.statusCode).toBe(400);
      const { away } = fixture.ids;
      await fixture.store.db
        .updateTable('enterprise')
        .set({ status: 'closed' })
        .where('id', '=', away.enterprise)
        .execute();
      const closed = await file(tip({ enterpriseId: away.enterprise }), '10.1.0.3');
      expect(closed.statusCode).toBe(404);
      await fixture.store.db
        .updateTable('enterprise')
        .set({ status: 'active' })
        .where('id', '=', away.enterprise)
        .execute();
    });

    it('the filer looks a tip up by its receipt: state and handling note only; codes cannot be tried in bulk', async () => {
      const lookup = (receipt: string, remoteAddress: string) =>
        fixture.app.inject({
          method: 'POST',
          url: `${URL}/lookup`,
          payload: { receipt },
          remoteAddress,
        });
      const filed = await file(tip({ contact: '13900000000' }), '10.1.0.30');
      const { receipt } = filed.json() as { receipt: string };
      const received = await lookup(receipt, '10.1.0.31');
      expect(received.statusCode).toBe(200);
      const seen = received.json();
      expect(seen).toMatchObject({
        receipt,
        category: '数据造假',
        regionName: '武汉市',
        state: 'received',
        handledAt: null,
        note: null,
      });
      expect(typeof seen.enterpriseName).toBe('string');
      expect(Object.keys(seen).sort()).toEqual(
        [
          'category',
          'enterpriseName',
          'handledAt',
          'note',
          'receipt',
          'receivedAt',
          'regionName',
          'state',
        ].sort(),
      );
      expect(received.body).not.toContain('13900000000');
      expect(received.body).not.toContain('篡改');

      const city = await fixture.client('city');
      const id = ((await tips(city)).find((t) => t.receipt === receipt) as Tip).id;
      await city.request('POST', `/api/v1/tip-offs/${id}/handling`, {
        body: { state: 'handled', note: '已责令企业整改。' },
      });
      // Case, spaces and dashes do not matter.
      const spaced = `${receipt.slice(0, 5).toLowerCase()} - ${receipt.slice(5)}`;
      const handled = (await lookup(spaced, '10.1.0.31')).json();
      expect(handled).toMatchObject({ state: 'handled', note: '已责令企业整改。' });
      expect(handled.handledAt).toBeGreaterThan(0);
      expect(JSON.stringify(handled)).not.toMatch(/city|demo\./);

      // Unknown and malformed codes; the id is no receipt.
      const unknown = await lookup('ABCDEFGHJK', '10.1.0.31');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('QY_E_NOT_FOUND');
      expect((await lookup(String(id), '10.1.0.31')).statusCode).toBe(400);
      // 30 look-ups per hour per address (found or not).
      for (let i = 0; i < 26; i++) expect((await lookup('ABCDEFGHJK', '10.1.0.32')).statusCode).toBe(404);
      for (let i = 0; i < 4; i++) expect((await lookup(receipt, '10.1.0.32')).statusCode).toBe(200);
      const over = await lookup(receipt, '10.1.0.32');
      expect(over.statusCode).toBe(429);
      expect(over.json().error.code).toBe('QY_E_RATE_LIMITED');
      expect((await lookup(receipt, '10.1.0.33')).statusCode).toBe(200);
    });

    it('keeps the internal note for the authorities: listed, exported and audited, never in the filer’s lookup', async () => {
      const lookup = (receipt: string) =>
        fixture.app.inject({
          method: 'POST',
          url: `${URL}/lookup`,
          payload: { receipt },
          remoteAddress: '10.1.0.40',
        });
      const { receipt } = (await file(tip(), '10.1.0.41')).json() as { receipt: string };
      const city = await fixture.client('city');
      const id = ((await tips(city)).find((t) => t.receipt === receipt) as Tip).id;
      const secret = '内部：企业负责人系区人大代表，注意回避';
      const handled = await city.request('POST', `/api/v1/tip-offs/${id}/handling`, {
        body: { state: 'assigned', note: '已转交分局核查。', internalNote: ` ${secret} ` },
      });
      expect(handled.statusCode, handled.body).toBe(200);
      expect(handled.json()).toMatchObject({
        state: 'assigned',
        note: '已转交分局核查。',
        internal_note: secret,
      });
      expect((await tips(city)).find((t) => t.id === id)).toMatchObject({ internal_note: secret });
      const province = await fixture.client('province');
      expect((await tips(province)).find((t) => t.id === id)).toMatchObject({ internal_note: secret });
      const exported = await city.get('/api/v1/tip-offs', { format: 'csv' });
      expect(exported.statusCode).toBe(200);
      expect(exported.body).toContain('内部备注');
      expect(exported.body).toContain(secret);

      // The filer sees the handling note, never the internal one.
      const seen = await lookup(receipt);
      expect(seen.statusCode).toBe(200);
      expect(seen.json()).toMatchObject({ state: 'assigned', note: '已转交分局核查。' });
      expect(Object.keys(seen.json())).not.toContain('internalNote');
      expect(Object.keys(seen.json())).not.toContain('internal_note');
      expect(seen.body).not.toContain('人大代表');
      // Nor through the service, whatever the route serializes.
      const status = await fixture.app.services.public.tipOffs.lookup(publicPrincipal('10.1.0.42'), receipt);
      expect(JSON.stringify(status)).not.toContain('人大代表');

      // A handling without internalNote leaves it; null clears it.
      const closed = await city.request('POST', `/api/v1/tip-offs/${id}/handling`, {
        body: { state: 'handled', note: '核查属实，已责令整改。' },
      });
      expect(closed.json()).toMatchObject({ state: 'handled', internal_note: secret });
      expect((await lookup(receipt)).body).not.toContain('人大代表');
      const cleared = await city.request('POST', `/api/v1/tip-offs/${id}/handling`, {
        body: { state: 'handled', note: '核查属实，已责令整改。', internalNote: null },
      });
      expect(cleared.json()).toMatchObject({ internal_note: null });
      const tooLong = await city.request('POST', `/api/v1/tip-offs/${id}/handling`, {
        body: { state: 'handled', internalNote: 'x'.repeat(2001) },
      });
      expect(tooLong.statusCode).toBe(400);

      // Each change is audited with the internal note before and after.
      const audit = await auditRows(fixture.store, 'tip_off.handle', id);
      expect(audit).toHaveLength(3);
      const parse = (json: unknown) => JSON.parse(String(json)) as { internal_note: string | null };
      expect(parse(audit[0]?.before_json).internal_note).toBeNull();
      expect(parse(audit[0]?.after_json).internal_note).toBe(secret);
      expect(parse(audit[1]?.after_json).internal_note).toBe(secret);
      expect(parse(audit[2]?.before_json).internal_note).toBe(secret);
      expect(parse(audit[2]?.after_json).internal_note).toBeNull();
    });

    it('lists tips received in a period, with the enterprise’s and the city’s names', async () => {
      const city = await fixture.client('city');
      const all = await tips(city);
      expect(all.length).toBeGreaterThan(1);
      const newest = all[0] as Tip & {
        received_at: number;
        enterprise_name: string | null;
        region_name: string;
      };
      expect(newest.region_name).toBe('武汉市');
      if (newest.enterprise_id !== null) expect(typeof newest.enterprise_name).toBe('string');
      const at = Number(newest.received_at);
      const after = (await city.get('/api/v1/tip-offs', { from: String(at + 1) })).json() as Tip[];
      expect(after).toEqual([]);
      const before = (await city.get('/api/v1/tip-offs', { to: String(at) })).json() as Tip[];
      expect(before.map((t) => t.id)).not.toContain(newest.id);
      expect(before.length).toBeGreaterThan(0);
      const within = (
        await city.get('/api/v1/tip-offs', { from: String(at), to: String(at + 1) })
      ).json() as Tip[];
      expect(within.map((t) => t.id)).toContain(newest.id);
    });

    it('limits filings to 5 per hour per address', async () => {
      for (let i = 0; i < 5; i++) expect((await file(tip(), '10.1.0.9')).statusCode).toBe(201);
      const sixth = await file(tip(), '10.1.0.9');
      expect(sixth.statusCode).toBe(429);
      expect(sixth.json().error.code).toBe('QY_E_RATE_LIMITED');
      expect((await file(tip(), '10.1.0.10')).statusCode).toBe(201);
    });
  });
}
