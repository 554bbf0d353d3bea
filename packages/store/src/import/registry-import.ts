import { factorCode, resolveFactorCode } from '@qingyuan/hj212';
import type { Store } from '../database.js';
import { StoreError } from '../errors.js';
// Types through the package's public surface, which stays put while the repository modules are reorganised.
import type {
  EnterprisePatch,
  OutletPatch,
  PointFactorInput,
  PointFactorView,
  ProtocolVersion,
} from '../index.js';
import { type Repositories, repositories } from '../repositories/index.js';
import { inTransaction } from '../transaction-scope.js';
import { usccCheckCharacter, usccProblem } from '../uscc.js';
import {
  type ImportProblem,
  REGISTRY_HEADERS,
  type RegistryColumn,
  type RegistryRow,
  type RegistrySheet,
} from './registry-sheet.js';

export {
  csvRecords,
  type ImportProblem,
  parseRegistryCsv,
  parseRegistryXlsx,
  REGISTRY_COLUMNS,
  REGISTRY_HEADERS,
  type RegistryColumn,
  type RegistryRow,
  type RegistrySheet,
  readRegistryFile,
  registryColumn,
  registrySheet,
} from './registry-sheet.js';

/**
 * `qingyuan registry import`: enterprises, outlets, monitoring points and their factors from a provincial
 * register (one row per factor). Every row is checked first and every problem reported with its row and
 * column; with any problem nothing is written. Otherwise the whole file is applied in one transaction
 * through the repositories (on a transaction-scoped store, see `inTransaction`): enterprises are matched
 * by USCC, outlets by (enterprise, outlet code), points by MN, factors by (point, 2017 code), so importing
 * the same file again changes nothing. A blank cell never clears a stored value: it leaves it as it is.
 */

export interface RegistryImportOptions {
  /** Time stamped on created and updated records (epoch ms). */
  readonly now: number;
  /** Check and plan everything (inside a transaction that is rolled back) without keeping any change. */
  readonly dryRun?: boolean;
}

export interface ChangeCounts {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
}

export interface RegistryImportSummary {
  /** Data rows read (blank rows are skipped). */
  readonly rows: number;
  readonly enterprises: ChangeCounts;
  readonly outlets: ChangeCounts;
  readonly points: ChangeCounts;
  readonly factors: ChangeCounts;
}

export interface RegistryImportResult {
  /** No problem was found. */
  readonly ok: boolean;
  readonly dryRun: boolean;
  /** Changes were committed (ok and not a dry run). */
  readonly imported: boolean;
  /** Every problem, by row then column; empty when ok. */
  readonly errors: readonly ImportProblem[];
  /** What was (or, for a dry run, would be) created and updated; undefined when not ok. */
  readonly summary: RegistryImportSummary | undefined;
}

/** Validates the sheet and, when it has no problem, applies it in one transaction. */
export async function importRegistry(
  store: Store,
  sheet: RegistrySheet,
  options: RegistryImportOptions,
): Promise<RegistryImportResult> {
  const dryRun = options.dryRun === true;
  const fail = (errors: ImportProblem[]): RegistryImportResult => ({
    ok: false,
    dryRun,
    imported: false,
    errors: sortProblems(errors),
    summary: undefined,
  });
  if (sheet.headerRow === 0) return fail([...sheet.problems]);
  const checker = new Checker(sheet, await loadContext(store, sheet));
  const plan = checker.check();
  if (checker.errors.length > 0) return fail(checker.errors);

  try {
    const summary = await inTransaction(store, async (scoped) => {
      const summary = await apply(repositories(scoped), plan, sheet.rows.length, options.now);
      if (dryRun) throw new DryRunRollback(summary);
      return summary;
    });
    return { ok: true, dryRun, imported: true, errors: [], summary };
  } catch (error) {
    if (error instanceof DryRunRollback)
      return { ok: true, dryRun, imported: false, errors: [], summary: error.summary };
    if (error instanceof WriteFailure) return fail([error.problem]);
    throw error;
  }
}

/** Thrown out of the transaction to roll a dry run back. */
class DryRunRollback extends Error {
  constructor(readonly summary: RegistryImportSummary) {
    super('dry run');
  }
}

/** A repository refused a record the checks let through (e.g. a concurrent change): the import is undone. */
class WriteFailure extends Error {
  constructor(readonly problem: ImportProblem) {
    super(problem.message);
  }
}

function sortProblems(problems: ImportProblem[]): ImportProblem[] {
  return problems
    .map((p, index) => ({ p, index }))
    .sort((a, b) => a.p.row - b.p.row || a.index - b.index)
    .map(({ p }) => p);
}

// ---------------------------------------------------------------------------------------------------------
// What the database already holds (read before checking)

interface Context {
  readonly regions: ReadonlySet<string>;
  /** By code with spaces removed, upper case. */
  readonly standards: ReadonlyMap<string, { id: number; code: string; kind: 'water' | 'gas' }>;
  readonly enterprises: ReadonlyMap<string, { id: number }>;
  /** By `${uscc}\0${outletCode}`. */
  readonly outlets: ReadonlyMap<string, { id: number; kind: 'water' | 'gas'; name: string }>;
  readonly points: ReadonlyMap<
    string,
    { uscc: string; enterpriseName: string; outletCode: string; protocolVersion: ProtocolVersion }
  >;
}

const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

const standardKey = (code: string) => code.normalize('NFKC').replace(/\s+/g, '').toUpperCase();

async function loadContext(store: Store, sheet: RegistrySheet): Promise<Context> {
  const db = store.db;
  const usccs = [
    ...new Set(sheet.rows.map((r) => r.cells.uscc?.toUpperCase()).filter((u) => u !== undefined)),
  ];
  const mns = [...new Set(sheet.rows.map((r) => r.cells.mn).filter((m) => m !== undefined))];
  const regions = new Set((await db.selectFrom('region').select('code').execute()).map((r) => r.code));
  const standards = new Map(
    (await db.selectFrom('emission_standard').select(['id', 'code', 'kind']).execute()).map((s) => [
      standardKey(s.code),
      { id: Number(s.id), code: s.code, kind: s.kind },
    ]),
  );
  const enterprises = new Map<string, { id: number }>();
  const outlets = new Map<string, { id: number; kind: 'water' | 'gas'; name: string }>();
  for (const part of chunks(usccs)) {
    for (const e of await db
      .selectFrom('enterprise')
      .select(['id', 'uscc'])
      .where('uscc', 'in', part)
      .execute()) {
      enterprises.set(e.uscc, { id: Number(e.id) });
    }
    const rows = await db
      .selectFrom('outlet')
      .innerJoin('enterprise', 'enterprise.id', 'outlet.enterprise_id')
      .select(['outlet.id', 'outlet.code', 'outlet.kind', 'outlet.name', 'enterprise.uscc'])
      .where('enterprise.uscc', 'in', part)
      .execute();
    for (const o of rows)
      outlets.set(`${o.uscc}\u0000${o.code}`, { id: Number(o.id), kind: o.kind, name: o.name });
  }
  const points = new Map<
    string,
    { uscc: string; enterpriseName: string; outletCode: string; protocolVersion: ProtocolVersion }
  >();
  for (const part of chunks(mns)) {
    const rows = await db
      .selectFrom('monitoring_point as p')
      .innerJoin('outlet as o', 'o.id', 'p.outlet_id')
      .innerJoin('enterprise as e', 'e.id', 'o.enterprise_id')
      .select(['p.mn', 'p.protocol_version', 'o.code', 'e.uscc', 'e.name'])
      .where('p.mn', 'in', part)
      .execute();
    for (const p of rows) {
      points.set(p.mn, {
        uscc: p.uscc,
        enterpriseName: p.name,
        outletCode: p.code,
        protocolVersion: p.protocol_version,
      });
    }
  }
  return { regions, standards, enterprises, outlets, points };
}

// ---------------------------------------------------------------------------------------------------------
// Checking

interface EnterpriseFields {
  name: string;
  regionCode: string;
  industryCode: string;
  address: string;
  longitude: number;
  latitude: number;
  contactName: string;
  contactPhone: string;
}

interface OutletFields {
  kind: 'water' | 'gas';
  name: string;
  standardId: number;
  referenceO2: number;
  stackHeightM: number;
}

interface PointFields {
  name: string;
  password: string;
  protocolVersion: ProtocolVersion;
}

/** A field's value and the row that first gave it. */
type Given<F> = { [K in keyof F]?: { value: F[K]; row: number } };

interface FactorPlan {
  readonly row: number;
  readonly code: string;
  /** The code as written, when it was an HJ 212-2005 code mapped to `code`. */
  readonly mappedFrom: string | undefined;
  readonly unit: string | undefined;
  readonly rangeLow: number | undefined;
  readonly rangeHigh: number | undefined;
  readonly hourLimit: number | undefined;
  readonly dayLimit: number | undefined;
  readonly assessed: boolean | undefined;
}

interface PointPlan {
  readonly mn: string;
  readonly firstRow: number;
  readonly fields: Given<PointFields>;
  readonly factors: Map<string, FactorPlan>;
}

interface OutletPlan {
  readonly code: string;
  readonly firstRow: number;
  readonly fields: Given<OutletFields>;
  /** The standard's kind, to check against the outlet's. */
  standardKind?: 'water' | 'gas';
  readonly points: Map<string, PointPlan>;
}

interface EnterprisePlan {
  readonly uscc: string;
  readonly firstRow: number;
  readonly fields: Given<EnterpriseFields>;
  readonly outlets: Map<string, OutletPlan>;
}

const MN_PATTERN = /^[0-9A-Za-z._-]{1,24}$/;
const PASSWORD_PATTERN = /^[^\s;,&=]{1,32}$/;
const INDUSTRY_PATTERN = /^[A-T]\d{2,4}$/;
const NUMBER_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

const KINDS: Readonly<Record<string, 'water' | 'gas'>> = {
  废水: 'water',
  废水排放口: 'water',
  废水排口: 'water',
  水: 'water',
  water: 'water',
  w: 'water',
  废气: 'gas',
  废气排放口: 'gas',
  废气排口: 'gas',
  气: 'gas',
  gas: 'gas',
  air: 'gas',
  a: 'gas',
};

const YES = new Set(['是', '1', 'y', 'yes', 'true', '√', '✓']);
const NO = new Set(['否', '0', 'n', 'no', 'false', '×', '✗']);

class Checker {
  readonly errors: ImportProblem[];
  readonly #sheet: RegistrySheet;
  readonly #context: Context;
  readonly #enterprises = new Map<string, EnterprisePlan>();
  /** MN → where it was first listed. */
  readonly #pointOwners = new Map<string, { uscc: string; outletCode: string; row: number }>();

  constructor(sheet: RegistrySheet, context: Context) {
    this.#sheet = sheet;
    this.#context = context;
    this.errors = [...sheet.problems];
  }

  check(): Map<string, EnterprisePlan> {
    for (const column of ['uscc', 'outlet_code', 'mn', 'factor'] as const) {
      if (this.#sheet.headers[column] === undefined) {
        this.#error(
          this.#sheet.headerRow,
          column,
          'STORE_E_IMPORT',
          `the file has no ${REGISTRY_HEADERS[column].label} column`,
        );
      }
    }
    if (this.errors.length > 0) return this.#enterprises;
    for (const row of this.#sheet.rows) this.#row(row);
    this.#entityChecks();
    return this.#enterprises;
  }

  #label(column: RegistryColumn): string {
    return this.#sheet.headers[column] ?? REGISTRY_HEADERS[column].label;
  }

  #error(row: number, column: RegistryColumn | '', code: ImportProblem['code'], message: string): void {
    this.errors.push({ row, column: column === '' ? '' : this.#label(column), code, message });
  }

  #row(r: RegistryRow): void {
    const cells = r.cells;
    const required = (column: RegistryColumn): string | undefined => {
      const value = cells[column];
      if (value === undefined)
        this.#error(r.row, column, 'STORE_E_INVALID', `${REGISTRY_HEADERS[column].label} is empty`);
      return value;
    };
    const number = (column: RegistryColumn, min = -Infinity, max = Infinity): number | undefined => {
      const text = cells[column];
      if (text === undefined) return undefined;
      const plain = text.normalize('NFKC').replace(/\s+/g, '');
      const value = NUMBER_PATTERN.test(plain) ? Number(plain) : Number.NaN;
      if (!Number.isFinite(value)) {
        this.#error(r.row, column, 'STORE_E_INVALID', `"${text}" is not a number`);
        return undefined;
      }
      if (value < min || value > max) {
        this.#error(r.row, column, 'STORE_E_INVALID', `${value} is outside ${min}…${max}`);
        return undefined;
      }
      return value;
    };

    // Enterprise
    const uscc = this.#uscc(r.row, required('uscc'));
    const enterprise: Partial<EnterpriseFields> = {};
    if (cells.enterprise !== undefined) enterprise.name = cells.enterprise;
    if (cells.region !== undefined) {
      const code = cells.region.replace(/\s+/g, '');
      if (this.#context.regions.has(code)) enterprise.regionCode = code;
      else
        this.#error(
          r.row,
          'region',
          'STORE_E_REFERENCE',
          `no administrative division has the code "${cells.region}"`,
        );
    }
    if (cells.industry !== undefined) {
      const code = cells.industry.replace(/\s+/g, '').toUpperCase();
      if (INDUSTRY_PATTERN.test(code)) enterprise.industryCode = code;
      else
        this.#error(
          r.row,
          'industry',
          'STORE_E_INVALID',
          `"${cells.industry}" is not a GB/T 4754 code such as D4411 or C2614`,
        );
    }
    if (cells.address !== undefined) enterprise.address = cells.address;
    const longitude = number('longitude', -180, 180);
    if (longitude !== undefined) enterprise.longitude = longitude;
    const latitude = number('latitude', -90, 90);
    if (latitude !== undefined) enterprise.latitude = latitude;
    if (cells.contact_name !== undefined) enterprise.contactName = cells.contact_name;
    if (cells.contact_phone !== undefined) enterprise.contactPhone = cells.contact_phone;

    // Outlet
    const outletCode = required('outlet_code')?.toUpperCase();
    const outlet: Partial<OutletFields> = {};
    let standardKind: 'water' | 'gas' | undefined;
    if (cells.kind !== undefined) {
      const kind = KINDS[cells.kind.toLowerCase()];
      if (kind !== undefined) outlet.kind = kind;
      else this.#error(r.row, 'kind', 'STORE_E_INVALID', `"${cells.kind}" is not 废水/废气 (water/gas)`);
    }
    if (cells.outlet_name !== undefined) outlet.name = cells.outlet_name;
    if (cells.standard !== undefined) {
      const standard = this.#context.standards.get(standardKey(cells.standard));
      if (standard === undefined) {
        this.#error(
          r.row,
          'standard',
          'STORE_E_REFERENCE',
          `the standard library has no "${cells.standard}" (add it as a local standard first)`,
        );
      } else {
        outlet.standardId = standard.id;
        standardKind = standard.kind;
      }
    }
    const referenceO2 = number('reference_o2', 0, 21);
    if (referenceO2 !== undefined) outlet.referenceO2 = referenceO2;
    const stackHeight = number('stack_height', 0, 1000);
    if (stackHeight !== undefined) outlet.stackHeightM = stackHeight;

    // Point
    const mnText = required('mn');
    let mn: string | undefined;
    if (mnText !== undefined) {
      if (MN_PATTERN.test(mnText)) mn = mnText;
      else
        this.#error(
          r.row,
          'mn',
          'STORE_E_INVALID',
          `"${mnText}" is not an MN: 1–24 letters or digits (HJ 212 MN, C24)`,
        );
    }
    const point: Partial<PointFields> = {};
    if (cells.point_name !== undefined) point.name = cells.point_name;
    if (cells.password !== undefined) {
      if (PASSWORD_PATTERN.test(cells.password)) point.password = cells.password;
      else
        this.#error(
          r.row,
          'password',
          'STORE_E_INVALID',
          'the password must be 1–32 characters without spaces, ";", ",", "&" or "="',
        );
    }
    if (cells.protocol !== undefined) {
      const year = /(?:^|[^0-9])(2005|2017|2025)$/.exec(cells.protocol.replace(/\s+/g, ''))?.[1];
      if (year !== undefined) point.protocolVersion = year as ProtocolVersion;
      else
        this.#error(
          r.row,
          'protocol',
          'STORE_E_INVALID',
          `"${cells.protocol}" is not a protocol version (2005, 2017 or 2025)`,
        );
    }

    // Factor
    const factor = this.#factor(r.row, required('factor'), cells, number);

    if (uscc === undefined || outletCode === undefined || mn === undefined) return;
    const e = this.#enterprise(uscc, r.row);
    this.#merge(e.fields, enterprise, ENTERPRISE_COLUMNS, r.row, `统一社会信用代码 ${uscc}`);
    let o = e.outlets.get(outletCode);
    if (o === undefined) {
      o = { code: outletCode, firstRow: r.row, fields: {}, points: new Map() };
      e.outlets.set(outletCode, o);
    }
    this.#merge(o.fields, outlet, OUTLET_COLUMNS, r.row, `outlet ${outletCode} of ${uscc}`);
    if (standardKind !== undefined) o.standardKind ??= standardKind;

    const owner = this.#pointOwners.get(mn);
    if (owner !== undefined && (owner.uscc !== uscc || owner.outletCode !== outletCode)) {
      this.#error(
        r.row,
        'mn',
        'STORE_E_DUPLICATE',
        `MN ${mn} is listed under outlet ${owner.outletCode} of ${owner.uscc} in row ${owner.row}`,
      );
      return;
    }
    if (owner === undefined) this.#pointOwners.set(mn, { uscc, outletCode, row: r.row });
    let p = o.points.get(mn);
    if (p === undefined) {
      p = { mn, firstRow: r.row, fields: {}, factors: new Map() };
      o.points.set(mn, p);
    }
    this.#merge(p.fields, point, POINT_COLUMNS, r.row, `MN ${mn}`);
    if (factor === undefined) return;
    const twin = p.factors.get(factor.code);
    if (twin !== undefined) {
      const alias = factor.mappedFrom ?? twin.mappedFrom;
      this.#error(
        r.row,
        'factor',
        'STORE_E_DUPLICATE',
        `factor ${factor.code} is listed twice for MN ${mn} (also row ${twin.row})${alias === undefined ? '' : `; ${alias} is the HJ 212-2005 code of ${factor.code}`}`,
      );
      return;
    }
    p.factors.set(factor.code, factor);
  }

  #uscc(row: number, text: string | undefined): string | undefined {
    if (text === undefined) return undefined;
    const code = text.replace(/\s+/g, '').toUpperCase();
    const problem = usccProblem(code);
    if (problem === undefined) return code;
    let why: string;
    if (problem === 'length') why = `must have 18 characters, "${text}" has ${code.length}`;
    else if (problem === 'character')
      why = `"${text}" has a character outside the GB 32100 set (digits and letters except I, O, Z, S, V)`;
    else
      why = `the check character of "${text}" is wrong (GB 32100-2015 gives ${usccCheckCharacter(code.slice(0, 17))})`;
    this.#error(row, 'uscc', 'STORE_E_USCC_INVALID', why);
    return undefined;
  }

  #factor(
    row: number,
    text: string | undefined,
    cells: RegistryRow['cells'],
    number: (column: RegistryColumn, min?: number, max?: number) => number | undefined,
  ): FactorPlan | undefined {
    const rangeLow = number('range_low');
    const rangeHigh = number('range_high');
    const hourLimit = number('hour_limit', 0);
    const dayLimit = number('day_limit', 0);
    let assessed: boolean | undefined;
    if (cells.assessed !== undefined) {
      const word = cells.assessed.toLowerCase();
      if (YES.has(word)) assessed = true;
      else if (NO.has(word)) assessed = false;
      else this.#error(row, 'assessed', 'STORE_E_INVALID', `"${cells.assessed}" is not 是/否 (1/0)`);
    }
    if (rangeLow !== undefined && rangeHigh !== undefined && rangeLow > rangeHigh) {
      this.#error(
        row,
        'range_high',
        'STORE_E_INVALID',
        `the upper end of the range (${rangeHigh}) is below the lower end (${rangeLow})`,
      );
    }
    if (text === undefined) return undefined;
    const raw = text.replace(/\s+/g, '');
    const resolved = resolveFactorCode(raw, '2005');
    if (resolved.system === 'unknown' || resolved.system === 'noise') {
      this.#error(
        row,
        'factor',
        'STORE_E_INVALID',
        `"${text}" is not an HJ 212-2017 factor code (w/a + 5 digits) or a known HJ 212-2005 code`,
      );
      return undefined;
    }
    const unit = cells.unit ?? factorCode(resolved.code)?.unit;
    if (unit === undefined || unit.length === 0) {
      this.#error(
        row,
        'unit',
        'STORE_E_INVALID',
        `${REGISTRY_HEADERS.unit.label} is empty and ${resolved.code} has no default unit`,
      );
    }
    return {
      row,
      code: resolved.code,
      mappedFrom: resolved.mapped ? raw : undefined,
      unit: cells.unit,
      rangeLow,
      rangeHigh,
      hourLimit,
      dayLimit,
      assessed,
    };
  }

  #enterprise(uscc: string, row: number): EnterprisePlan {
    let e = this.#enterprises.get(uscc);
    if (e === undefined) {
      e = { uscc, firstRow: row, fields: {}, outlets: new Map() };
      this.#enterprises.set(uscc, e);
    }
    return e;
  }

  /** Records the row's values; a value that differs from an earlier row's for the same record is an error. */
  #merge<F extends object>(
    given: Given<F>,
    values: Partial<F>,
    columns: Readonly<Record<keyof F, RegistryColumn>>,
    row: number,
    what: string,
  ): void {
    for (const key of Object.keys(values) as (keyof F & string)[]) {
      const value = values[key] as F[keyof F & string];
      const held = given[key];
      if (held === undefined) {
        given[key] = { value, row };
      } else if (held.value !== value && key === 'password') {
        // The passwords themselves are not echoed.
        this.#error(
          row,
          columns[key],
          'STORE_E_INVALID',
          `the password differs from the one in row ${held.row} for the same ${what}`,
        );
      } else if (held.value !== value) {
        this.#error(
          row,
          columns[key],
          'STORE_E_INVALID',
          `"${this.#display(key, value)}" differs from "${this.#display(key, held.value)}" in row ${held.row} for the same ${what}`,
        );
      }
    }
  }

  #display(key: string, value: unknown): string {
    if (key === 'standardId') {
      for (const s of this.#context.standards.values()) if (s.id === value) return s.code;
    }
    return String(value);
  }

  /** Checks that need all of a record's rows: required fields of new records, kinds, ownership of MNs. */
  #entityChecks(): void {
    const ctx = this.#context;
    for (const e of this.#enterprises.values()) {
      const known = ctx.enterprises.has(e.uscc);
      if (!known && e.fields.name === undefined)
        this.#error(
          e.firstRow,
          'enterprise',
          'STORE_E_INVALID',
          `企业名称 is needed for the new enterprise ${e.uscc}`,
        );
      if (!known && e.fields.regionCode === undefined) {
        this.#error(
          e.firstRow,
          'region',
          'STORE_E_INVALID',
          `行政区划代码 is needed for the new enterprise ${e.uscc}`,
        );
      }
      for (const o of e.outlets.values()) {
        const held = ctx.outlets.get(`${e.uscc}\u0000${o.code}`);
        if (held === undefined && o.fields.name === undefined) {
          this.#error(
            o.firstRow,
            'outlet_name',
            'STORE_E_INVALID',
            `排口名称 is needed for the new outlet ${o.code}`,
          );
        }
        const kind = o.fields.kind?.value ?? held?.kind;
        if (kind === undefined)
          this.#error(
            o.firstRow,
            'kind',
            'STORE_E_INVALID',
            `排口类型 is needed for the new outlet ${o.code}`,
          );
        if (kind !== undefined && o.standardKind !== undefined && o.standardKind !== kind) {
          this.#error(
            o.fields.standardId?.row ?? o.firstRow,
            'standard',
            'STORE_E_INVALID',
            `a ${o.standardKind} standard cannot apply to the ${kind} outlet ${o.code}`,
          );
        }
        for (const p of o.points.values()) {
          const registered = ctx.points.get(p.mn);
          if (registered !== undefined && (registered.uscc !== e.uscc || registered.outletCode !== o.code)) {
            this.#error(
              p.firstRow,
              'mn',
              'STORE_E_DUPLICATE',
              `MN ${p.mn} is already registered at outlet ${registered.outletCode} of ${registered.enterpriseName} (${registered.uscc}); move it in the platform first`,
            );
          }
          if (registered === undefined && p.fields.password === undefined) {
            this.#error(
              p.firstRow,
              'password',
              'STORE_E_INVALID',
              `访问密码 is needed for the new point ${p.mn}`,
            );
          }
          if (kind === undefined) continue;
          for (const f of p.factors.values()) {
            const medium = f.code.startsWith('w') ? 'water' : f.code.startsWith('a') ? 'gas' : undefined;
            if (medium !== undefined && medium !== kind) {
              this.#error(
                f.row,
                'factor',
                'STORE_E_INVALID',
                `${f.code} is a ${medium} factor but outlet ${o.code} is a ${kind} outlet`,
              );
            }
          }
        }
      }
    }
  }
}

/** The file column each merged field comes from (for conflict messages). */
const ENTERPRISE_COLUMNS: Readonly<Record<keyof EnterpriseFields, RegistryColumn>> = {
  name: 'enterprise',
  regionCode: 'region',
  industryCode: 'industry',
  address: 'address',
  longitude: 'longitude',
  latitude: 'latitude',
  contactName: 'contact_name',
  contactPhone: 'contact_phone',
};
const OUTLET_COLUMNS: Readonly<Record<keyof OutletFields, RegistryColumn>> = {
  kind: 'kind',
  name: 'outlet_name',
  standardId: 'standard',
  referenceO2: 'reference_o2',
  stackHeightM: 'stack_height',
};
const POINT_COLUMNS: Readonly<Record<keyof PointFields, RegistryColumn>> = {
  name: 'point_name',
  password: 'password',
  protocolVersion: 'protocol',
};

// ---------------------------------------------------------------------------------------------------------
// Applying (inside the transaction)

function counter() {
  return { created: 0, updated: 0, unchanged: 0 };
}

function value<F, K extends keyof F>(given: Given<F>, key: K): F[K] | undefined {
  return given[key]?.value;
}

async function apply(
  repo: Repositories,
  plan: Map<string, EnterprisePlan>,
  rows: number,
  now: number,
): Promise<RegistryImportSummary> {
  const counts = { enterprises: counter(), outlets: counter(), points: counter(), factors: counter() };
  const guard = async <T>(row: number, column: RegistryColumn | '', work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof StoreError) {
        throw new WriteFailure({
          row,
          column: column === '' ? '' : REGISTRY_HEADERS[column].label,
          code: error.code,
          message: error.message,
        });
      }
      throw error;
    }
  };

  for (const e of plan.values()) {
    const enterpriseId = await guard(e.firstRow, 'uscc', async () => {
      const held = await repo.enterprises.byUscc(e.uscc);
      const fields = e.fields;
      if (held === undefined) {
        counts.enterprises.created++;
        const created = await repo.enterprises.create(
          {
            uscc: e.uscc,
            name: value(fields, 'name') as string,
            regionCode: value(fields, 'regionCode') as string,
            industryCode: value(fields, 'industryCode'),
            address: value(fields, 'address'),
            longitude: value(fields, 'longitude'),
            latitude: value(fields, 'latitude'),
            contactName: value(fields, 'contactName'),
            contactPhone: value(fields, 'contactPhone'),
          },
          now,
        );
        return created.id;
      }
      const patch: { -readonly [K in keyof EnterprisePatch]: EnterprisePatch[K] } = {};
      for (const key of Object.keys(fields) as (keyof EnterpriseFields)[]) {
        const next = value(fields, key);
        if (next !== undefined && next !== held[key]) (patch as Record<string, unknown>)[key] = next;
      }
      if (Object.keys(patch).length === 0) counts.enterprises.unchanged++;
      else {
        counts.enterprises.updated++;
        await repo.enterprises.update(held.id, patch, now);
      }
      return held.id;
    });

    const heldOutlets = new Map((await repo.outlets.byEnterprise(enterpriseId)).map((o) => [o.code, o]));
    for (const o of e.outlets.values()) {
      const outlet = await guard(o.firstRow, 'outlet_code', async () => {
        const held = heldOutlets.get(o.code);
        const fields = o.fields;
        if (held === undefined) {
          counts.outlets.created++;
          return repo.outlets.create({
            enterpriseId,
            kind: value(fields, 'kind') as 'water' | 'gas',
            code: o.code,
            name: value(fields, 'name') as string,
            standardId: value(fields, 'standardId'),
            referenceO2: value(fields, 'referenceO2'),
            stackHeightM: value(fields, 'stackHeightM'),
          });
        }
        const patch: { -readonly [K in keyof OutletPatch]: OutletPatch[K] } = {};
        for (const key of Object.keys(fields) as (keyof OutletFields)[]) {
          const next = value(fields, key);
          if (next !== undefined && next !== held[key]) (patch as Record<string, unknown>)[key] = next;
        }
        if (Object.keys(patch).length === 0) {
          counts.outlets.unchanged++;
          return held;
        }
        counts.outlets.updated++;
        return repo.outlets.update(held.id, patch);
      });

      let ordinal = 0;
      for (const p of o.points.values()) {
        ordinal++;
        const defaultName = o.points.size > 1 ? `${outlet.name}监测点${ordinal}` : `${outlet.name}监测点`;
        await guard(p.firstRow, 'mn', async () => {
          const fields = p.fields;
          const held = await repo.points.byMn(p.mn);
          let pointId: number;
          let protocol: ProtocolVersion;
          if (held === undefined) {
            counts.points.created++;
            protocol = value(fields, 'protocolVersion') ?? '2017';
            const created = await repo.points.create(
              {
                outletId: outlet.id,
                name: value(fields, 'name') ?? defaultName,
                mn: p.mn,
                password: value(fields, 'password') as string,
                protocolVersion: protocol,
                status: 'running',
              },
              now,
            );
            pointId = created.id;
          } else {
            pointId = held.id;
            protocol = value(fields, 'protocolVersion') ?? held.protocolVersion;
            let changed = false;
            const patch: { name?: string; protocolVersion?: ProtocolVersion } = {};
            const name = value(fields, 'name');
            if (name !== undefined && name !== held.name) patch.name = name;
            if (protocol !== held.protocolVersion) patch.protocolVersion = protocol;
            if (Object.keys(patch).length > 0) {
              await repo.points.update(pointId, patch, now);
              changed = true;
            }
            const password = value(fields, 'password');
            if (password !== undefined && password !== (await repo.points.credentials(p.mn))?.password) {
              await repo.points.setPassword(pointId, password, now);
              changed = true;
            }
            counts.points[changed ? 'updated' : 'unchanged']++;
          }
          await applyFactors(repo, pointId, protocol, p, counts.factors);
        });
      }
    }
  }
  return { rows, ...counts };
}

/** Creates or updates the file's factors of a point; factors the file does not name are kept. */
async function applyFactors(
  repo: Repositories,
  pointId: number,
  protocol: ProtocolVersion,
  p: PointPlan,
  counts: { created: number; updated: number; unchanged: number },
): Promise<void> {
  const held = new Map((await repo.points.factors(pointId)).map((f) => [f.factorCode, f]));
  let changed = false;
  const next = new Map<string, PointFactorInput>([...held.values()].map((f) => [f.factorCode, inputOf(f)]));
  for (const f of p.factors.values()) {
    const before = held.get(f.code);
    // The 2005 code: the one the file used, else the one held, else (for a 2005 logger) the table's.
    const default2005 = protocol === '2005' ? (factorCode(f.code)?.code2005 ?? null) : null;
    const after: PointFactorInput = {
      factorCode: f.code,
      code2005: f.mappedFrom ?? before?.code2005 ?? default2005,
      unit: f.unit ?? before?.unit ?? factorCode(f.code)?.unit ?? '',
      rangeLow: f.rangeLow ?? before?.rangeLow ?? null,
      rangeHigh: f.rangeHigh ?? before?.rangeHigh ?? null,
      hourLimit: f.hourLimit ?? before?.hourLimit ?? null,
      dayLimit: f.dayLimit ?? before?.dayLimit ?? null,
      assessed: f.assessed ?? before?.assessed ?? false,
      alarmLow: before?.alarmLow ?? null,
      alarmHigh: before?.alarmHigh ?? null,
    };
    next.set(f.code, after);
    if (before === undefined) {
      counts.created++;
      changed = true;
    } else if (sameFactor(inputOf(before), after)) counts.unchanged++;
    else {
      counts.updated++;
      changed = true;
    }
  }
  if (changed) await repo.points.setFactors(pointId, [...next.values()]);
}

function inputOf(f: PointFactorView): PointFactorInput {
  return {
    factorCode: f.factorCode,
    code2005: f.code2005,
    unit: f.unit,
    rangeLow: f.rangeLow,
    rangeHigh: f.rangeHigh,
    hourLimit: f.hourLimit,
    dayLimit: f.dayLimit,
    assessed: f.assessed,
    alarmLow: f.alarmLow,
    alarmHigh: f.alarmHigh,
  };
}

function sameFactor(a: PointFactorInput, b: PointFactorInput): boolean {
  const keys = [
    'code2005',
    'unit',
    'rangeLow',
    'rangeHigh',
    'hourLimit',
    'dayLimit',
    'assessed',
    'alarmLow',
    'alarmHigh',
  ] as const;
  return keys.every((k) => (a[k] ?? null) === (b[k] ?? null));
}
