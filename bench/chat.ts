// Chat's benchmark (docs/chat.md), within a minute:
// 1. durable messages/s over 1,000 rooms at full load: the chat service and its group commit over a
//    SQLite file (writer thread), with 5,000 sends kept in flight for BENCH_LOAD_MS. Baseline in the
//    same run: the store's bare append rate for the same rows with no service in front.
// 2. at 2,000 messages/s offered on the real server (a child process, as `npm start` runs it): 100
//    buyers, one socket each, write to their rooms with one seller, whose two sockets (JSON and
//    MessagePack) are subscribed to every room. Ack p50/p99 at the sender; delivery p99 to both of the
//    seller's sockets. Baseline in the same run: a bare uWebSockets.js echo at the same rate.
// Last line: {"bench":"chat","durableMsgsPerSec":N,"p50AckMs":N,"p99AckMs":N,"deliveryP99Ms":N}.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Packr, Unpackr } from 'msgpackr';
import WebSocket from 'ws';
import { ChatService } from '../app/chat/service.ts';
import { CHAT_DEFAULTS } from '../app/chat/config.ts';
import { signAccessToken, tokenKeys } from '../app/accounts/tokens.ts';
import { pairOf } from '../engine/chat/rules.ts';
import { silentLogger, systemClock } from '../engine/index.ts';
import { SqlChat } from '../storage/chat/sql.ts';
import { openSqlDatabase } from '../storage/sql/database.ts';
import { killAll, startChild } from './ws/child.ts';

const ROOMS = 1_000;
const LOAD_MS = Number(process.env.BENCH_LOAD_MS ?? 3_000);
const IN_FLIGHT = 5_000;
const OFFERED = Number(process.env.BENCH_OFFERED ?? 2_000);
const OFFER_MS = Number(process.env.BENCH_OFFER_MS ?? 3_000);
const BUYERS = 100;
const SECRET = 'bench-chat-secret-that-is-long-enough!!';
const here = path.dirname(new URL(import.meta.url).pathname);
const packr = new Packr({ useRecords: false });
const unpackr = new Unpackr({ useRecords: false });
const log = (s: string) => process.stderr.write(`${s}\n`);

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] * 100) / 100;
}

// ---- 1. durable messages per second -----------------------------------------------------------------

async function durable(dir: string): Promise<{ perSec: number; bare: number }> {
  const db = await openSqlDatabase({ url: path.join(dir, 'durable.db') });
  const store = new SqlChat(db);
  const now = Date.now();
  const rooms = Array.from({ length: ROOMS }, (_, i) => `room-${i}`);
  for (const [i, id] of rooms.entries()) await store.openRoom({ id, members: pairOf(`a${i}`, `b${i}`), auctionId: null, openedBy: `a${i}`, createdAt: now });
  const chat = new ChatService({ store, auctions: { spec: async () => null }, config: { ...CHAT_DEFAULTS, messagesPerSecond: 1_000_000, maxPending: 1_000_000 }, clock: systemClock, log: silentLogger });
  // Warm-up, not measured: each room loaded into the service (its last seq, reads and blocks read once).
  await Promise.all(rooms.map((id, i) => chat.send(`a${i}`, id, `warm-${i}`, 'warm-up')));
  let n = 0;
  let acked = 0;
  let stop = false;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    let open = 0;
    const one = () => {
      if (stop) {
        if (open === 0) resolve();
        return;
      }
      const i = n++;
      open++;
      chat.send(i % 2 === 0 ? `a${i % ROOMS}` : `b${i % ROOMS}`, rooms[i % ROOMS], `r${i}`, `message ${i} with some ordinary text`).then((a) => {
        open--;
        if (a.ok) acked++;
        one();
      });
    };
    setTimeout(() => (stop = true), LOAD_MS);
    for (let i = 0; i < IN_FLIGHT; i++) one();
  });
  const perSec = Math.round(acked / ((performance.now() - started) / 1000));
  log(`durable: ${acked} messages in ${LOAD_MS} ms over ${ROOMS} rooms: ${perSec}/s (batches ${chat.commits.batches}, last ${chat.commits.lastBatchSize})`);

  // Baseline: the same rows appended straight to the store, batch after batch, no service in front.
  const size = Math.max(1, Math.round(acked / Math.max(1, chat.commits.batches)));
  let rows = 0;
  let base = 10_000_000; // above any seq the service gave
  const perRoom = Math.ceil(size / ROOMS);
  const t0 = performance.now();
  while (performance.now() - t0 < LOAD_MS / 2) {
    const at = Date.now();
    await store.append(Array.from({ length: size }, (_, k) => ({ room: rooms[k % ROOMS], seq: base + Math.floor(k / ROOMS), from: 'x', rid: `bare-${base}-${k}`, text: 'message with some ordinary text', at })));
    base += perRoom;
    rows += size;
  }
  const bare = Math.round(rows / ((performance.now() - t0) / 1000));
  log(`baseline: bare appends of ${size} rows: ${bare} rows/s`);
  await db.close();
  return { perSec, bare };
}

// ---- 2. latency on the real server ------------------------------------------------------------------

function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

const decode = (data: Buffer, binary: boolean) => (binary ? unpackr.unpack(data) : JSON.parse(data.toString())) as Record<string, unknown>;

async function api(base: string, method: string, p: string, token: string, body?: unknown): Promise<Record<string, unknown>> {
  const r = await fetch(base + p, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `k-${Math.random()}` }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (r.status >= 300) throw new Error(`${method} ${p}: ${r.status} ${await r.text()}`);
  return (await r.json()) as Record<string, unknown>;
}

/** Send at `rate` per second for `ms`, in ticks of 5 ms. */
async function offer(rate: number, ms: number, send: (i: number) => void): Promise<number> {
  let i = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    const due = Math.floor(((performance.now() - t0) / 1000) * rate);
    while (i < due) send(i++);
    await new Promise((r) => setTimeout(r, 5));
  }
  return i;
}

async function socketLatency(dir: string): Promise<{ p50: number; p99: number; delivery: number; echoP50: number; echoP99: number }> {
  const env = {
    ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', DATA_DIR: dir, JWT_SECRET: SECRET, LOG_LEVEL: 'warn',
    CHAT_MESSAGES_PER_SECOND: '1000', WS_COMMANDS_PER_SECOND: '100000', WS_MAX_SUBSCRIPTIONS: '1000', WS_MAX_BACKPRESSURE_BYTES: String(16 * 1024 * 1024),
  };
  const server = await startChild(path.join(here, 'ws/server-child.ts'), { env });
  const echo = await startChild(path.join(here, 'ws/echo-server.ts'));
  try {
    const base = `http://127.0.0.1:${server.port}`;
    const wsUrl = `ws://127.0.0.1:${server.port}/ws`;
    const keys = tokenKeys({ secret: SECRET, issuer: 'okjangpan', audience: 'okjangpan-api' });
    const seller = await signAccessToken(keys, 'bench-seller');
    const now = Date.now();
    const auction = (await api(base, 'POST', '/api/v1/auctions', seller, { productId: 'p', startPrice: 1_000, bidUnit: 100, startsAt: now, endsAt: now + 3_600_000 })).id as string;
    const buyers = await Promise.all(Array.from({ length: BUYERS }, async (_, i) => {
      const token = await signAccessToken(keys, `bench-buyer-${i}`);
      const room = (await api(base, 'POST', '/api/v1/chat/rooms', token, { auctionId: auction })).id as string;
      const ws = await open(`${wsUrl}?access_token=${token}`);
      return { ws, room };
    }));
    const sent = new Map<string, number>();
    const acks: number[] = [];
    const delivered: number[] = [];
    for (const b of buyers) {
      b.ws.on('message', (data: Buffer, binary: boolean) => {
        const f = decode(data, binary);
        if (f.t !== 'chat.ack') return;
        const at = sent.get(f.rid as string);
        if (at !== undefined && f.ok === true) acks.push(performance.now() - at);
      });
    }
    const sellerSockets = await Promise.all(['json', 'msgpack'].map(async (enc) => {
      const ws = await open(`${wsUrl}?access_token=${seller}`);
      const sub = { t: 'chat.sub', rooms: buyers.map((b) => b.room) };
      let got = 0;
      ws.on('message', (data: Buffer, binary: boolean) => {
        const f = decode(data, binary);
        if (f.t !== 'chat.msg') return;
        got++;
        const at = sent.get(f.text as string);
        if (at !== undefined) delivered.push(performance.now() - at);
      });
      // The upgrade's token is checked right after open; the frame waits for it server-side.
      if (enc === 'json') ws.send(JSON.stringify(sub));
      else ws.send(packr.pack(sub), { binary: true });
      return { ws, got: () => got };
    }));
    // Warm-up, not measured: one message per room, so each room is loaded and subscribed before the clock runs.
    await Promise.all(buyers.map((b, i) => new Promise<void>((resolve) => {
      const onAck = (data: Buffer, binary: boolean) => {
        const f = decode(data, binary);
        if (f.t === 'chat.ack' && f.rid === `warm-${i}`) {
          b.ws.off('message', onAck);
          resolve();
        }
      };
      b.ws.on('message', onAck);
      b.ws.send(packr.pack({ t: 'chat.send', rid: `warm-${i}`, room: b.room, text: 'warm-up' }), { binary: true });
    })));
    const warmed = Date.now() + 3_000;
    while (sellerSockets.some((s) => s.got() < BUYERS) && Date.now() < warmed) await new Promise((r) => setTimeout(r, 20));
    const offered = await offer(OFFERED, OFFER_MS, (i) => {
      const b = buyers[i % BUYERS];
      const rid = `m${i}`;
      sent.set(rid, performance.now());
      b.ws.send(packr.pack({ t: 'chat.send', rid, room: b.room, text: rid }), { binary: true });
    });
    const deadline = Date.now() + 5_000;
    while ((acks.length < offered || delivered.length < 2 * offered) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    log(`server: offered ${offered} at ${OFFERED}/s: ${acks.length} acked, ${delivered.length} deliveries to the seller's 2 sockets`);
    for (const b of buyers) b.ws.close();
    for (const s of sellerSockets) s.ws.close();

    // Baseline: a bare uWebSockets.js echo of the same frames at the same rate.
    const e = await open(`ws://127.0.0.1:${echo.port}/echo`);
    const echoed: number[] = [];
    const out = new Map<string, number>();
    e.on('message', (data: Buffer) => {
      const f = unpackr.unpack(data) as { rid: string };
      const at = out.get(f.rid);
      if (at !== undefined) echoed.push(performance.now() - at);
    });
    const n = await offer(OFFERED, Math.min(OFFER_MS, 2_000), (i) => {
      out.set(`e${i}`, performance.now());
      e.send(packr.pack({ t: 'chat.send', rid: `e${i}`, room: 'r', text: `e${i}` }), { binary: true });
    });
    const until = Date.now() + 2_000;
    while (echoed.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    e.close();
    const r = { p50: pct(acks, 50), p99: pct(acks, 99), delivery: pct(delivered, 99), echoP50: pct(echoed, 50), echoP99: pct(echoed, 99) };
    log(`ack p50 ${r.p50} ms, p99 ${r.p99} ms; delivery p99 ${r.delivery} ms; baseline echo p50 ${r.echoP50} ms, p99 ${r.echoP99} ms`);
    return r;
  } finally {
    await server.stop();
    await echo.stop();
  }
}

const watchdog = setTimeout(() => {
  log('bench:chat: over 60 s, stopping');
  killAll();
  process.exit(1);
}, 60_000);
watchdog.unref();

const dir = mkdtempSync(path.join(os.tmpdir(), 'okj-bench-chat-'));
try {
  const d = await durable(dir);
  const s = await socketLatency(path.join(dir, 'server'));
  log(JSON.stringify({ baseline: { bareAppendRowsPerSec: d.bare, echoP50Ms: s.echoP50, echoP99Ms: s.echoP99 } }));
  process.stdout.write(`${JSON.stringify({ bench: 'chat', durableMsgsPerSec: d.perSec, p50AckMs: s.p50, p99AckMs: s.p99, deliveryP99Ms: s.delivery })}\n`);
} finally {
  killAll();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
