import type { CrcVariant } from './crc.js';
import type { Diagnostic } from './errors.js';
import type { RawFrame } from './frame.js';
import type { DetectedVersion } from './versions.js';

/** One `key=value` of the CP data area, trimmed; `value` is null when the field had no "=". */
export interface CpField {
  readonly key: string;
  readonly value: string | null;
}

/** One `;`-separated item of CP: its `,`-separated sub-fields (HJ 212-2017 §6.3.3.1). */
export type CpGroup = readonly CpField[];

/** The CP data area as received: items in order, each with its sub-fields in order. */
export type Cp = readonly CpGroup[];

/** The header of the data segment (HJ 212-2017 表 3). Every field may be missing in real traffic. */
export interface Header {
  readonly qn?: string;
  readonly st?: string;
  readonly cn?: string;
  readonly pw?: string;
  readonly mn?: string;
  /** Flag as an integer 0-255 (bits V5..V0 D A). */
  readonly flag?: number;
  /** PNUM: total sub-packets. */
  readonly pnum?: number;
  /** PNO: this sub-packet's number, 1-based. */
  readonly pno?: number;
}

/** Value kinds of a factor (HJ 212-2017 表 4; noise -Data/-DayData/-NightData; HJ/T 212-2005 -Ala). */
export const VALUE_KINDS = [
  'Rtd',
  'Min',
  'Avg',
  'Max',
  'Cou',
  'ZsRtd',
  'ZsMin',
  'ZsAvg',
  'ZsMax',
  'Data',
  'DayData',
  'NightData',
  'Ala',
] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];

/** Everything a packet says about one factor at one period. */
export interface FactorObservation {
  /** HJ 212-2017 code; a 2005 code is mapped (see `originalCode`). Unknown codes are kept as sent. */
  readonly code: string;
  /** The code as it appeared in the packet. */
  readonly originalCode: string;
  readonly values: Partial<Record<ValueKind, number>>;
  /** `-Flag` data flag (数据标记, 表 8), e.g. N, D, M. Read it with the version: F differs (2005/2017). */
  readonly dataFlag?: string;
  /** `-EFlag` extended flag, device-defined (C4). */
  readonly eFlag?: string;
  /** `-SampleTime` (UTC epoch ms) for non-continuous analysers. */
  readonly sampleTime?: number;
  /** Suffixes HJ 212 does not define, or values that were not numbers, as received. */
  readonly other?: Readonly<Record<string, string>>;
}

export type ObservationPeriod = 'realtime' | 'minute' | 'hour' | 'day';

/** CN 2011 / 2051 / 2061 / 2031 uploads. */
export interface ObservationsBody {
  readonly type: 'observations';
  readonly period: ObservationPeriod;
  /** DataTime (UTC epoch ms): sampling instant for 2011, interval start for 2051/2061/2031. */
  readonly dataTime?: number;
  readonly factors: readonly FactorObservation[];
  /** Items without a factor code (vendor fields such as `FANSTATUS=1`), as received. */
  readonly extras: readonly CpField[];
}

/** CN 2021 (`SBn-RS`, 0 off, 1 running, 2 calibrating, 3 maintenance, 4 alarm, 5 back-blowing). */
export interface RunStateBody {
  readonly type: 'run-state';
  readonly dataTime?: number;
  readonly treatmentFacilities: readonly { readonly id: string; readonly state: number }[];
  readonly extras: readonly CpField[];
}

/** CN 2041 (`SBn-RT`, hours run in the day). */
export interface RunTimeBody {
  readonly type: 'run-time';
  readonly dataTime?: number;
  readonly treatmentFacilities: readonly { readonly id: string; readonly hours: number }[];
  readonly extras: readonly CpField[];
}

/** One `ixxxxx-Info` value; `text` is the content of a `//…//` log. */
export interface DeviceInfoItem {
  readonly code: string;
  readonly value: string;
  readonly text?: string;
}

/** CN 3020 upload: site information per PolId (both grouping styles of the field). */
export interface DeviceInfoBody {
  readonly type: 'device-info';
  readonly dataTime?: number;
  readonly entries: readonly { readonly polId?: string; readonly items: readonly DeviceInfoItem[] }[];
  readonly extras: readonly CpField[];
}

/** CN 2081: the data logger restarted. */
export interface RestartBody {
  readonly type: 'restart';
  readonly dataTime?: number;
  readonly restartTime?: number;
}

/** CN 1011 upload: the data logger's (or an instrument's) clock. */
export interface SystemTimeBody {
  readonly type: 'system-time';
  readonly polId?: string;
  readonly systemTime?: number;
}

/** CN 1013: the data logger asks for a clock calibration. */
export interface TimeCalibrationRequestBody {
  readonly type: 'time-calibration-request';
  readonly polId?: string;
}

/** Uploads that answer a platform request with plain parameters (1061, 1063, 3015, 3017, 3018, 3019). */
export interface ParametersBody {
  readonly type: 'parameters';
  readonly polId?: string;
  readonly dataTime?: number;
  readonly params: Readonly<Record<string, string>>;
}

/** HJ/T 212-2005 CN 2072 alarm event (and 2071 alarm records). */
export interface AlarmBody {
  readonly type: 'alarm';
  readonly alarmTime?: number;
  /** 1 exceedance started, 0 recovered (2005). */
  readonly alarmType?: number;
  readonly dataTime?: number;
  readonly factors: readonly FactorObservation[];
}

/** CN 9011 request reply (QnRtn, HJ 212-2017 表 7). */
export interface RequestReplyBody {
  readonly type: 'request-reply';
  readonly requestQn?: string;
  readonly qnRtn?: number;
}

/** CN 9012 execution result (ExeRtn, HJ 212-2017 表 6). */
export interface ExecutionResultBody {
  readonly type: 'execution-result';
  readonly requestQn?: string;
  readonly exeRtn?: number;
}

/** CN 9013 notice reply. */
export interface NoticeReplyBody {
  readonly type: 'notice-reply';
  readonly requestQn?: string;
}

/** CN 9014 data acknowledgement (2005 style names the acknowledged CN and sub-packet). */
export interface DataAckBody {
  readonly type: 'data-ack';
  readonly requestQn?: string;
  readonly ackedCn?: string;
  readonly pno?: number;
  readonly pnum?: number;
}

/** CN 9015 (2025) / 9021 (field) heartbeat. */
export interface HeartbeatBody {
  readonly type: 'heartbeat';
}

/** A platform → data logger request or notice (decoded e.g. by a simulator). */
export interface CommandBody {
  readonly type: 'command';
  /** The command's name in `COMMANDS`, e.g. `get-hour-data`. */
  readonly command: string;
  /** Parameters: times as UTC epoch ms, numbers as numbers, the rest as text. */
  readonly params: Readonly<Record<string, string | number>>;
}

/** A CN this codec does not interpret: the CP is kept whole in `Message.cp`. */
export interface UnknownBody {
  readonly type: 'unknown';
}

export type Body =
  | ObservationsBody
  | RunStateBody
  | RunTimeBody
  | DeviceInfoBody
  | RestartBody
  | SystemTimeBody
  | TimeCalibrationRequestBody
  | ParametersBody
  | AlarmBody
  | RequestReplyBody
  | ExecutionResultBody
  | NoticeReplyBody
  | DataAckBody
  | HeartbeatBody
  | CommandBody
  | UnknownBody;

export type BodyType = Body['type'];

/** Who sent a packet: the data logger (`up`) or the platform (`down`). */
export type Direction = 'up' | 'down';

/** A parsed data segment. */
export interface Message extends Header {
  readonly version: DetectedVersion;
  /** Flag bit A: the sender wants an acknowledgement. */
  readonly ackRequested: boolean;
  /** Flag bit D: the message is one sub-packet of several. */
  readonly split: boolean;
  readonly direction: Direction;
  readonly cp: Cp;
  readonly body: Body;
}

export type CrcBasis = 'bytes' | 'utf16' | 'signed-char';

export interface CrcCheck {
  /** The CRC matched a variant allowed for this device. */
  readonly ok: boolean;
  /** Which variant matched (even one that is not allowed), or null when none did. */
  readonly variant: CrcVariant | null;
  /** What the CRC was computed over; `utf16`/`signed-char` are data-logger bugs tolerated in lenient mode. */
  readonly basis: CrcBasis | null;
  /** The four characters received. */
  readonly received: string;
  /** The standard (附录 A) CRC of the data segment's bytes. */
  readonly expected: string;
}

/** A packet checked and parsed. `ok` is true when it may be trusted and acknowledged. */
export interface DecodedFrame {
  readonly ok: boolean;
  /** What makes `ok` false (in strict mode, deviations too). */
  readonly errors: readonly Diagnostic[];
  /** Tolerated deviations and remarks. */
  readonly diagnostics: readonly Diagnostic[];
  readonly frame: RawFrame;
  readonly crc: CrcCheck;
  /** Present whenever the data segment could be read, even if the CRC failed (for evidence and diagnosis). */
  readonly message?: Message;
}
