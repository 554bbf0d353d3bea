import { encodeFrame } from '@qingyuan/hj212';
import { type DialectName, type Role, repositories, type Store, seedDemo } from '@qingyuan/store';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createTestStore } from '../../../store/test/dialects.js';
import { DEMO_PASSWORD, type DemoAccount, provisionDemoUsers } from '../../src/accounts/demo-users.js';
import type { AppConfig } from '../../src/http/app.js';
import { buildApp } from '../../src/http/app.js';

export const NOW = Date.UTC(2026, 10, 20, 4); // 2026-11-20 12:00 Beijing

/** Two enterprises every test can rely on: `home` is in every demo role's scope, `away` only in the province's. */
export interface ScopeIds {
  readonly home: SideIds;
  readonly away: SideIds;
}

export interface SideIds {
  readonly enterprise: number;
  readonly outlet: number;
  readonly point: number;
  readonly mn: string;
  readonly region: string;
  readonly alarm: number;
  readonly frame: number;
  readonly command: number;
  readonly mark: number;
  readonly manualRecord: number;
  readonly tipOff: number;
  /** The tip-off's receipt code (POST /public/tip-offs/lookup). */
  readonly tipReceipt: string;
  readonly permit: number | null;
  /** A contract (2026) of a contractor that is not a demo account's, covering the enterprise. */
  readonly contract: number;
}

export interface ApiFixture {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly accounts: Readonly<Record<Role, DemoAccount>>;
  readonly ids: ScopeIds;
  /** A logged-in client for a role, or the public. */
  client(role: Role | 'public'): Promise<ApiClient>;
  dispose(): Promise<void>;
}

export interface RequestOptions {
  readonly query?: Record<string, string>;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Leave out the CSRF header (tests of CSRF). */
  readonly noCsrf?: boolean;
}

/** `app.inject()` with a session cookie and its CSRF token, like a browser. */
export class ApiClient {
  readonly app: FastifyInstance;
  cookie: string | undefined;
  csrfToken: string | undefined;

  constructor(app: FastifyInstance) {
    this.app = app;
  }

  async login(username: string, password: string): Promise<LightMyRequestResponse> {
    const response = await this.request('POST', '/api/v1/auth/login', { body: { username, password } });
    const set = response.cookies.find((c) => c.name === 'qy_session');
    if (response.statusCode === 200 && set !== undefined) {
      this.cookie = `qy_session=${set.value}`;
      this.csrfToken = response.json().csrfToken;
    }
    return response;
  }

  request(method: string, url: string, options: RequestOptions = {}): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookie !== undefined) headers.cookie = this.cookie;
    if (this.csrfToken !== undefined && options.noCsrf !== true && method !== 'GET')
      headers['x-csrf-token'] = this.csrfToken;
    return this.app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(options.query ? { query: options.query } : {}),
      ...(options.body !== undefined ? { payload: options.body as object } : {}),
    });
  }

  get(url: string, query?: Record<string, string>): Promise<LightMyRequestResponse> {
    return this.request('GET', url, query ? { query } : {});
  }
}

/**
 * A demo registry (40 enterprises), the demo accounts of every role, and records of each kind on a `home`
 * enterprise (in every role's scope) and an `away` one (another city, no contract of the demo contractors).
 */
export async function apiFixture(dialect: DialectName, config: Partial<AppConfig> = {}): Promise<ApiFixture> {
  const { store, dispose } = await createTestStore(dialect);
  await seedDemo(store, { now: NOW, enterprises: 40 });
  const app = await buildApp({ store, now: () => NOW, ...config });
  const list = await provisionDemoUsers(store, app.services.accounts, NOW);
  const accounts = Object.fromEntries(list.map((a) => [a.role, a])) as Record<Role, DemoAccount>;
  const admin = await app.services.accounts.provision(
    { username: 'root.admin', displayName: '管理员', role: 'province_admin', regionCode: null },
    DEMO_PASSWORD,
  );
  accounts.province_admin = { ...admin, regionCode: null, enterpriseId: null, contractorId: null };
  const ids = await scopeIds(store, accounts);
  return {
    app,
    store,
    accounts,
    ids,
    async client(role) {
      const client = new ApiClient(app);
      if (role !== 'public') {
        const response = await client.login(accounts[role].username, DEMO_PASSWORD);
        if (response.statusCode !== 200) throw new Error(`login as ${role} failed: ${response.body}`);
      }
      return client;
    },
    async dispose() {
      await app.close();
      await dispose();
    },
  };
}

async function scopeIds(store: Store, accounts: Record<Role, DemoAccount>): Promise<ScopeIds> {
  const db = store.db;
  const home = accounts.enterprise.enterpriseId as number;
  const contractors = [accounts.om_contractor, accounts.inspection_unit, accounts.monitoring_operator].map(
    (a) => a.contractorId as number,
  );
  // Every demo contractor covers `home` (so each role has something in scope) and nothing in `away`.
  for (const contractorId of contractors) {
    await db
      .insertInto('contract')
      .values({
        contractor_id: contractorId,
        enterprise_id: home,
        point_id: null,
        scope: 'test',
        starts_on: '2026-01-01',
        ends_on: '2026-12-31',
      })
      .execute();
  }
  const away = await db
    .selectFrom('enterprise as e')
    .innerJoin('outlet as o', 'o.enterprise_id', 'e.id')
    .select('e.id')
    .where('e.region_code', 'not like', '4201%')
    .where(
      'e.id',
      'not in',
      db.selectFrom('contract').select('enterprise_id').where('contractor_id', 'in', contractors),
    )
    .orderBy('e.id')
    .executeTakeFirstOrThrow();
  // A contractor no demo account belongs to: its contracts (one per side) change nobody's scope.
  const other = await db
    .selectFrom('contractor')
    .select('id')
    .where('id', 'not in', contractors)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const sideOf = (enterpriseId: number) => side(store, enterpriseId, Number(other.id));
  return { home: await sideOf(home), away: await sideOf(Number(away.id)) };
}

async function side(store: Store, enterpriseId: number, contractorId: number): Promise<SideIds> {
  const db = store.db;
  const repos = repositories(store);
  const row = await db
    .selectFrom('enterprise as e')
    .innerJoin('outlet as o', 'o.enterprise_id', 'e.id')
    .innerJoin('monitoring_point as p', 'p.outlet_id', 'o.id')
    .select(['e.region_code', 'o.id as outlet', 'p.id as point', 'p.mn'])
    .where('e.id', '=', enterpriseId)
    .orderBy('p.id')
    .executeTakeFirstOrThrow();
  const point = Number(row.point);
  const alarm = await repos.alarms.save(
    {
      pointId: point,
      factorCode: null,
      type: 'offline',
      openedAt: NOW - 7_200_000,
      closedAt: null,
      peakValue: null,
      limitValue: null,
      detail: {},
      ruleVersion: 'test',
    },
    NOW,
  );
  const bytes = encodeFrame(
    `QN=20261120110000000;ST=31;CN=2011;PW=123456;MN=${row.mn};Flag=5;CP=&&DataTime=20261120110000;a21026-Rtd=12.5,a21026-Flag=N&&`,
  );
  const [frame] = await repos.rawFrames.append([
    {
      receivedAt: NOW - 3_600_000,
      peer: '10.0.0.1:5000',
      mn: row.mn,
      cn: '2011',
      qn: '20261120110000000',
      bytes,
      verdict: 'accepted',
    },
  ]);
  const command = await repos.downlinkCommands.create({
    pointId: point,
    mn: row.mn,
    command: 'get-time',
    cn: '1011',
    qn: '20261120110000001',
    params: {},
    purpose: 'operator',
    requestedBy: 'test',
    requestedAt: NOW - 3_600_000,
  });
  const mark = await repos.marks.create(
    {
      pointId: point,
      factorCode: '*',
      from: NOW - 86_400_000,
      to: NOW - 82_800_000,
      kind: 'stopped',
      origin: 'manual',
      reason: '停产检修',
      madeBy: 'test',
    },
    NOW - 3_600_000,
  );
  const manualRecord = await repos.manualRecords.create(
    {
      pointId: point,
      factorCode: 'a21026',
      period: 'hour',
      from: NOW - 86_400_000,
      value: 30,
      unit: 'mg/m3',
      method: 'HJ 75 手工比对',
      agency: '检测公司',
      sampledAt: NOW - 86_000_000,
      reportNo: 'R-1',
      filedBy: 'test',
    },
    NOW - 3_600_000,
  );
  // Routed to the enterprise's own region, so its county sees it too; with one attachment.
  const tipOff = await repos.tipOffs.create(
    {
      enterpriseId,
      regionCode: row.region_code,
      category: '超标排放',
      description: '夜间排放口冒黑烟，气味刺鼻。',
      attachments: [{ name: 'a.pdf', type: 'application/pdf', bytes: new Uint8Array([37, 80, 68, 70]) }],
    },
    NOW - 3_600_000,
  );
  const permit = await db
    .selectFrom('permit')
    .select('id')
    .where('enterprise_id', '=', enterpriseId)
    .executeTakeFirst();
  const contract = await db
    .insertInto('contract')
    .values({
      contractor_id: contractorId,
      enterprise_id: enterpriseId,
      point_id: null,
      scope: 'test',
      starts_on: '2026-01-01',
      ends_on: '2026-12-31',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    enterprise: enterpriseId,
    outlet: Number(row.outlet),
    point,
    mn: row.mn,
    region: row.region_code,
    alarm: Number(alarm.id),
    frame: (frame as { id: number }).id,
    command: Number(command.id),
    mark: Number(mark.id),
    manualRecord: Number(manualRecord.id),
    tipOff: Number(tipOff.id),
    tipReceipt: tipOff.receipt,
    permit: permit === undefined ? null : Number(permit.id),
    contract: Number(contract.id),
  };
}
