import { ROLES, type Role } from '@qingyuan/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../store/test/dialects.js';
import { ROLE_PERMISSIONS } from '../../src/access/roles.js';
import { API_PREFIX } from '../../src/http/app.js';
import type { RouteResource, RouteSpec } from '../../src/http/route.js';
import { API_ROUTES } from '../../src/http/routes/index.js';
import { type ApiClient, type ApiFixture, apiFixture, type SideIds } from './harness.js';

const CALLERS: readonly (Role | 'public')[] = [...ROLES, 'public'];
/** Resources whose records belong to an enterprise: outside the caller's scope they do not exist. */
const SCOPED: ReadonlySet<RouteResource> = new Set([
  'enterprise',
  'outlet',
  'point',
  'region',
  'alarm',
  'frame',
  'command',
  'mark',
  'manualRecord',
  'tipOff',
  'permit',
  'contract',
]);
/** Roles that see `away` too (the province and its administrator see the whole province). */
const PROVINCE_WIDE: ReadonlySet<string> = new Set(['province_admin', 'province']);
const DENIED = new Set(['QY_E_UNAUTHENTICATED', 'QY_E_FORBIDDEN']);

const routeName = (r: RouteSpec) => `${r.method} ${r.url}`;

describe('route table completeness', () => {
  it('every route names what its ids are and gives a valid example body and query', () => {
    for (const r of API_ROUTES) {
      if (r.url.includes(':id')) expect(r.resource, `${routeName(r)} has :id but no resource`).toBeDefined();
      if (r.body !== undefined) expect(r.example, `${routeName(r)} has a body but no example`).toBeDefined();
      const required = (r.query as { required?: string[] } | undefined)?.required ?? [];
      if (required.length > 0)
        expect(r.exampleQuery, `${routeName(r)} has required query fields but no exampleQuery`).toBeDefined();
    }
    const names = API_ROUTES.map(routeName);
    expect(new Set(names).size, 'a route is defined twice').toBe(names.length);
  });
});

for (const dialect of TEST_DIALECTS) {
  describe(`authorization matrix [${dialect}]`, () => {
    let fixture: ApiFixture;
    const clients = new Map<string, ApiClient>();
    beforeAll(async () => {
      fixture = await apiFixture(dialect, { sessionPolicy: { loginsPerPeerPerMinute: 1000 } });
      for (const caller of CALLERS) clients.set(caller, await fixture.client(caller));
    }, 120_000);
    afterAll(async () => fixture?.dispose());

    it('no route escapes the route table', () => {
      const tabled = new Set(fixture.app.apiRoutes.map((r) => `${r.method} ${API_PREFIX}${r.url}`));
      const untabled = fixture.app.registeredRoutes.filter(
        (r) => r.split(' ')[1]?.startsWith('/api/v1') && !r.startsWith('HEAD ') && !tabled.has(r),
      );
      expect(untabled).toEqual([]);
    });

    /** The id that `resource` means on one side, for the caller (tokens: one of their own, or someone else's). */
    async function idFor(
      resource: RouteResource,
      side: SideIds,
      caller: Role | 'public',
      own: boolean,
    ): Promise<number | string> {
      switch (resource) {
        case 'enterprise':
        case 'outlet':
        case 'point':
        case 'alarm':
        case 'frame':
        case 'command':
        case 'mark':
        case 'manualRecord':
        case 'tipOff':
          return side[resource];
        case 'permit':
          return side.permit ?? 999_999;
        case 'contract':
          return side.contract;
        case 'region':
          return side.region;
        case 'standard': {
          const row = await fixture.store.db
            .selectFrom('emission_standard')
            .select('id')
            .orderBy('id')
            .executeTakeFirstOrThrow();
          return Number(row.id);
        }
        case 'contractor':
          return fixture.accounts.om_contractor.contractorId as number;
        case 'user': {
          const { user } = await fixture.app.services.accounts.createUser(adminPrincipal(), {
            username: `target.${Math.random().toString(36).slice(2, 10)}`,
            displayName: '目标',
            role: 'county',
            regionCode: fixture.ids.home.region,
          });
          return user.id;
        }
        case 'token': {
          // Someone else's token: the city's (or, for the city, the county's).
          const other = caller === 'city' ? fixture.accounts.county : fixture.accounts.city;
          const owner = own && caller !== 'public' ? fixture.accounts[caller].username : other.username;
          const user = await fixture.store.db
            .selectFrom('user_account')
            .select('id')
            .where('username', '=', owner)
            .executeTakeFirstOrThrow();
          const token = await fixture.app.services.accounts.createToken(
            {
              ...adminPrincipal(),
              userId: Number(user.id),
              permissions: new Set(['public.read', 'self.manage']),
            },
            { name: 't', permissions: ['public.read'] },
          );
          return token.view.id;
        }
      }
    }

    function adminPrincipal() {
      return {
        kind: 'user' as const,
        userId: 0,
        username: 'matrix',
        role: 'province_admin' as const,
        regionCode: null,
        enterpriseId: null,
        contractorId: null,
        permissions: new Set(ROLE_PERMISSIONS.province_admin),
      };
    }

    async function call(route: RouteSpec, caller: Role | 'public', side: SideIds, own: boolean) {
      const client = clients.get(caller) as ApiClient;
      const id = route.resource === undefined ? undefined : await idFor(route.resource, side, caller, own);
      const ids = {
        ...side,
        cityRegion: `${fixture.ids.home.region.slice(0, 4)}00`,
        ...(id === undefined ? {} : { id }),
      } as Record<string, number | string>;
      const url =
        API_PREFIX +
        route.url
          .replace(':id', String(id))
          .replace(':mn', side.mn)
          .replace(':code', side.region)
          .replace(':n', '0');
      const response = await client.request(route.method, url, {
        ...(route.example ? { body: route.example(ids) } : {}),
        ...(route.exampleQuery ? { query: route.exampleQuery(ids) } : {}),
      });
      if (route.url === '/auth/logout' && caller !== 'public')
        clients.set(caller, await fixture.client(caller));
      const code = response.headers['content-type']?.toString().includes('json')
        ? (response.json()?.error?.code as string | undefined)
        : undefined;
      return { status: response.statusCode, code, body: response.body };
    }

    for (const route of API_ROUTES) {
      it(`${routeName(route)}: allowed exactly for the roles with ${route.permission}, in scope only`, async () => {
        const problems: string[] = [];
        for (const caller of CALLERS) {
          const permitted =
            caller === 'public'
              ? route.permission === 'public.read'
              : ROLE_PERMISSIONS[caller].includes(route.permission);
          const inScope = await call(route, caller, fixture.ids.home, true);
          const denied = inScope.code !== undefined && DENIED.has(inScope.code);
          if (permitted && (denied || inScope.code === 'QY_E_NOT_FOUND' || inScope.status >= 500))
            problems.push(
              `${caller}: expected allowed, got ${inScope.status} ${inScope.code ?? ''} ${inScope.body.slice(0, 200)}`,
            );
          if (!permitted && !denied)
            problems.push(`${caller}: expected denied, got ${inScope.status} ${inScope.code ?? ''}`);
          const scoped =
            route.resource !== undefined && (SCOPED.has(route.resource) || route.resource === 'token');
          // The province sees the whole province; only its administrator may revoke others' tokens.
          const seesAway =
            route.resource === 'token'
              ? caller === 'province_admin'
              : // The public portal publishes every active enterprise, to everyone.
                PROVINCE_WIDE.has(caller) || route.permission === 'public.read';
          if (permitted && scoped && !seesAway) {
            const away = await call(route, caller, fixture.ids.away, false);
            if (away.code !== 'QY_E_NOT_FOUND')
              problems.push(
                `${caller}: out-of-scope id expected not found, got ${away.status} ${away.code ?? ''}`,
              );
          }
        }
        expect(problems).toEqual([]);
      }, 60_000);
    }
  });
}
