// Durable bidding through the real service and store: durable bids/s over 1,000 auctions at full load,
// ack latency at 5,000 bids/s offered, and the time to recover 10,000 open auctions (on a store of
// their own, with 10 bids each, made through the service). The baseline, measured in the same run on
// the same store, is the store's bare append rate for the same rows with no engine in front, so the
// ratio says what the engine and group commit cost on top of the disk.
// Run: npm run bench:journal     (BENCH_MYSQL_URL, default mysql://root@127.0.0.1:3306/test;
//      BENCH_STORE=sqlite or =mysql runs one store only; BENCH_OFFERED=10000 offers that rate for the
//      latency figure instead, to set it beside bench:ws's, which is taken at 10,000 bids/s)
// Last lines: one JSON object per store, mysql last.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { acceptedReply, systemClock, type AuctionEvent, type AuctionSpec, type Reply } from '../engine/index.ts';
import { AuctionService } from '../app/auction/service.ts';
import { MemoryBoard } from '../storage/auction/memory-board.ts';
import { openAuctionSql, type AuctionSql } from '../storage/auction/sql.ts';
import { openSqlDatabase, type SqlDatabase } from '../storage/sql/database.ts';

const AUCTIONS = 1_000;
const LOAD_MS = Number(process.env.BENCH_LOAD_MS ?? 3_000);
const OFFERED_PER_SEC = Number(process.env.BENCH_OFFERED ?? 5_000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 3_000);
const RECOVER = 10_000;
const BIDS_EACH = 10;
const IN_FLIGHT = 20_000;

function spec(id: string, now: number): AuctionSpec {
  return {
    id, sellerId: 'seller', productId: 'p', startPrice: 1_000, bidUnit: 10, buyNowPrice: null, reservePrice: null,
    startsAt: now - 1_000, endsAt: now + 3_600_000, softClose: { windowMs: 60_000, extendMs: 180_000, maxExtensions: 1 },
  };
}

/** The auction's SQL adapters over a database of their own, as app/stores.ts opens them. */
type SqlStore = AuctionSql & { db: SqlDatabase };

async function openSqlStore(o: { url: string; writerThread: boolean }): Promise<SqlStore> {
  const db = await openSqlDatabase(o);
  return { db, ...(await openAuctionSql(db)) };
}

function service(store: SqlStore): AuctionService {
  // As the server does (app/server.ts): MySQL commits on four lanes, SQLite on two. BENCH_LANES overrides.
  const commitLanes = Number(process.env.BENCH_LANES ?? (store.db.dialect === 'mysql' ? 4 : 2));
  const { journal, idempotency, snapshots } = store;
  return new AuctionService({ clock: systemClock, journal, idempotency, snapshots, board: new MemoryBoard(), commitLanes });
}

async function openAll(svc: AuctionService, prefix: string, n: number): Promise<string[]> {
  const now = Date.now();
  const ids = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  const check = (r: Reply) => { if (!r.ok) throw new Error(`setup failed: ${r.code}`); };
  await Promise.all(ids.map((id) => svc.createAsync(spec(id, now), 'seller', `c-${id}`).then(check)));
  await Promise.all(ids.map((id) => svc.submitAsync({ t: 'open', auction: id, rid: `o-${id}`, by: 'seller', role: 'user' }).then(check)));
  return ids;
}

/** A bid source over some auctions: each auction's amounts rise by one unit, so every bid is valid. */
function bidder(ids: string[], tag: string) {
  const next = new Map(ids.map((id) => [id, 1_000]));
  let n = 0;
  return () => {
    const auction = ids[n % ids.length];
    const amount = next.get(auction) as number;
    next.set(auction, amount + 10);
    return { t: 'bid' as const, auction, rid: `${tag}${n}`, by: `b${n++ % 997}`, amount };
  };
}

/** Closed loop: keep IN_FLIGHT bids outstanding for LOAD_MS; returns acknowledged bids per second. */
function fullLoad(svc: AuctionService, ids: string[]): Promise<number> {
  const make = bidder(ids, 'L');
  let acked = 0;
  let failed = 0;
  const started = performance.now();
  return new Promise((resolve) => {
    let outstanding = 0;
    const send = () => {
      outstanding++;
      svc.submit(make(), (r) => {
        outstanding--;
        if (r.ok) acked++; else failed++;
        if (performance.now() - started < LOAD_MS) send();
        else if (outstanding === 0) {
          if (failed > 0) console.error(`  ${failed} bids were refused under load`);
          resolve(Math.round(acked / ((performance.now() - started) / 1000)));
        }
      });
    };
    for (let i = 0; i < IN_FLIGHT; i++) send();
  });
}

/** Open loop at OFFERED_PER_SEC for LATENCY_MS (what is due leaves every millisecond); ack latency percentiles in ms. */
function latency(svc: AuctionService, ids: string[]): Promise<{ p50: number; p99: number }> {
  const make = bidder(ids, 'T');
  const samples: number[] = [];
  const total = Math.floor((LATENCY_MS / 1000) * OFFERED_PER_SEC);
  const started = performance.now();
  let sent = 0;
  return new Promise((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * OFFERED_PER_SEC));
      for (; sent < due; sent++) {
        const t0 = performance.now();
        svc.submit(make(), () => {
          samples.push(performance.now() - t0);
          if (samples.length === total) finish();
        });
      }
      // A 1 ms timer, not setImmediate: a spinning loop would take a core from the store it measures.
      if (sent < total) setTimeout(tick, 1);
    };
    const finish = () => {
      samples.sort((a, b) => a - b);
      const at = (q: number) => Number(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))].toFixed(2));
      resolve({ p50: at(0.5), p99: at(0.99) });
    };
    tick();
  });
}

/** The store alone: append pre-built batches of bid events and replies as fast as it takes them. */
async function bareAppend(store: SqlStore, ids: string[], lastSeq: ReadonlyMap<string, number>): Promise<number> {
  const seq = new Map(lastSeq);
  const make = bidder(ids, 'B');
  let rows = 0;
  const started = performance.now();
  while (performance.now() - started < LOAD_MS / 2) {
    const events: AuctionEvent[] = [];
    const replies = [];
    for (let i = 0; i < 2_000; i++) {
      const c = make();
      const s = (seq.get(c.auction) as number) + 1;
      seq.set(c.auction, s);
      const e: AuctionEvent = {
        auction: c.auction, seq: s, type: 'bid', at: Date.now(), by: c.by, rid: c.rid, amount: c.amount, max: null, price: c.amount,
        leader: c.by, leaderMax: c.amount, endsAt: Date.now() + 3_600_000, status: 'OPEN',
      };
      events.push(e);
      replies.push({ by: c.by, rid: c.rid, auction: c.auction, reply: acceptedReply(c.rid, e, c.by), at: e.at });
    }
    await store.journal.append({ events, replies });
    rows += events.length;
  }
  return Math.round(rows / ((performance.now() - started) / 1000));
}

/**
 * Recovery, on a store of its own: 10,000 open auctions with BIDS_EACH bids each, all made through the
 * service (so snapshots and replies are what production writes), then a restart. (The load phases'
 * store holds the bare-append rows, which no service writes: events with no snapshot behind them.)
 */
async function recovery(url: string): Promise<number> {
  const store = await openSqlStore({ url, writerThread });
  const svc0 = service(store);
  const ids = await openAll(svc0, 'r', RECOVER);
  const make = bidder(ids, 'R');
  for (let done = 0; done < RECOVER * BIDS_EACH; done += IN_FLIGHT) {
    const n = Math.min(IN_FLIGHT, RECOVER * BIDS_EACH - done);
    await Promise.all(Array.from({ length: n }, () => svc0.submitAsync(make())));
  }
  await svc0.shutdown();
  await store.db.close();
  const again = await openSqlStore({ url, writerThread });
  const svc = service(again);
  const started = performance.now();
  const stats = await svc.recover();
  const ms = Math.round(performance.now() - started);
  if (stats.auctions < RECOVER) throw new Error(`recovered only ${stats.auctions} auctions`);
  await svc.shutdown();
  await again.db.close();
  return ms;
}

// BENCH_SQLITE_INLINE=1 appends on the event loop instead of the writer thread, for comparison.
const writerThread = process.env.BENCH_SQLITE_INLINE !== '1';

async function run(name: 'sqlite' | 'mysql', url: string, recoverUrl: string) {
  const store = await openSqlStore({ url, writerThread });
  const svc = service(store);
  const ids = await openAll(svc, 'a', AUCTIONS);
  const durableBidsPerSec = await fullLoad(svc, ids);
  const { p50, p99 } = await latency(svc, ids);
  await svc.shutdown();
  const bare = await bareAppend(store, ids, new Map(ids.map((id) => [id, svc.view(id)?.seq ?? 0])));
  await store.db.close();
  const recover10kMs = await recovery(recoverUrl);
  console.log(`${name}: bare append ${bare.toLocaleString()} rows/s; engine ${durableBidsPerSec.toLocaleString()} durable bids/s (${(durableBidsPerSec / bare).toFixed(2)}x bare); ack p50 ${p50} ms, p99 ${p99} ms at ${OFFERED_PER_SEC}/s; recover ${RECOVER} auctions ${recover10kMs} ms`);
  return { bench: 'journal', store: name, durableBidsPerSec, p50AckMs: p50, p99AckMs: p99, recover10kMs };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'okj-bench-'));
const results = [];
try {
  const only = process.env.BENCH_STORE;
  if (only !== 'mysql') results.push(await run('sqlite', path.join(dir, 'bench.db'), path.join(dir, 'recover.db')));
  if (only !== 'sqlite') await runMysql();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

async function runMysql() {
  const base = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
  const admin = await mysql.createConnection({ uri: base });
  const dbs = [`okj_bench_${process.pid}`, `okj_bench_rec_${process.pid}`];
  const urls = dbs.map((db) => {
    const u = new URL(base);
    u.pathname = `/${db}`;
    return u.toString();
  });
  try {
    for (const db of dbs) await admin.query(`CREATE DATABASE ${db}`);
    results.push(await run('mysql', urls[0], urls[1]));
  } finally {
    for (const db of dbs) await admin.query(`DROP DATABASE IF EXISTS ${db}`);
    await admin.end();
  }
}
console.log('targets: >= 50,000 durable bids/s, p99 <= 10 ms, recovery <= 3,000 ms');
for (const r of results) console.log(JSON.stringify(r));
