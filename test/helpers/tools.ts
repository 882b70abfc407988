// Command-line tools some tests run (promtool, docker-compose), and what happens when one is missing:
// a loud skip on a developer's machine, a failure when OKJ_REQUIRE_SERVICES=1 (CI installs them in
// .ci/run), never a silent pass.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { requireServices, type ServiceTest } from './services.ts';

/** The full path of `cmd` on PATH, or null. */
export function which(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const full = path.join(dir, cmd);
    try {
      accessSync(full, constants.X_OK);
      return full;
    } catch {
      // not here
    }
  }
  return null;
}

/** Report a missing tool: fail under OKJ_REQUIRE_SERVICES=1, else skip loudly. */
export function toolMissing(t: ServiceTest, tool: string, debianPackage: string): void {
  if (requireServices()) {
    t.fail(`!!! ${tool} is not on PATH, and OKJ_REQUIRE_SERVICES=1 (apt-get install ${debianPackage}; .ci/run does)`);
    return;
  }
  const line = '!'.repeat(100);
  console.error(`\n${line}\n!!! SKIPPED: ${tool} is not on PATH — install the Debian package ${debianPackage} (.ci/run does).\n!!! OKJ_REQUIRE_SERVICES=1 turns this into a failure.\n${line}\n`);
  t.skip(`SKIPPED: ${tool} is not on PATH (Debian package ${debianPackage})`, () => {});
}

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: readonly string[], opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): Ran {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, input: opts.input, env: opts.env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}
