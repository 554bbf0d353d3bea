/** Protocol versions this codec speaks. `unknown`: Flag version bits that name none of them. */
export const PROTOCOL_VERSIONS = ['2005', '2017', '2025'] as const;
export type ProtocolVersion = (typeof PROTOCOL_VERSIONS)[number];
export type DetectedVersion = ProtocolVersion | 'unknown';

export function isProtocolVersion(value: unknown): value is ProtocolVersion {
  return typeof value === 'string' && (PROTOCOL_VERSIONS as readonly string[]).includes(value);
}
