/**
 * @qingyuan/hj212 — a codec for HJ 212 (HJ/T 212-2005, HJ 212-2017, HJ 212-2025), the Chinese protocol
 * between pollution-source data loggers and monitoring platforms. Pure: no sockets, no files.
 */

export {
  COMMANDS,
  type CommandDefinition,
  type CommandParams,
  commandDefinition,
  OPERATOR_COMMANDS,
} from './commands.js';
export {
  CRC_VARIANTS,
  type CrcVariant,
  crcHj212,
  crcHj212SignedChar,
  crcHj212Utf16,
  crcModbus,
  crcText,
  isCrcVariant,
} from './crc.js';
export {
  type DecodedStream,
  type DecodeOptions,
  decodeFrame,
  decodeOneFrame,
  decodeStream,
  type StreamDecodeOptions,
} from './decode.js';
export { type HeaderHint, newHeaderHint } from './decode-options.js';
export {
  type EncodeOptions,
  encodeDataSegment,
  encodeFrame,
  encodeMessage,
  encodeMessageSplit,
  type MessageInput,
  type SplitOptions,
} from './encode.js';
export { type Diagnostic, HJ212_ERRORS, type Hj212Code, Hj212Error, type Severity } from './errors.js';
export {
  type CodeSystem,
  factorCode,
  factorCode2005,
  type ResolvedFactor,
  resolveFactorCode,
} from './factor-resolution.js';
export {
  type DiscardedBytes,
  type FrameLength,
  frameData,
  type LengthBasis,
  type RawFrame,
  STANDARD_MAX_DATA_LENGTH,
} from './frame.js';
export { type FrameBatch, FrameDecoder, type FrameDecoderOptions } from './frame-decoder.js';
export * from './message.js';
export { type ParsedSegment, type ParseOptions, parseDataSegment } from './parse.js';
export { formatDecimal, parseDecimal } from './parse-context.js';
export { composeFlag, VERSION_PROFILES, type VersionProfile, versionFromFlagBits } from './profiles.js';
export {
  buildCommand,
  type CommandTarget,
  dataAck,
  dialectOf,
  executionResult,
  noticeReply,
  platformReply,
  requestReply,
  ST_INTERACTION,
} from './replies.js';
export { type AssembledMessage, SubPacketAssembler, type SubPacketAssemblerOptions } from './subpackets.js';
export {
  anyCommandCode,
  COMMAND_CODES,
  type CommandCode,
  commandCode,
  type ExpectedReply,
  expectedReply,
  type UplinkBody,
} from './tables/command-codes.js';
export { DATA_FLAGS, type DataFlag, dataFlag } from './tables/data-flags.js';
export { DEVICE_INFO_CODES } from './tables/device-info-codes.js';
export { FACTOR_CODES, FACTOR_CODES_2005 } from './tables/factor-codes.js';
export { EXE_RTN_CODES, ExeRtn, QN_RTN_CODES, QnRtn, type ReplyCode } from './tables/reply-codes.js';
export { SYSTEM_CODES } from './tables/system-codes.js';
export type { DeviceInfoCode, FactorCode, FactorCode2005, Medium, SystemCode } from './tables/types.js';
export { BEIJING_OFFSET_MS, formatBeijingTime, formatQn, parseBeijingTime, parseQn } from './time.js';
export {
  type DetectedVersion,
  isProtocolVersion,
  PROTOCOL_VERSIONS,
  type ProtocolVersion,
} from './versions.js';
