import { COMMAND_CODES } from './tables/command-codes.js';
import type { DetectedVersion, ProtocolVersion } from './versions.js';

/**
 * What differs between protocol versions, as data. Code reads the profile instead of branching on a
 * version, so HJ 212-2025 specifics can be corrected here once its text is read.
 */
export interface VersionProfile {
  readonly version: ProtocolVersion;
  /** Flag bits V5..V0 (Flag >> 2) that announce the version. */
  readonly flagVersionBits: number;
  /** False where the profile is inferred from third-party code rather than the standard's text. */
  readonly verified: boolean;
  readonly maxDataLength: number;
  /** Longest CP including "CP=&&…&&". */
  readonly maxCpLength: number;
  /**
   * `qn-in-cp` (2005): replies carry the request's QN inside CP, 9014 names the acknowledged CN (and
   * PNO/PNUM) and omits PW/MN. `qn-in-header` (2017): replies echo QN in the header, 9014 has CP=&&&&.
   */
  readonly replyStyle: 'qn-in-cp' | 'qn-in-header';
  /** Whether data uploads must carry QN (2005: "对于上传数据 QN，PNO，PNUM为可选项"). */
  readonly uploadQnRequired: boolean;
  /** Separator between BeginTime and EndTime in history requests. */
  readonly timeRangeSeparator: ',' | ';';
  /** The CP key of the new password in CN 1072. */
  readonly passwordKey: 'PW' | 'NewPW';
  /** Field suffixes defined for CN 2011 real-time uploads. */
  readonly realtimeSuffixes: readonly string[];
  /** The CNs this version defines. */
  readonly commands: readonly string[];
  readonly source: string;
}

const commandsOf = (version: ProtocolVersion): string[] => [
  ...new Set(
    COMMAND_CODES.filter((row) => row.versions.includes(version) && !row.unverified).map((row) => row.cn),
  ),
];

export const VERSION_PROFILES: Readonly<Record<ProtocolVersion, VersionProfile>> = {
  '2005': {
    version: '2005',
    flagVersionBits: 0,
    verified: true,
    maxDataLength: 1024,
    maxCpLength: 960,
    replyStyle: 'qn-in-cp',
    uploadQnRequired: false,
    timeRangeSeparator: ',',
    passwordKey: 'PW',
    realtimeSuffixes: ['Rtd', 'Flag'],
    commands: commandsOf('2005'),
    source: 'HJ/T 212-2005 full text (§6.3, §6.6, 附录 A–C)',
  },
  '2017': {
    version: '2017',
    flagVersionBits: 1,
    verified: true,
    maxDataLength: 1024,
    maxCpLength: 950,
    replyStyle: 'qn-in-header',
    uploadQnRequired: true,
    timeRangeSeparator: ';',
    passwordKey: 'NewPW',
    realtimeSuffixes: ['Rtd', 'ZsRtd', 'Flag', 'EFlag', 'SampleTime'],
    commands: commandsOf('2017'),
    source: 'HJ 212-2017 full text (§6.3, 表 2–9, 附录 A–C)',
  },
  '2025': {
    version: '2025',
    // Flag=8/9 seen in the field; caoyiliang/HJ212 Enum.cs has HJT212_2025 = 8. Unverified.
    flagVersionBits: 2,
    verified: false,
    maxDataLength: 1024,
    maxCpLength: 950,
    replyStyle: 'qn-in-header',
    uploadQnRequired: true,
    timeRangeSeparator: ';',
    passwordKey: 'NewPW',
    // Third-party code sends SampleTime and EFlag with every real-time value in 2025. Unverified.
    realtimeSuffixes: ['Rtd', 'ZsRtd', 'Flag', 'EFlag', 'SampleTime'],
    commands: [
      ...commandsOf('2017'),
      ...new Set(
        COMMAND_CODES.filter((row) => row.versions.includes('2025') && row.unverified).map((row) => row.cn),
      ),
    ],
    source:
      'HJ 212-2025 text NOT read: inferred from HJ 212-2017 plus third-party code (caoyiliang/HJ212 Enum.cs) and field packets',
  },
};

/** The version announced by Flag's version bits (HJ 212-2017 表 3: V5..V0). */
export function versionFromFlagBits(bits: number): DetectedVersion {
  return VERSION_BY_FLAG_BITS[bits] ?? 'unknown';
}

const VERSION_BY_FLAG_BITS: readonly (ProtocolVersion | undefined)[] = (() => {
  const byBits: (ProtocolVersion | undefined)[] = [];
  for (const profile of Object.values(VERSION_PROFILES)) byBits[profile.flagVersionBits] = profile.version;
  return byBits;
})();

/** Flag for a packet: version bits, D (bit 1, sub-packets) and A (bit 0, acknowledgement wanted). */
export function composeFlag(version: ProtocolVersion, options: { ack: boolean; split?: boolean }): number {
  return (
    (VERSION_PROFILES[version].flagVersionBits << 2) | ((options.split ? 1 : 0) << 1) | (options.ack ? 1 : 0)
  );
}
