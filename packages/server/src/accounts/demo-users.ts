import { beijingDay, type ContractorKind, contractInForce, type Role, type Store } from '@qingyuan/store';
import type { AccountService } from './account-service.js';

/** The demo accounts' shared password (demo mode only; printed at start and shown on the login page). */
export const DEMO_PASSWORD = 'Qingyuan@2026';

export interface DemoAccount {
  readonly username: string;
  readonly role: Role;
  readonly displayName: string;
  readonly regionCode: string | null;
  readonly enterpriseId: number | null;
  readonly contractorId: number | null;
}

/**
 * Picks one account per role from the demo registry so that every role sees something: the province,
 * Wuhan (420100), the county with the most enterprises in Wuhan, its first enterprise, the O&M contractor
 * in force for that enterprise, and the first inspection and intelligent-monitoring contractors.
 */
export async function demoAccounts(store: Store, now: number): Promise<DemoAccount[]> {
  const db = store.db;
  const today = beijingDay(now);
  const county = await db
    .selectFrom('enterprise as e')
    .innerJoin('region as r', 'r.code', 'e.region_code')
    .select(['r.code', 'r.name', (eb) => eb.fn.countAll<number>().as('n')])
    .where('r.parent_code', '=', '420100')
    .groupBy(['r.code', 'r.name'])
    .orderBy('n', 'desc')
    .orderBy('r.code')
    .executeTakeFirst();
  const enterprise = await db
    .selectFrom('enterprise')
    .select(['id', 'name'])
    .$if(county !== undefined, (q) => q.where('region_code', '=', county?.code as string))
    .orderBy('id')
    .executeTakeFirst();
  const contractorOf = async (kind: ContractorKind, enterpriseId?: number) =>
    db
      .selectFrom('contractor as c')
      .leftJoin('contract as k', 'k.contractor_id', 'c.id')
      .select(['c.id', 'c.name'])
      .where('c.kind', '=', kind)
      .$if(enterpriseId !== undefined, (q) =>
        q
          .where('k.enterprise_id', '=', enterpriseId as number)
          .where((eb) => contractInForce(eb, today, 'k')),
      )
      .orderBy('c.id')
      .executeTakeFirst();
  const accounts: DemoAccount[] = [
    account('province', 'province', '湖北省生态环境厅', { regionCode: '420000' }),
    account('wuhan', 'city', '武汉市生态环境局', { regionCode: '420100' }),
  ];
  if (county !== undefined)
    accounts.push(account('county', 'county', `${county.name}分局`, { regionCode: county.code }));
  if (enterprise !== undefined) {
    accounts.push(
      account('enterprise', 'enterprise', enterprise.name, { enterpriseId: Number(enterprise.id) }),
    );
    const om = (await contractorOf('om', Number(enterprise.id))) ?? (await contractorOf('om'));
    if (om !== undefined)
      accounts.push(account('om', 'om_contractor', om.name, { contractorId: Number(om.id) }));
  }
  const inspection = await contractorOf('inspection');
  if (inspection !== undefined)
    accounts.push(
      account('inspection', 'inspection_unit', inspection.name, { contractorId: Number(inspection.id) }),
    );
  const operator = await contractorOf('intelligent-monitoring');
  if (operator !== undefined)
    accounts.push(
      account('operator', 'monitoring_operator', operator.name, { contractorId: Number(operator.id) }),
    );
  return accounts;
}

function account(
  username: string,
  role: Role,
  displayName: string,
  binding: { regionCode?: string; enterpriseId?: number; contractorId?: number },
): DemoAccount {
  return {
    username: `demo.${username}`,
    role,
    displayName,
    regionCode: binding.regionCode ?? null,
    enterpriseId: binding.enterpriseId ?? null,
    contractorId: binding.contractorId ?? null,
  };
}

/** Creates the demo accounts that do not exist yet (password DEMO_PASSWORD); returns them all. */
export async function provisionDemoUsers(
  store: Store,
  accounts: AccountService,
  now: number,
): Promise<DemoAccount[]> {
  const list = await demoAccounts(store, now);
  for (const a of list) await accounts.provision(a, DEMO_PASSWORD);
  return list;
}
