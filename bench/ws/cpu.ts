// CPU used by the load client (this process) and by a child during a phase, as a share of one core
// (user + system; the system part, mostly loopback TCP, in brackets), so the report can say which side
// a figure was bound by. This machine has two cores for both.
import type { Child } from './child.ts';

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
