// npm run bench:reco: the recommendation endpoint and the offline evaluation (SPEC §8, issue 17).
//
// 1. Latency: GET /api/v1/recommendations through Koa and the real routes, service, ranking and stores
//    (memory; then Redis when REDIS_URL is set), with 10,000 open auctions (8 tags each out of 2,000),
//    100,000 users in 200 groups (gender x age band x region) whose tag scores are full, popularity over
//    every auction. One request at a time over a kept-alive loopback connection, users drawn at random;
//    p50 and p99 after a warm-up. Target: p99 at most 20 ms.
// 2. Offline evaluation on a synthetic history with planted group preferences (bench/recommendation/):
//    hit rate at 10 of the group ranking against the popularity baseline.
// Last line: {"bench":"reco","p99Ms":N,"hitRateAt10":N,"popularityHitRateAt10":N} (p99 of the memory store).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import Koa from 'koa';
import { Router } from '@koa/router';
import { ManualClock } from '../engine/clock.ts';
import type { RecommendationSources } from '../engine/recommendation/api.ts';
import { RecommendationService } from '../app/recommendation/service.ts';
import { recommendationRoutes } from '../http/recommendation/routes.ts';
import { problems } from '../http/problem.ts';
import { MemoryRecommendation } from '../storage/recommendation/memory.ts';
import type { RecommendationStores, TagSignal } from '../storage/recommendation/ports.ts';
import { openRedisRecommendation } from '../storage/recommendation/redis.ts';
import { dropRedisPrefix } from '../test/helpers/services.ts';
import { evaluate } from './recommendation/evaluate.ts';
import { prng, synthesize, type SyntheticOptions } from './recommendation/synthetic.ts';

const AUCTIONS = 10_000;
const TAGS = 2_000;
const TAGS_PER_AUCTION = 8;
const USERS = 100_000;
const GROUPS = 200;
const SIGNALS_PER_GROUP = 400;
const REQUESTS = Number(process.env.REQUESTS ?? 2_000);
const NOW = 1_700_000_000_000;
const DAY = 86_400_000;

const rand = prng(7);
const int = (n: number) => Math.floor(rand() * n);
const distinct = (n: number, m: number): number[] => {
  const s = new Set<number>();
  while (s.size < n) s.add(int(m));
  return [...s];
};

const silent = { debug() {}, info() {}, warn() {}, error() {}, child() { return silent; } } as never;
const auctions = Array.from({ length: AUCTIONS }, (_, i) => ({
  id: `auction-${i}`, sellerId: `user-${int(USERS)}`, status: 'OPEN' as const, tags: distinct(TAGS_PER_AUCTION, TAGS).map((t) => `tag-${t}`),
}));
const groupNames = Array.from({ length: GROUPS }, (_, g) => `G${g % 2}|A${Math.floor(g / 2) % 10}|R${Math.floor(g / 20)}`);
const groupOfUser = (u: number) => groupNames[u % GROUPS];
const byId = new Map(auctions.map((a) => [a.id, a]));

const sources: RecommendationSources = {
  listings: async (ids) => new Map(ids.flatMap((id) => (byId.has(id) ? [[id, byId.get(id)!] as const] : []))),
  live: async () => auctions.map((a) => a.id),
  // What the engine answers from its registry: the caller's live auctions as seller or leader.
  involving: async (user) => auctions.filter((a, i) => i % 97 === 0 && a.sellerId === user).map((a) => a.id),
  groupOf: async (user) => groupOfUser(Number(user.slice(5))),
  exists: async (id) => byId.has(id),
};

async function load(s: RecommendationStores): Promise<void> {
  for (const group of groupNames) {
    const signals: TagSignal[] = Array.from({ length: SIGNALS_PER_GROUP }, (_, e) => ({
      group, tags: auctions[int(AUCTIONS)].tags, weight: 1 + (e % 2), at: NOW - int(14 * DAY),
    }));
    await s.tags.add(signals);
  }
  await s.popularity.add(auctions.map((a) => ({ auction: a.id, weight: 1 + int(20), at: NOW - int(14 * DAY) })));
}

async function serve(stores: RecommendationStores): Promise<{ url: string; close(): Promise<void> }> {
  const service = new RecommendationService({ stores, sources, clock: new ManualClock(NOW), log: silent });
  await service.load();
  const app = new Koa();
  app.use(problems(silent));
  const api = new Router({ prefix: '/api/v1' });
  // The token is the user id: what is measured is the list, not signature checks.
  api.use(recommendationRoutes({ recommendation: service, auth: { verify: async (token) => ({ userId: token, role: 'user' }) as never } }).routes());
  app.use(api.routes());
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function measure(name: string, stores: RecommendationStores): Promise<{ store: string; p50Ms: number; p99Ms: number; cpuP99Ms: number; items: number }> {
  await load(stores);
  const s = await serve(stores);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (user: number) => new Promise<{ items: unknown[] }>((resolve, reject) => {
    http.get(`${s.url}/api/v1/recommendations?limit=20`, { agent, headers: { authorization: `Bearer user-${user}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString())) : reject(new Error(`${res.statusCode}`))));
    }).on('error', reject);
  });
  try {
    for (let i = 0; i < 200; i++) await get(int(USERS));
    const times: number[] = [];
    // This process's CPU per request (client and server both): what a request costs whatever else the
    // shared cores are doing, beside the wall time that includes waiting for them.
    const cpu: number[] = [];
    let items = 0;
    for (let i = 0; i < REQUESTS; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      items += (await get(int(USERS))).items.length;
      times.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    const at = (xs: number[], q: number) => Number(xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))].toFixed(2));
    const row = { store: name, p50Ms: at(times, 0.5), p99Ms: at(times, 0.99), cpuP99Ms: at(cpu, 0.99), items: Math.round(items / REQUESTS) };
    console.log(`${name}: GET /api/v1/recommendations p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, cpu p99 ${row.cpuP99Ms} ms (${REQUESTS} requests, ${row.items} items each)`);
    return row;
  } finally {
    agent.destroy();
    await s.close();
  }
}

const rows = [];
const memory = new MemoryRecommendation();
rows.push(await measure('memory', memory));
await memory.close();
if (process.env.REDIS_URL !== undefined) {
  const prefix = `okj-bench-${randomBytes(4).toString('hex')}:`;
  const redis = await openRedisRecommendation({ url: process.env.REDIS_URL, prefix });
  try {
    rows.push(await measure('redis', redis));
  } finally {
    await redis.close();
    await dropRedisPrefix(process.env.REDIS_URL, prefix);
  }
}

// 100,000 users in 50 groups, 10,000 auctions with 3 tags each out of 5,000 (about 6 auctions a tag);
// each group prefers 3 tags (about 18 auctions) for 60% of its activity, the rest follows a Zipf
// popularity curve shared by everyone.
const HISTORY: SyntheticOptions = {
  seed: 17, groups: 50, tags: 5_000, auctions: AUCTIONS, tagsPerAuction: 3, usersPerGroup: USERS / 50, events: 200_000, preferredPerGroup: 3,
  affinity: 0.6, zipf: 1, start: NOW, stepMs: 10_000,
};
const t0 = performance.now();
const e = evaluate(synthesize(HISTORY));
console.log(`offline: hit rate at 10 ${e.hitRateAt10.toFixed(3)} vs popularity ${e.popularityHitRateAt10.toFixed(3)} over ${e.heldOut} held-out events; ${e.recovered}/${e.groups} groups' planted tags recovered (${Math.round(performance.now() - t0)} ms)`);
console.log(`load average (1 min) ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
const mem = rows[0];
console.log(JSON.stringify({ bench: 'reco', p99Ms: mem.p99Ms, hitRateAt10: Number(e.hitRateAt10.toFixed(4)), popularityHitRateAt10: Number(e.popularityHitRateAt10.toFixed(4)) }));
