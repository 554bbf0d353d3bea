import { setFlagsFromString } from 'node:v8';

/**
 * Turns off V8's allocation-site pretenuring for this process (`--no-allocation-site-pretenuring`), as the
 * gateway does when it starts unless `GatewayOptions.allocationSitePretenuring` keeps it.
 *
 * Why: pretenuring allocates the objects of an allocation site straight into the old generation once most
 * of them are found alive at a scavenge. A busy gateway's in-flight frames (their ingest units, records and
 * replies) are all alive at any scavenge — they wait ≈ 20–50 ms for the group commit — so V8 tenures those
 * sites, although every such object dies a few milliseconds later. Tenured garbage is only freed by a full
 * mark-compact, and until then its pointers into the young generation keep the young objects it refers to
 * alive: each scavenge then copies and promotes the next frames in flight too (≈ 1.6 MB promoted per
 * scavenge instead of ≈ 0.1 MB, pauses of 4–6 ms instead of ≈ 2). Measured in `bench:pipeline` and over
 * loopback (docs/benchmarks.md, "Tenth look"): with it off, 13–17 % less CPU per frame in `bench:pipeline`,
 * ≈ 6 % over loopback.
 *
 * V8 flags are process-wide (every isolate, worker threads included), and V8 consults this one when it
 * judges the feedback at each scavenge, so it takes effect from the next one. Code that runs in the same
 * process (the HTTP API under `qingyuan start`) then promotes what it keeps after two scavenges, as without
 * the optimisation.
 */
export function turnOffPretenuring(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}
