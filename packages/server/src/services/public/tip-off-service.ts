import type { TipOff, TipOffCategory, TipOffState } from '@qingyuan/store';
import { actorOf, type Principal } from '../../access/principal.js';
import { LoginThrottle } from '../../accounts/login-throttle.js';
import { QyError } from '../../errors.js';
import type { ServiceContext } from '../context.js';
import { publishedScope } from './published.js';

export const TIP_ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
/** Largest attachment, decoded. */
export const TIP_ATTACHMENT_MAX_BYTES = 300 * 1024;

export interface NewTipOffInput {
  readonly enterpriseId?: number;
  readonly regionCode?: string;
  readonly category: TipOffCategory;
  readonly description: string;
  readonly contact?: string;
  readonly attachments?: readonly {
    readonly name: string;
    readonly type: (typeof TIP_ATTACHMENT_TYPES)[number];
    readonly dataBase64: string;
  }[];
}

/** A tip as recorded in the audit log (the filer's address is the audit row's peer). */
type TipOffRecordView = Omit<TipOff, 'peer'>;

const view = ({ peer: _peer, ...tip }: TipOff): TipOffRecordView => tip;

/**
 * A tip as the authorities see it: the record (with `internal_note`, the authorities' own note) and the
 * enterprise's and the responsible city's names.
 */
export type TipOffView = TipOffRecordView & {
  readonly enterprise_name: string | null;
  readonly region_name: string | null;
};

/**
 * What the filer sees with the receipt code (POST /public/tip-offs/lookup): the state and the handling
 * note, never the text, the contact, the attachments, who handled it or the internal note.
 */
export interface TipOffStatus {
  readonly receipt: string;
  readonly category: TipOff['category'];
  readonly receivedAt: number;
  readonly enterpriseName: string | null;
  /** The responsible city (or 省直管 county-level city). */
  readonly regionName: string | null;
  readonly state: TipOffState;
  readonly handledAt: number | null;
  /** The authority's handling note, published to the filer. */
  readonly note: string | null;
}

/** Receipt codes as issued: 10 characters without 0/O/1/I (store/repositories/tip-offs.ts). */
const RECEIPT = /^[A-HJ-NP-Z2-9]{10}$/;

/**
 * 公众举报 (湖北省办法 第十条): anyone files a tip about a published enterprise or a place; it goes to the
 * responsible city's authority (the enterprise's city, else the place's), which records how it was handled.
 */
export class TipOffService {
  readonly #ctx: ServiceContext;
  readonly #throttle: LoginThrottle;
  readonly #lookups: LoginThrottle;

  constructor(ctx: ServiceContext, perPeerPerHour = 5, lookupsPerPeerPerHour = 30) {
    this.#ctx = ctx;
    this.#throttle = new LoginThrottle(perPeerPerHour, 3_600_000);
    // Receipts are 50 random bits; the limit keeps anyone from trying them in bulk.
    this.#lookups = new LoginThrottle(lookupsPerPeerPerHour, 3_600_000);
  }

  async file(principal: Principal, input: NewTipOffInput): Promise<{ receipt: string }> {
    const scope = publishedScope(this.#ctx, principal);
    const attachments = (input.attachments ?? []).map((a, i) => {
      if (!(TIP_ATTACHMENT_TYPES as readonly string[]).includes(a.type))
        throw new QyError('QY_E_VALIDATION', {
          field: `attachments/${i}/type`,
          reason: 'JPEG, PNG or PDF only',
        });
      const bytes = Buffer.from(a.dataBase64, 'base64');
      if (bytes.length > TIP_ATTACHMENT_MAX_BYTES)
        throw new QyError('QY_E_PAYLOAD_TOO_LARGE', {
          field: `attachments/${i}`,
          limit: TIP_ATTACHMENT_MAX_BYTES,
        });
      return { name: a.name, type: a.type, bytes: new Uint8Array(bytes) };
    });
    let regionCode: string;
    if (input.enterpriseId !== undefined) {
      await scope.requireEnterprise(input.enterpriseId);
      const enterprise = await this.#ctx.repos.enterprises.get(input.enterpriseId);
      regionCode = await this.#cityOf(enterprise?.regionCode ?? '');
    } else if (input.regionCode !== undefined) regionCode = await this.#cityOf(input.regionCode);
    else
      throw new QyError('QY_E_VALIDATION', {
        field: 'enterpriseId',
        reason: 'give an enterprise or a region',
      });
    const peer = principal.peer ?? 'unknown';
    if (!this.#throttle.allow(peer, this.#ctx.now())) throw new QyError('QY_E_RATE_LIMITED', { peer });
    const tip = await this.#ctx.repos.tipOffs.create(
      {
        enterpriseId: input.enterpriseId ?? null,
        regionCode,
        category: input.category,
        description: input.description,
        contact: input.contact ?? null,
        attachments,
        peer,
      },
      this.#ctx.now(),
    );
    await this.#ctx.audit.record(principal, 'tip_off.file', 'tip_off', tip.id, { after: view(tip) });
    return { receipt: tip.receipt };
  }

  /**
   * The filer's view of a tip, by its receipt code (case, spaces and dashes ignored); an unknown code is
   * QY_E_NOT_FOUND. Limited per address like filing, so that codes cannot be tried in bulk.
   */
  async lookup(principal: Principal, receipt: string): Promise<TipOffStatus> {
    this.#ctx.access.require(principal, 'public.read');
    const peer = principal.peer ?? 'unknown';
    if (!this.#lookups.allow(peer, this.#ctx.now())) throw new QyError('QY_E_RATE_LIMITED', { peer });
    const code = receipt.toUpperCase().replace(/[\s-]/g, '');
    if (!RECEIPT.test(code))
      throw new QyError('QY_E_VALIDATION', { field: 'receipt', reason: 'not a receipt code' });
    const tip = await this.#ctx.repos.tipOffs.byReceipt(code);
    if (tip === undefined) throw new QyError('QY_E_NOT_FOUND', { entity: 'tipOff', receipt: code });
    const [named] = await this.#named([tip]);
    return {
      receipt: tip.receipt,
      category: tip.category,
      receivedAt: Number(tip.received_at),
      enterpriseName: named?.enterprise_name ?? null,
      regionName: named?.region_name ?? null,
      state: tip.state,
      handledAt: tip.handled_at === null ? null : Number(tip.handled_at),
      note: tip.note,
    };
  }

  /** The tips routed into the caller's region subtree, received in [from, to), newest first. */
  async list(
    principal: Principal,
    filter: { state?: TipOffState; from?: number; to?: number; limit?: number; offset?: number } = {},
  ): Promise<TipOffView[]> {
    const scope = this.#ctx.access.require(principal, 'marks.decide');
    const regionCode = scope.unrestricted ? null : (principal.regionCode ?? '-');
    return this.#named(await this.#ctx.repos.tipOffs.list({ ...filter, regionCode }));
  }

  /**
   * Records the handling: the state, the note the filer sees (omitted: cleared) and the internal note only
   * authorities see (omitted: left as it is; null or blank: cleared). Audited with before and after.
   */
  async handle(
    principal: Principal,
    id: number,
    input: { state: TipOffState; note?: string; internalNote?: string | null },
  ): Promise<TipOffView> {
    this.#ctx.access.require(principal, 'marks.decide');
    const before = await this.#visible(principal, id);
    const after = await this.#ctx.repos.tipOffs.handle(
      id,
      input.state,
      actorOf(principal),
      input.note ?? null,
      this.#ctx.now(),
      input.internalNote,
    );
    await this.#ctx.audit.record(principal, 'tip_off.handle', 'tip_off', id, {
      before: view(before),
      after: view(after),
    });
    const [named] = await this.#named([after]);
    return named as TipOffView;
  }

  /** The n-th attachment (from 0) of a tip in the caller's region. */
  async attachment(
    principal: Principal,
    id: number,
    n: number,
  ): Promise<{ name: string; type: string; bytes: Uint8Array }> {
    this.#ctx.access.require(principal, 'marks.decide');
    await this.#visible(principal, id);
    const file = await this.#ctx.repos.tipOffs.attachment(id, n);
    if (file === undefined) throw new QyError('QY_E_NOT_FOUND', { entity: 'attachment', id, n });
    return file;
  }

  /** The tips without the filer's address, with their enterprise's and responsible city's names. */
  async #named(tips: readonly TipOff[]): Promise<TipOffView[]> {
    if (tips.length === 0) return [];
    const db = this.#ctx.store.db;
    const enterpriseIds = [
      ...new Set(tips.flatMap((t) => (t.enterprise_id === null ? [] : [t.enterprise_id]))),
    ];
    const regionCodes = [...new Set(tips.map((t) => t.region_code))];
    const enterprises =
      enterpriseIds.length === 0
        ? []
        : await db.selectFrom('enterprise').select(['id', 'name']).where('id', 'in', enterpriseIds).execute();
    const regions = await db
      .selectFrom('region')
      .select(['code', 'name'])
      .where('code', 'in', regionCodes)
      .execute();
    const enterpriseName = new Map(enterprises.map((e) => [Number(e.id), e.name]));
    const regionName = new Map(regions.map((r) => [r.code, r.name]));
    return tips.map((t) => ({
      ...view(t),
      enterprise_name:
        t.enterprise_id === null ? null : (enterpriseName.get(Number(t.enterprise_id)) ?? null),
      region_name: regionName.get(t.region_code) ?? null,
    }));
  }

  /** A tip whose region lies in the caller's subtree, else QY_E_NOT_FOUND. */
  async #visible(principal: Principal, id: number): Promise<TipOff> {
    const scope = this.#ctx.access.require(principal, 'marks.decide');
    const tip = Number.isSafeInteger(id) ? await this.#ctx.repos.tipOffs.get(id) : undefined;
    if (tip === undefined || !(await scope.hasRegion(tip.region_code)))
      throw new QyError('QY_E_NOT_FOUND', { entity: 'tipOff', id });
    return tip;
  }

  /** The city a region belongs to (a county's parent; a city itself; 省直管 county-level cities themselves). */
  async #cityOf(code: string): Promise<string> {
    const db = this.#ctx.store.db;
    const region = await db.selectFrom('region').selectAll().where('code', '=', code).executeTakeFirst();
    if (region === undefined || region.level === 'province')
      throw new QyError('QY_E_VALIDATION', { field: 'regionCode', reason: `not a city or county: ${code}` });
    if (region.level === 'city' || region.parent_code === null) return region.code;
    const parent = await db
      .selectFrom('region')
      .selectAll()
      .where('code', '=', region.parent_code)
      .executeTakeFirst();
    return parent?.level === 'city' ? parent.code : region.code;
  }
}
