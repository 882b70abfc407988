// SIGKILL in the middle of a run, then run again: every seller is paid once. The run is in a child
// process (./crash-child.ts), killed once its settlements are opened, or once its bank file is written
// and before its payouts are marked; the next run, after the claim has lapsed, finishes the job. On
// SQLite and MariaDB.
import t, { type Test } from 'tap';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ManualClock } from '../../engine/clock.ts';
import { lastEndedPeriod } from '../../engine/settlement/periods.ts';
import { SettlementService } from '../../app/settlement/service.ts';
import { openSqlDatabase, type SqlDatabase } from '../../storage/sql/database.ts';
import { CsvPayouts } from '../../storage/settlement/payouts/csv.ts';
import { DiskFiles } from '../../storage/settlement/payouts/files.ts';
import { SqlSettlementStore } from '../../storage/settlement/sql.ts';
import { mariaDbDatabase } from '../helpers/services.ts';
import { bundled } from '../helpers/bundle.ts';
import { tempSqlitePath } from '../helpers/stores.ts';
import { eventually } from '../market/fixtures.ts';
import { ACCOUNT, autoNet } from './world.ts';

const CHILD = path.resolve(import.meta.dirname, 'crash-child.ts');

async function csvLines(dir: string): Promise<string[][]> {
  const out: string[][] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || !e.name.endsWith('.csv')) continue;
    for (const l of (await readFile(path.join(e.parentPath, e.name), 'utf8')).trim().split('\r\n').slice(1)) out.push(l.split(','));
  }
  return out;
}

async function crashThenRun(t: Test, url: string, db: SqlDatabase, stage: 'open' | 'sent'): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'okj-payouts-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const store = new SqlSettlementStore(db);
  const now = Date.now();
  const period = lastEndedPeriod(now);
  const at = Date.parse(`${period}T03:00:00Z`);
  const tag = `${stage}-${Math.random().toString(36).slice(2, 8)}`;
  const sellers = [1, 2, 3].map((i) => `seller${i}-${tag}`);
  const seedClock = new ManualClock(at);
  const seed = new SettlementService({ store, gateway: new CsvPayouts(new DiskFiles(dir)), clock: seedClock, claimMs: 60_000, payments: null });
  for (const [i, s] of sellers.entries()) {
    await seed.setPayoutAccount({ userId: s, role: 'user' }, s, ACCOUNT);
    const orderId = `o-${tag}-${i}`;
    await store.post(seed.captured({ orderId, sellerId: s, amount: 10_000 * (i + 1), at }));
    await store.post(await seed.confirmed({ orderId, sellerId: s, categoryId: null, price: 10_000 * (i + 1), at: at + 1 }));
  }

  const child = spawn(process.execPath, [await bundled(CHILD), url, dir, period, stage], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const word = stage === 'open' ? 'OPENED' : 'SENT';
  await eventually(async () => out.includes(word) || undefined, 30_000, `the child to say ${word} (${out.slice(-300)})`);
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;

  const pending = (await store.payoutsIn('PENDING', 1_000)).filter((p) => sellers.includes(p.sellerId));
  t.equal(pending.length, 3, 'the killed run left its payouts PENDING');
  t.equal((await csvLines(dir)).length, stage === 'sent' ? 3 : 0, stage === 'sent' ? 'its file was written' : 'nothing was sent');

  // Straight after the crash, the dead run still holds its claim: nothing is sent twice.
  const clock = new ManualClock(now + 1_000);
  const rerun = new SettlementService({ store, gateway: new CsvPayouts(new DiskFiles(dir)), clock, claimMs: 60_000, payments: null });
  t.match(await rerun.runPeriod(period), { opened: 0, resent: 0 });
  clock.set(now + 120_000);
  t.match(await rerun.runPeriod(period), { opened: 0, resent: 3, completed: 3 }, 'the lapsed payouts are sent again');
  t.match(await rerun.runPeriod(period), { opened: 0, resent: 0 }, 'and never again');

  const lines = await csvLines(dir);
  t.same(lines.map((l) => l[1]).sort(), [...sellers].sort(), 'each seller once in the bank files');
  const bal = await store.balances(sellers.flatMap((s) => [`paid_out:${s}`, `in_transit:${s}`, `payable:${s}`]));
  for (const [i, s] of sellers.entries()) {
    t.equal(bal.get(`paid_out:${s}`), autoNet(10_000 * (i + 1)), `${s} paid once`);
    t.equal(bal.get(`in_transit:${s}`), 0);
    t.equal(bal.get(`payable:${s}`), 0);
  }
}

for (const stage of ['open', 'sent'] as const) {
  t.test(`sqlite, killed after ${stage}`, async (t) => {
    const file = tempSqlitePath(t);
    const db = await openSqlDatabase({ url: file });
    t.teardown(() => db.close());
    await crashThenRun(t, file, db, stage);
  });

  t.test(`mariadb, killed after ${stage}`, async (t) => {
    let db: SqlDatabase | null = null;
    const m = await mariaDbDatabase(t, async () => db?.close());
    if (m === null) return;
    db = await openSqlDatabase({ url: m.url });
    await crashThenRun(t, m.url, db, stage);
  });
}
