/**
 * The one error catalogue of @qingyuan/hj212.
 *
 * Every deviation the codec can detect has a stable code here. A code's `severity` is what it means in
 * lenient mode (the default): `error` rejects the frame, `warning` is a tolerated deviation from the
 * standard's letter, `info` is a remark. In strict mode warnings reject too (see `decode-options.ts`).
 * Codes never change meaning once released; new ones are appended.
 */

export type Severity = 'error' | 'warning' | 'info';

interface CatalogueEntry {
  readonly severity: Severity;
  readonly message: string;
}

const entry = (severity: Severity, message: string): CatalogueEntry => ({ severity, message });

export const HJ212_ERRORS = {
  // Stream framing (HJ 212-2017 §6.3, 表 2)
  HJ212_E_GARBAGE_SKIPPED: entry(
    'warning',
    'Bytes that are not part of any packet were discarded before the next "##" frame start.',
  ),
  HJ212_E_LENGTH_OVER_LIMIT: entry(
    'warning',
    'The data segment is longer than the 1024 bytes HJ 212 allows; it was accepted because real devices send longer packets.',
  ),
  HJ212_E_LENGTH_COUNTS_CHARACTERS: entry(
    'warning',
    'The length field counts characters, not UTF-8 bytes: the sender counted Chinese text as one unit per character.',
  ),
  HJ212_E_LENGTH_MISMATCH: entry(
    'warning',
    'The length field matches neither the byte count nor the character count of the data segment.',
  ),
  HJ212_E_TERMINATOR_MISSING: entry(
    'warning',
    'The packet does not end with CR LF; it was delimited by the next frame start or the end of the stream.',
  ),
  HJ212_E_TERMINATOR_LF: entry('warning', 'The packet ends with LF alone instead of CR LF.'),
  HJ212_E_FRAME_TRUNCATED: entry(
    'error',
    'A packet started with "##" but ended before its CRC and CR LF arrived (the connection closed or a new packet began).',
  ),
  HJ212_E_FRAME_TOO_LONG: entry(
    'error',
    'No packet end was found within the maximum frame size; the bytes were discarded and the decoder resynchronised.',
  ),
  HJ212_E_NO_FRAME: entry('error', 'The input holds no "##"-framed HJ 212 packet.'),
  HJ212_E_EXTRA_FRAMES: entry('warning', 'The input holds more than one packet; only the first was decoded.'),

  // CRC (HJ 212-2017 附录 A)
  HJ212_E_CRC_NOT_HEX: entry('error', 'The CRC field is not four hexadecimal digits.'),
  HJ212_E_CRC_MISMATCH: entry(
    'error',
    'The CRC does not match the data segment under any known CRC variant: the packet was corrupted or edited.',
  ),
  HJ212_E_CRC_VARIANT_NOT_ALLOWED: entry(
    'error',
    'The CRC matches a non-standard variant (CRC-16/MODBUS) that is not enabled for this device; enable it per device if the data logger really uses it.',
  ),
  HJ212_E_CRC_OVER_CHARACTERS: entry(
    'warning',
    'The CRC was computed over UTF-16 characters instead of UTF-8 bytes (a Java/C# data-logger bug); accepted in lenient mode.',
  ),
  HJ212_E_CRC_SIGNED_CHAR: entry(
    'warning',
    'The CRC was computed with sign-extended bytes (a C data-logger bug with signed char); accepted in lenient mode.',
  ),
  HJ212_E_CRC_LOWERCASE: entry('info', 'The CRC is written in lower-case hexadecimal.'),

  // Data segment and header (HJ 212-2017 §6.3.2, 表 3)
  HJ212_E_UTF8_INVALID: entry(
    'warning',
    'The data segment is not valid UTF-8; invalid bytes were replaced with U+FFFD.',
  ),
  HJ212_E_NON_ASCII_2005: entry(
    'warning',
    'HJ/T 212-2005 packets are ASCII only, but this one carries non-ASCII text.',
  ),
  HJ212_E_CP_MISSING: entry(
    'error',
    'The data segment has no "CP=&&" command parameters: it cannot be interpreted.',
  ),
  HJ212_E_CP_UNTERMINATED: entry('warning', 'The command parameters have no closing "&&".'),
  HJ212_E_CP_TOO_LONG: entry(
    'warning',
    'The command parameters are longer than the version allows (950 in 2017, 960 in 2005).',
  ),
  HJ212_E_HEADER_SEPARATOR: entry(
    'warning',
    'A header field is not separated by ";" (a comma or nothing was used, as in some of the standard\'s own examples).',
  ),
  HJ212_E_HEADER_DUPLICATE: entry('warning', 'A header field appears twice; the first occurrence is used.'),
  HJ212_E_HEADER_UNKNOWN: entry('warning', 'The header has a field HJ 212 does not define; it was ignored.'),
  HJ212_E_QN_MISSING: entry('warning', 'The packet has no QN request number.'),
  HJ212_E_QN_INVALID: entry('warning', 'QN is not a valid YYYYMMDDhhmmsszzz timestamp.'),
  HJ212_E_ST_INVALID: entry('warning', 'ST is not two characters 0-9/A-Z.'),
  HJ212_E_ST_MISSING: entry('warning', 'The packet has no ST system code.'),
  HJ212_E_CN_MISSING: entry('error', 'The packet has no CN command code: it cannot be interpreted.'),
  HJ212_E_CN_INVALID: entry('warning', 'CN is not four digits.'),
  HJ212_E_CN_UNKNOWN: entry(
    'info',
    'The CN command code is not defined by the detected version; its parameters are kept as received.',
  ),
  HJ212_E_PW_MISSING: entry('warning', 'The packet has no PW access password.'),
  HJ212_E_MN_MISSING: entry('warning', 'The packet has no MN device identifier.'),
  HJ212_E_MN_FORMAT: entry(
    'info',
    'MN is neither 24 hexadecimal characters (2017 EPC-96) nor 14 characters (2005); it is used as received.',
  ),
  HJ212_E_FLAG_INVALID: entry('warning', 'Flag is not an integer from 0 to 255; it was ignored.'),
  HJ212_E_FLAG_MISSING: entry(
    'info',
    'The packet has no Flag; it is read as HJ/T 212-2005 without acknowledgement.',
  ),
  HJ212_E_VERSION_UNKNOWN: entry('warning', 'The Flag version bits name no known HJ 212 version.'),
  HJ212_E_PACKET_NUMBERS: entry(
    'warning',
    'PNUM/PNO are inconsistent: missing while Flag.D is set, present while it is not, not 1-9999, or PNO > PNUM.',
  ),

  // Command parameters (HJ 212-2017 §6.3.3, 表 4)
  HJ212_E_CP_EMPTY_ITEM: entry(
    'warning',
    'The command parameters contain an empty item (";;" or a trailing separator).',
  ),
  HJ212_E_CP_NO_VALUE: entry('warning', 'A command parameter has no "=" and no value.'),
  HJ212_E_CP_LOG_UNTERMINATED: entry(
    'warning',
    'A "//" log text (表 B.10) has no closing "//"; it was read as plain text so the items after it are kept.',
  ),
  HJ212_E_CP_WHITESPACE: entry(
    'warning',
    'A command parameter has spaces around its name or value; they were trimmed.',
  ),
  HJ212_E_DATATIME_MISSING: entry('warning', 'A data upload has no DataTime.'),
  HJ212_E_TIME_MILLISECONDS: entry(
    'warning',
    'A timestamp has 17 digits (with milliseconds) where HJ 212 specifies 14 (YYYYMMDDhhmmss).',
  ),
  HJ212_E_TIME_INVALID: entry(
    'warning',
    'A timestamp is not a valid YYYYMMDDhhmmss date and time; it was ignored.',
  ),
  HJ212_E_VALUE_NOT_NUMBER: entry('warning', 'A value that must be a number is not one; it is kept as text.'),
  HJ212_E_DUPLICATE_VALUE: entry(
    'warning',
    'The same factor and value kind appear twice; the first value is used.',
  ),
  HJ212_E_CODE_2005: entry(
    'info',
    'HJ/T 212-2005 factor codes were mapped to their HJ 212-2017 codes (the originals are kept).',
  ),
  HJ212_E_CODE_VERSION_MIX: entry(
    'warning',
    'Factor codes of one version appear in a packet of another (2005 codes in a 2017 packet, or the reverse).',
  ),
  HJ212_E_UNIT_CHANGED_2005: entry(
    'info',
    'A mapped 2005 factor had another unit in 2005 (e.g. MPa instead of kPa); the value is kept as sent.',
  ),
  HJ212_E_NOISE_DAY_NIGHT_2005: entry(
    'warning',
    'HJ/T 212-2005 defines Ld as night and Ln as day, the reverse of 2017; the 2005 meaning was applied.',
  ),
  HJ212_E_DATA_FLAG_UNKNOWN: entry(
    'info',
    "A data flag is not in the version's flag table (the table is extensible).",
  ),
  HJ212_E_UNKNOWN_SUFFIX: entry('info', 'A field suffix is not defined by HJ 212; it is kept as received.'),
  HJ212_E_REPLY_QN_MISSING: entry(
    'warning',
    'A reply names no request QN (neither in the header nor in CP).',
  ),

  // Sub-packets (HJ 212-2017 §6.3.2 PNUM/PNO, 表 C.50)
  HJ212_E_SUBPACKET_GAP: entry(
    'warning',
    'Sub-packets of a split message did not all arrive before the timeout.',
  ),
  HJ212_E_SUBPACKET_DUPLICATE: entry('info', 'A sub-packet arrived twice; the repeat was ignored.'),
  HJ212_E_SUBPACKET_CONFLICT: entry(
    'warning',
    'A sub-packet number arrived again with other content; the earlier, incomplete message was closed.',
  ),

  // Encoding
  HJ212_E_ENCODE_FIELD: entry(
    'error',
    'A value cannot be encoded: it is empty where required or contains a separator (";", ",", "=", "&&") or CR/LF.',
  ),
  HJ212_E_ENCODE_TOO_LONG: entry(
    'error',
    'A single parameter group is longer than the packet limit, so the message cannot be split into sub-packets.',
  ),
  HJ212_E_ENCODE_COMMAND: entry(
    'error',
    'The command is unknown or not defined for the target protocol version.',
  ),
} as const satisfies Record<string, CatalogueEntry>;

export type Hj212Code = keyof typeof HJ212_ERRORS;

/** A deviation or failure found while decoding, with a stable code and a message a person can act on. */
export interface Diagnostic {
  readonly code: Hj212Code;
  readonly severity: Severity;
  readonly message: string;
  /** What exactly was found: the field, the offending text, counts. */
  readonly detail?: Readonly<Record<string, unknown>>;
}

export function diagnostic(code: Hj212Code, detail?: Record<string, unknown>): Diagnostic {
  const { severity, message } = HJ212_ERRORS[code];
  return detail === undefined ? { code, severity, message } : { code, severity, message, detail };
}

/** The only error type the codec throws (encoding invalid input, strict APIs). */
export class Hj212Error extends Error {
  readonly code: Hj212Code;
  readonly detail: Readonly<Record<string, unknown>> | undefined;

  constructor(code: Hj212Code, detail?: Record<string, unknown>, options?: { cause?: unknown }) {
    const suffix = detail === undefined ? '' : ` ${JSON.stringify(detail)}`;
    super(`${code}: ${HJ212_ERRORS[code].message}${suffix}`, options);
    this.name = 'Hj212Error';
    this.code = code;
    this.detail = detail;
  }
}
