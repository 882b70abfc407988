// CPU used by the load client (this process) and by a child during a phase, as a share of one core
// (user + system; the system part, mostly loopback TCP, in brackets), so the report can say which side
// a figure was bound by. This machine has two cores for both.
import type { Child } from './child.ts';
import { until } from './stats.ts';

interface Usage { user: number; system: number }

export interface CpuShare { client: number; clientSys: number; server: number; serverSys: number }

/** Start measuring; the returned function ends the measurement. */
export async function cpuMeter(child: Child): Promise<() => Promise<CpuShare>> {
  const c0 = process.cpuUsage();
  const s0 = await child.ask<Usage>('cpu');
  const t0 = performance.now();
  return async () => {
    const c = process.cpuUsage(c0);
    const s1 = await child.ask<Usage>('cpu');
    const us = (performance.now() - t0) * 1000;
    const share = (u: number) => Math.round((u / us) * 100) / 100;
    return {
      client: share(c.user + c.system),
      clientSys: share(c.system),
      server: share(s1.user + s1.system - s0.user - s0.system),
      serverSys: share(s1.system - s0.system),
    };
  };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

export const cpuText = (c: CpuShare) => `CPU: client ${pct(c.client)} (sys ${pct(c.clientSys)}), server ${pct(c.server)} (sys ${pct(c.serverSys)}) of a core`;

/**
 * Wait until `child` is quiet: under `share` of a core over one `every` ms window (at most `ms`).
 * Each phase starts from rest, so a figure is not the tail of the phase before it (the full-load phase
 * leaves about a second of snapshots, projection steps and WAL checkpoints behind it). Resolves with
 * the time waited, or -1 when the child never went quiet.
 */
export async function settle(child: Child, o: { share?: number; every?: number; ms?: number } = {}): Promise<number> {
  const share = o.share ?? 0.1;
  const every = o.every ?? 250;
  const t0 = performance.now();
  let prev = await child.ask<Usage>('cpu');
  let at = performance.now();
  const quiet = await until(async () => {
    const now = await child.ask<Usage>('cpu');
    const t = performance.now();
    // The first poll comes at once: judge only whole windows.
    if (t - at < every / 2) return false;
    const used = now.user + now.system - prev.user - prev.system;
    const window = (t - at) * 1000;
    prev = now;
    at = t;
    return used / window < share;
  }, o.ms ?? 5_000, every);
  return quiet ? Math.round(performance.now() - t0) : -1;
}
