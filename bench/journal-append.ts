// Journal append throughput and recovery read time of the SQL store.
//   node --import tsx bench/journal-append.ts [url] [--batch 1000] [--auctions 1000] [--events 200000]
//   url: a SQLite path (default: a temp file) or mysql://root@127.0.0.1:3306/<db>. The MySQL database
//   is DROPPED and created afresh, and dropped again at the end: never name one you care about.
// Then times recovery of --recover live auctions (default 10000): live() + snapshots.get + tails.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import type { AuctionEvent, AuctionSpec, AuctionState } from '../engine/index.ts';
import { openAuctionSql } from '../storage/auction/sql.ts';
import { openSqlDatabase } from '../storage/sql/database.ts';
import { parseSqlUrl } from '../storage/sql/url.ts';
import type { StoredReply } from '../storage/auction/ports.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    batch: { type: 'string', default: '1000' },
    auctions: { type: 'string', default: '1000' },
    events: { type: 'string', default: '200000' },
    recover: { type: 'string', default: '10000' },
  },
});
const batchSize = Number(values.batch);
const auctionCount = Number(values.auctions);
const totalEvents = Number(values.events);
const recoverCount = Number(values.recover);

let url = positionals[0];
if (url === undefined) {
  const dir = mkdtempSync(path.join(tmpdir(), 'okj-bench-'));
  url = path.join(dir, 'bench.db');
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
}
const target = parseSqlUrl(url);
if (target.dialect === 'mysql') {
  const c = await mysql.createConnection({ host: target.host, port: target.port, user: target.user, password: target.password });
  await c.query(`DROP DATABASE IF EXISTS \`${target.database}\``);
  await c.query(`CREATE DATABASE \`${target.database}\``);
  await c.end();
}

const db = await openSqlDatabase({ url });
const { journal, snapshots } = await openAuctionSql(db);
const run = randomUUID().slice(0, 8);
const T0 = 1_700_000_000_000;

function spec(id: string): AuctionSpec {
  return {
    id, sellerId: `seller-${id}`, productId: `product-${id}`, startPrice: 1000, bidUnit: 100, buyNowPrice: null,
    reservePrice: null, startsAt: T0, endsAt: T0 + 86_400_000,
    softClose: { windowMs: 60_000, extendMs: 180_000, maxExtensions: 1 },
  };
}

function event(id: string, seq: number, at: number): AuctionEvent {
  const base = { auction: id, seq, at, rid: `r-${id}-${seq}`, leaderMax: 0, endsAt: T0 + 86_400_000 };
  if (seq === 1) {
    return { ...base, type: 'created', by: `seller-${id}`, amount: null, max: null, price: 1000, leader: null, status: 'PENDING', spec: spec(id) };
  }
  if (seq === 2) return { ...base, type: 'opened', by: `seller-${id}`, amount: null, max: null, price: 1000, leader: null, status: 'OPEN' };
  const price = 1000 + seq * 100;
  return { ...base, type: 'bid', by: `u${seq % 97}`, amount: price, max: price, price, leader: `u${seq % 97}`, leaderMax: price, status: 'OPEN' };
}

function reply(e: AuctionEvent): StoredReply {
  return {
    by: e.by ?? 'system', rid: e.rid ?? '', auction: e.auction, at: e.at,
    reply: { ok: true, rid: e.rid ?? '', seq: e.seq, price: e.price, leading: true, endsAt: e.endsAt, status: e.status },
  };
}

// ---- append throughput ----
const ids = Array.from({ length: auctionCount }, (_, i) => `a-${run}-${i}`);
const nextSeq = new Map(ids.map((id) => [id, 1]));
let cursor = 0;
let at = T0;
function nextBatch(): { events: AuctionEvent[]; replies: StoredReply[] } {
  const events: AuctionEvent[] = [];
  for (let i = 0; i < batchSize; i++) {
    const id = ids[cursor++ % ids.length];
    const seq = nextSeq.get(id) ?? 1;
    nextSeq.set(id, seq + 1);
    events.push(event(id, seq, at++));
  }
  return { events, replies: events.map(reply) };
}

// Warm-up: create every auction.
while ([...nextSeq.values()].some((s) => s <= 2)) await journal.append(nextBatch());

// Only time spent in append() counts: making the batches is the bench's work, not the store's.
const batches = Math.ceil(totalEvents / batchSize);
const lat: number[] = [];
for (let b = 0; b < batches; b++) {
  const batch = nextBatch();
  const t = performance.now();
  await journal.append(batch);
  lat.push(performance.now() - t);
}
const secs = lat.reduce((a, b) => a + b, 0) / 1000;
lat.sort((a, b) => a - b);
const pct = (p: number): string => (lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? 0).toFixed(1);
if (batches > 0) console.log(
  `${db.dialect}: ${batches * batchSize} events in ${secs.toFixed(2)} s = ${Math.round((batches * batchSize) / secs)} events/s ` +
    `(batch ${batchSize} events over ${auctionCount} auctions; per batch p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms)`,
);

// ---- recovery of many live auctions ----
if (recoverCount > 0) {
  const rids = Array.from({ length: recoverCount }, (_, i) => `rec-${run}-${i}`);
  // 5 events each; snapshots of half of them at seq 3.
  for (let off = 0; off < rids.length; off += 1000) {
    const events: AuctionEvent[] = [];
    for (const id of rids.slice(off, off + 1000)) for (let s = 1; s <= 5; s++) events.push(event(id, s, at++));
    await journal.append({ events, replies: events.map(reply) });
  }
  const states: AuctionState[] = rids.filter((_, i) => i % 2 === 0).map((id) => ({
    spec: spec(id), status: 'OPEN', seq: 3, price: 1300, leader: 'u3', leaderMax: 1300, bidCount: 1, extensions: 0,
    endsAt: T0 + 86_400_000, winner: null, closedAt: null, participants: new Set(['u3']),
  }));
  await snapshots.put(states);
  const t = performance.now();
  const live = await journal.live();
  const t1 = performance.now();
  const snaps = await snapshots.get(live);
  const t2 = performance.now();
  const after = new Map(live.map((id) => [id, snaps.get(id)?.seq ?? 0]));
  const tails = await journal.tails(after);
  const t3 = performance.now();
  let n = 0;
  for (const tail of tails.values()) n += tail.length;
  console.log(
    `${db.dialect}: recovery read of ${live.length} live auctions (${snaps.size} snapshots, ${n} tail events) in ${(t3 - t).toFixed(0)} ms ` +
      `(live ${(t1 - t).toFixed(0)} ms, snapshots ${(t2 - t1).toFixed(0)} ms, tails ${(t3 - t2).toFixed(0)} ms)`,
  );
}

await db.close();
if (target.dialect === 'mysql') {
  const c = await mysql.createConnection({ host: target.host, port: target.port, user: target.user, password: target.password });
  await c.query(`DROP DATABASE IF EXISTS \`${target.database}\``);
  await c.end();
}
