import { hash, timingSafeEqual } from 'node:crypto';
import { type CrcVariant, isCrcVariant, type ProtocolVersion } from '@qingyuan/hj212';
import type { PointCredentials, PointRepository } from '@qingyuan/store';

export interface Device {
  readonly pointId: number;
  readonly mn: string;
  readonly protocolVersion: ProtocolVersion;
  readonly crcVariants: readonly CrcVariant[];
  readonly allowedPeers: readonly string[];
  /** SHA-256 of the password: compared in constant time, the plain text is kept only for commands. */
  readonly passwordDigest: Buffer;
  readonly password: string;
}

/**
 * Active points: running (运行), and building (建设), so a new installation can be commissioned and its
 * data checked before acceptance. Planned, stopped and removed points are refused.
 */
const ACCEPTING = new Set(['building', 'running']);

const digest = (text: string): Buffer => hash('sha256', text, 'buffer');

/** Constant-time password check (both sides hashed first, so lengths never leak either). */
export function passwordMatches(device: Device, pw: string | undefined): boolean {
  return pw !== undefined && timingSafeEqual(device.passwordDigest, digest(pw));
}

/** Is the peer address allowed for the device (no list = any address)? IPv4-mapped IPv6 is normalised. */
export function peerAllowed(device: Device, address: string): boolean {
  if (device.allowedPeers.length === 0) return true;
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return device.allowedPeers.includes(plain) || device.allowedPeers.includes(address);
}

/**
 * The registry's view of devices for authentication, cached: each MN is looked up at most once per TTL
 * (negative answers too, so an unknown MN hammering the gateway costs no queries).
 */
export class CredentialCache {
  readonly #entries = new Map<string, { device: Device | undefined; at: number }>();
  readonly #loading = new Map<string, Promise<Device | undefined>>();

  constructor(
    private readonly points: Pick<PointRepository, 'credentials'>,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  /**
   * The answer for `mn` while the cache holds a fresh one (`device` undefined: unknown or not accepting),
   * else undefined — then `lookup` must ask the registry.
   */
  cached(mn: string): { readonly device: Device | undefined } | undefined {
    const entry = this.#entries.get(mn);
    return entry !== undefined && this.now() - entry.at < this.ttlMs ? entry : undefined;
  }

  async lookup(mn: string): Promise<Device | undefined> {
    const cached = this.cached(mn);
    if (cached !== undefined) return cached.device;
    const loading = this.#loading.get(mn);
    if (loading !== undefined) return loading;
    const promise = this.points
      .credentials(mn)
      .then((row) => {
        const device = row === undefined || !ACCEPTING.has(row.status) ? undefined : toDevice(row);
        if (this.#entries.size > 100_000) this.#entries.clear();
        this.#entries.set(mn, { device, at: this.now() });
        return device;
      })
      .finally(() => this.#loading.delete(mn));
    this.#loading.set(mn, promise);
    return promise;
  }

  /** Forget a device (after its registration changed). */
  invalidate(mn?: string): void {
    if (mn === undefined) this.#entries.clear();
    else this.#entries.delete(mn);
  }
}

function toDevice(row: PointCredentials): Device {
  return {
    pointId: row.pointId,
    mn: row.mn,
    protocolVersion: row.protocolVersion as ProtocolVersion,
    crcVariants: row.crcVariants.filter(isCrcVariant),
    allowedPeers: row.allowedPeers ?? [],
    passwordDigest: digest(row.password),
    password: row.password,
  };
}
