// Small number helpers for the report.

/** The q-quantile (0..1) of `samples` (sorted in place), rounded to 0.01; NaN when empty. */
export function quantile(samples: Float64Array, q: number): number {
  if (samples.length === 0) return Number.NaN;
  samples.sort();
  const v = samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  return Math.round(v * 100) / 100;
}

export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Poll `cond` every `every` ms until it holds or `ms` passes; returns whether it held. */
export async function until(cond: () => boolean | Promise<boolean>, ms: number, every = 20): Promise<boolean> {
  const deadline = performance.now() + ms;
  for (;;) {
    if (await cond()) return true;
    if (performance.now() >= deadline) return false;
    await sleep(every);
  }
}
