/** Protocol versions this codec speaks. `unknown`: Flag version bits that name none of them. */
export const PROTOCOL_VERSIONS = ['2005', '2017', '2025'] as const;
export type ProtocolVersion = (typeof PROTOCOL_VERSIONS)[number];
export type DetectedVersion = ProtocolVersion | 'unknown';

export function isProtocolVersion(value: unknown): value is ProtocolVersion {
  return typeof value === 'string' && (PROTOCOL_VERSIONS as readonly string[]).includes(value);
}

/** Rows keyed by CN, one map per version (first row wins), for lookups without building key strings. */
export function indexByCn<T extends { readonly cn: string; readonly versions: readonly ProtocolVersion[] }>(
  rows: readonly T[],
): Readonly<Record<ProtocolVersion, ReadonlyMap<string, T>>> {
  const index = { '2005': new Map<string, T>(), '2017': new Map<string, T>(), '2025': new Map<string, T>() };
  for (const row of rows)
    for (const version of row.versions) if (!index[version].has(row.cn)) index[version].set(row.cn, row);
  return index;
}
