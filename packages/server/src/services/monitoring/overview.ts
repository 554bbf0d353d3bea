import { DAY_MS, dayStart, EXCEEDANCE_ALARMS } from '@qingyuan/domain';
import type { RegionView } from '@qingyuan/store';
import { AUTHORITY_ROLES } from '../../access/roles.js';
import type { Scope } from '../../access/scope.js';
import { QyError } from '../../errors.js';
import type { ServiceContext } from '../context.js';
import { pointPresence } from './live.js';
import { chunks, exceeding, type PointMeta, pointFactors, pointMeta, pointMetaQuery } from './points.js';

/** Points per query of their latest values (a few thousand point × factor pairs). */
const LATEST_SLICE = 500;

/** An enterprise's state on the overview map (see `enterpriseState`). */
export type EnterpriseState = 'normal' | 'exceeding' | 'anomaly' | 'offline' | 'stopped';
export const ENTERPRISE_STATES: readonly EnterpriseState[] = [
  'normal',
  'exceeding',
  'anomaly',
  'offline',
  'stopped',
];

export interface OverviewEnterprise {
  readonly id: number;
  readonly name: string;
  readonly regionCode: string;
  /** WGS-84 degrees as registered; null when the enterprise has no coordinates (not on the map). */
  readonly longitude: number | null;
  readonly latitude: number | null;
  readonly state: EnterpriseState;
}

/** The figures of the overview page, all within the caller's scope. */
export interface OverviewFigures {
  readonly enterprises: number;
  readonly points: number;
  /** Points whose status is 'running' (the base of the online rate). */
  readonly running: number;
  /** Running points online now. */
  readonly online: number;
  /** Open alarm episodes, in all and by type (types with none are left out). */
  readonly openAlarms: number;
  readonly openByType: readonly { readonly type: string; readonly open: number }[];
  /** Hourly and daily exceedance episodes opened today (Beijing day), open or closed since. */
  readonly exceedancesToday: number;
}

export interface Overview {
  readonly at: number;
  /**
   * The region the answer covers (the query's, else `root`): its enterprises and figures are those of the
   * region's subtree within the caller's scope. Null when no region is known (an empty registry).
   */
  readonly region: string | null;
  /** Where the caller's drill-down starts: its own region (authorities), else the smallest holding its enterprises. */
  readonly root: string | null;
  /** `root` and every region below it (GB/T 2260), by code: names and parents for the drill-down. */
  readonly regions: readonly RegionView[];
  readonly figures: OverviewFigures;
  /** Every enterprise in scope (and in `region`), by id; no factor values (GET /live has them). */
  readonly enterprises: readonly OverviewEnterprise[];
}

/** Open alarm types that make an enterprise 'exceeding': the exceedances (not their early warnings). */
export const EXCEEDANCES: ReadonlySet<string> = new Set(
  EXCEEDANCE_ALARMS.filter((t) => t.endsWith('-exceedance')),
);
/** Open alarm types that do not make an enterprise 'anomaly': early warnings, and 'offline' (its own state). */
export const NOT_ANOMALIES: ReadonlySet<string> = new Set([
  ...EXCEEDANCE_ALARMS.filter((t) => t.endsWith('-early-warning')),
  'offline',
]);

/** What the state of one enterprise is derived from. */
export interface EnterpriseFacts {
  /** The enterprise's registry status ('active', 'suspended', 'closed'). */
  readonly status: string;
  /** Its points in scope whose status is 'running'. */
  readonly running: number;
  /** Of those, how many are online now. */
  readonly online: number;
  /** Whether a running point's latest real-time value is outside its limit (GET /live `exceeding`). */
  readonly valueExceeding: boolean;
  /** Types of the open alarm episodes of its points in scope. */
  readonly openAlarmTypes: ReadonlySet<string>;
}

/**
 * The first that holds: 'stopped' (not active, or no point running), 'exceeding' (an open hourly or daily
 * exceedance episode, or a latest real-time value outside its limit), 'anomaly' (another open episode,
 * early warnings and 'offline' aside), 'offline' (no running point online), else 'normal'.
 */
export function enterpriseState(facts: EnterpriseFacts): EnterpriseState {
  if (facts.status !== 'active' || facts.running === 0) return 'stopped';
  const types = [...facts.openAlarmTypes];
  if (facts.valueExceeding || types.some((t) => EXCEEDANCES.has(t))) return 'exceeding';
  if (types.some((t) => !NOT_ANOMALIES.has(t))) return 'anomaly';
  if (facts.online === 0) return 'offline';
  return 'normal';
}

/** The enterprises and points an overview counts: a scope's, narrowed to a region's subtree when given. */
export interface OverviewSubject {
  readonly enterpriseIds: ReturnType<Scope['enterpriseIds']>;
  readonly pointIds: ReturnType<Scope['pointIds']>;
}

/** The drill-down's regions for a caller: where it starts (`root`) and every region below it. */
export interface RegionFrame {
  readonly root: string | null;
  readonly regions: readonly RegionView[];
  /** `code` and the codes below it, within the frame. */
  subtree(code: string): string[];
}

/**
 * Where a caller's drill-down starts: an authority's own region (the whole province without one), anyone
 * else's the smallest region holding all its enterprises (the province when they are in several cities).
 */
export async function regionFrame(ctx: ServiceContext, scope: Scope): Promise<RegionFrame> {
  const db = ctx.store.db;
  const all = (await db.selectFrom('region').selectAll().orderBy('code').execute()).map((r) => ({
    code: r.code,
    name: r.name,
    level: r.level,
    parentCode: r.parent_code,
  }));
  const byCode = new Map(all.map((r) => [r.code, r]));
  const children = new Map<string, RegionView[]>();
  for (const r of all)
    if (r.parentCode !== null) children.set(r.parentCode, [...(children.get(r.parentCode) ?? []), r]);
  const pathOf = (code: string): string[] => {
    const path: string[] = [];
    for (
      let at = byCode.get(code);
      at !== undefined;
      at = at.parentCode === null ? undefined : byCode.get(at.parentCode)
    )
      path.unshift(at.code);
    return path;
  };
  const { role, regionCode } = scope.principal;
  let root: string | null = null;
  if ((AUTHORITY_ROLES as string[]).includes(role) && regionCode !== null) root = regionCode;
  else if (scope.unrestricted) root = all.find((r) => r.parentCode === null)?.code ?? null;
  else {
    // The deepest region on every enterprise's path from the root.
    const held = await db
      .selectFrom('enterprise')
      .select('region_code')
      .distinct()
      .where('id', 'in', scope.enterpriseIds())
      .execute();
    const paths = held.map((h) => pathOf(h.region_code)).filter((p) => p.length > 0);
    let common = paths[0] ?? [];
    for (const p of paths.slice(1)) {
      let n = 0;
      while (n < common.length && n < p.length && common[n] === p[n]) n++;
      common = common.slice(0, n);
    }
    root = common.at(-1) ?? all.find((r) => r.parentCode === null)?.code ?? null;
  }
  const subtree = (code: string): string[] => {
    const out: string[] = [];
    const walk = (c: string) => {
      out.push(c);
      for (const child of children.get(c) ?? []) walk(child.code);
    };
    if (byCode.has(code)) walk(code);
    return out;
  };
  const codes = root === null ? [] : subtree(root);
  return {
    root,
    regions: codes.map((c) => byCode.get(c) as RegionView),
    subtree: (code) => (codes.includes(code) ? subtree(code) : []),
  };
}

/**
 * What an overview of `region` counts for the caller: its scope, narrowed to the region's subtree (none at
 * the root); a region outside the caller's frame does not exist for it (QY_E_NOT_FOUND, as Scope's).
 */
export function overviewSubject(
  ctx: ServiceContext,
  scope: Scope,
  frame: RegionFrame,
  region: string | undefined,
): OverviewSubject {
  if (region === undefined || region === frame.root)
    return { enterpriseIds: scope.enterpriseIds(), pointIds: scope.pointIds() };
  const codes = frame.subtree(region);
  if (codes.length === 0) throw new QyError('QY_E_NOT_FOUND', { entity: 'region', code: region });
  const db = ctx.store.db;
  return {
    enterpriseIds: db
      .selectFrom('enterprise')
      .select('enterprise.id')
      .where('enterprise.id', 'in', scope.enterpriseIds())
      .where('enterprise.region_code', 'in', codes),
    pointIds: db
      .selectFrom('monitoring_point as rp')
      .innerJoin('outlet as ro', 'ro.id', 'rp.outlet_id')
      .innerJoin('enterprise as re', 're.id', 'ro.enterprise_id')
      .select('rp.id')
      .where('rp.id', 'in', scope.pointIds())
      .where('re.region_code', 'in', codes),
  };
}

/**
 * The overview of the caller's scope (or of one region of it, for the drill-down): each enterprise with its
 * coordinates and state, and today's figures. The same facts as GET /live (presence, the latest real-time value of each factor against its limit) and
 * GET /alarms (open episodes), reduced on the server to one state per enterprise: a few dozen bytes per
 * enterprise instead of every factor's value.
 */
export async function overview(
  ctx: ServiceContext,
  scope: Scope,
  region: string | undefined,
): Promise<Overview> {
  const db = ctx.store.db;
  const at = ctx.now();
  const frame = await regionFrame(ctx, scope);
  const subject = overviewSubject(ctx, scope, frame, region);
  const enterprises = await db
    .selectFrom('enterprise')
    .select(['id', 'name', 'region_code', 'longitude', 'latitude', 'status'])
    .where('id', 'in', subject.enterpriseIds)
    .orderBy('id')
    .execute();
  const points = (
    await pointMetaQuery(db).where('p.id', 'in', subject.pointIds).orderBy('p.id').execute()
  ).map(pointMeta);
  const running = points.filter((p) => p.status === 'running');
  const presence = await pointPresence(
    ctx,
    running.map((p) => p.pointId),
  );

  const facts = new Map<
    number,
    { running: number; online: number; valueExceeding: boolean; types: Set<string> }
  >();
  const factsOf = (enterpriseId: number) => {
    let held = facts.get(enterpriseId);
    if (held === undefined) {
      held = { running: 0, online: 0, valueExceeding: false, types: new Set() };
      facts.set(enterpriseId, held);
    }
    return held;
  };
  let online = 0;
  for (const point of running) {
    const held = factsOf(point.enterpriseId);
    held.running++;
    if (presence.get(point.pointId)?.online === true) {
      held.online++;
      online++;
    }
  }
  // The latest real-time values of the factors with a limit, a slice of points at a time: SQLite answers
  // synchronously, and between slices the server gets to its other requests.
  const byId = new Map(running.map((p) => [p.pointId, p]));
  for (const slice of chunks([...byId.keys()], LATEST_SLICE)) {
    const factors = await pointFactors(
      db,
      slice.map((id) => byId.get(id) as PointMeta),
    );
    for (const row of await ctx.repos.observations.latest('realtime', slice)) {
      const point = byId.get(Number(row.point_id)) as PointMeta;
      const limit = factors.get(point.pointId)?.find((f) => f.factorCode === row.factor_code)?.limit;
      const held = factsOf(point.enterpriseId);
      if (!held.valueExceeding && limit !== undefined && exceeding(limit, row.rtd, row.zs_rtd) === true)
        held.valueExceeding = true;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }

  // Open episodes of the points in scope, by enterprise and type.
  const byType = new Map<string, number>();
  const open = await db
    .selectFrom('alarm as a')
    .innerJoin('monitoring_point as p', 'p.id', 'a.point_id')
    .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
    .select((eb) => ['o.enterprise_id', 'a.type', eb.fn.countAll<number | string>().as('n')])
    .where('a.closed_at', 'is', null)
    .where('a.point_id', 'in', subject.pointIds)
    .groupBy(['o.enterprise_id', 'a.type'])
    .execute();
  for (const row of open) {
    factsOf(Number(row.enterprise_id)).types.add(row.type);
    byType.set(row.type, (byType.get(row.type) ?? 0) + Number(row.n));
  }
  const openByType = [...byType]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([type, open]) => ({ type, open }));
  // Exceedance episodes opened today (Beijing day), whatever became of them since.
  const today = dayStart(at);
  const opened = await db
    .selectFrom('alarm')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('type', 'in', [...EXCEEDANCES])
    .where('opened_at', '>=', today)
    .where('opened_at', '<', today + DAY_MS)
    .where('point_id', 'in', subject.pointIds)
    .executeTakeFirstOrThrow();

  return {
    at,
    region: region ?? frame.root,
    root: frame.root,
    regions: frame.regions,
    figures: {
      enterprises: enterprises.length,
      points: points.length,
      running: running.length,
      online,
      openAlarms: openByType.reduce((sum, t) => sum + t.open, 0),
      openByType,
      exceedancesToday: Number(opened.n),
    },
    enterprises: enterprises.map((e) => {
      const id = Number(e.id);
      const held = facts.get(id);
      return {
        id,
        name: e.name,
        regionCode: e.region_code,
        longitude: e.longitude === null ? null : Number(e.longitude),
        latitude: e.latitude === null ? null : Number(e.latitude),
        state: enterpriseState({
          status: e.status,
          running: held?.running ?? 0,
          online: held?.online ?? 0,
          valueExceeding: held?.valueExceeding ?? false,
          openAlarmTypes: held?.types ?? new Set(),
        }),
      };
    }),
  };
}
