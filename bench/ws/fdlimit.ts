// File descriptors: the load process holds every watcher socket at once (and the server child as many),
// so the soft `ulimit -n` must exceed that. Node cannot raise its own limit; when it is too low we run
// again under `bash -c 'ulimit -n <hard>; exec ...'`, once (BENCH_WS_FDS_RAISED stops a loop), and the
// children inherit the raised limit.
import { execFileSync, spawnSync } from 'node:child_process';

const limit = (flag: '-Sn' | '-Hn') => {
  const v = execFileSync('bash', ['-c', `ulimit ${flag}`], { encoding: 'utf8' }).trim();
  return v === 'unlimited' ? Infinity : Number(v);
};

/** Returns normally when `need` descriptors fit; otherwise re-runs this process and exits with its code. */
export function ensureFds(need: number): void {
  const soft = limit('-Sn');
  if (soft >= need) return;
  const hard = limit('-Hn');
  if (process.env.BENCH_WS_FDS_RAISED === '1' || hard < need) {
    throw new Error(`need ${need} file descriptors, ulimit -n is ${soft} (hard ${hard}): raise it, e.g. ulimit -n ${need}`);
  }
  const target = hard === Infinity ? 65_535 : hard;
  const argv = [...process.execArgv, ...process.argv.slice(1)].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('bash', ['-c', `ulimit -n ${target} && exec '${process.execPath}' ${argv}`], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_WS_FDS_RAISED: '1' },
  });
  process.exit(r.status ?? 1);
}
