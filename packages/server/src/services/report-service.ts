import { DEFAULT_RULES, type RuleConfig, type TransmissionView } from '@qingyuan/domain';
import type { Subject } from '@qingyuan/store';
import type { Principal } from '../access/principal.js';
import {
  type EmissionReportRow,
  elapsedInterval,
  emissionReport,
  type ReportPeriod,
  reportInterval,
  reportSubjects,
  type TransmissionReportRow,
  transmissionReport,
} from '../analysis/report-rows.js';
import { QyError } from '../errors.js';
import type { ServiceContext } from './context.js';

export interface ReportQuery {
  readonly period: ReportPeriod;
  /** YYYY-MM, YYYY-Qn or YYYY, matching the period. */
  readonly at: string;
  readonly subject: Subject;
}

interface ReportHead {
  readonly period: ReportPeriod;
  readonly at: string;
  readonly from: number;
  readonly to: number;
  readonly subject: Subject;
}

export interface TransmissionReport extends ReportHead {
  readonly view: TransmissionView;
  /** The period is counted up to here: its end, or the start of today while it still runs. */
  readonly countedTo: number;
  /** False while the period runs (then counted through yesterday: no 应传 for hours not yet come). */
  readonly complete: boolean;
  /** The 有效传输率 target (办法 第八条(二): more than 95 %). */
  readonly target: number;
  readonly rows: readonly (TransmissionReportRow & { readonly belowTarget: boolean })[];
}

export interface EmissionReport extends ReportHead {
  readonly rows: readonly EmissionReportRow[];
}

/** Transmission-rate and emission reports over the points in the caller's scope. */
export class ReportService {
  readonly #ctx: ServiceContext;
  readonly #rules: RuleConfig;

  constructor(ctx: ServiceContext, rules: RuleConfig = DEFAULT_RULES) {
    this.#ctx = ctx;
    this.#rules = rules;
  }

  get context(): ServiceContext {
    return this.#ctx;
  }

  /** 应传/实传/有效 and the three rates per subject, counted from the hourly data of the points in scope. */
  async transmission(
    principal: Principal,
    query: ReportQuery & { view?: TransmissionView },
  ): Promise<TransmissionReport> {
    const scope = this.#ctx.access.require(principal, 'data.read');
    const head = reportHead(query);
    const view = query.view ?? 'amended';
    const subjects = await reportSubjects(this.#ctx.store, query.subject, { pointIds: scope.pointIds() });
    const counted = elapsedInterval(head, this.#ctx.now());
    const rows = await transmissionReport(this.#ctx.store, {
      interval: counted,
      view,
      rules: this.#rules,
      subjects,
    });
    return {
      ...head,
      countedTo: counted.to,
      complete: counted.complete,
      view,
      target: this.#rules.transmissionTarget,
      rows: rows.map((r) => ({ ...r, belowTarget: r.meetsTarget === false })),
    };
  }

  /** Emitted kg per subject and pollutant, from the hourly emissions of the points in scope. */
  async emissions(principal: Principal, query: ReportQuery): Promise<EmissionReport> {
    const scope = this.#ctx.access.require(principal, 'data.read');
    const head = reportHead(query);
    const subjects = await reportSubjects(this.#ctx.store, query.subject, { pointIds: scope.pointIds() });
    const rows = await emissionReport(this.#ctx.store, { interval: head, by: query.subject, subjects });
    return { ...head, rows };
  }
}

function reportHead(query: ReportQuery): ReportHead {
  const interval = reportInterval(query.period, query.at);
  if (interval === undefined)
    throw new QyError('QY_E_VALIDATION', {
      field: 'at',
      reason: `for period=${query.period} give ${{ month: 'YYYY-MM', quarter: 'YYYY-Qn', year: 'YYYY' }[query.period]}`,
    });
  return { period: query.period, at: query.at, ...interval, subject: query.subject };
}
