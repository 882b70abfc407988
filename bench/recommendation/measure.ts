// Query times of the recommendation core (a quick measurement, not a test): 10,000 open auctions with
// 50 tags each out of 2,000, 100 groups whose tag sets are full, popularity over every auction, and
// co-bids of 1,500 users (8 bids each over 400 auctions); then, one query at a time, p50 and p99 of:
//   tags.top          the group's best tags (the store's part of the personal list)
//   personal list     tags.top + rankByTags over the tag index + popularity.top + rankPopular + fill
//   similar           cobids.similar + rankSimilar
// for the memory store and for Redis (REDIS_URL, default redis://127.0.0.1:6379; keys under a prefix
// of their own, deleted at the end).
// Run: node --import tsx bench/recommendation/measure.ts    Last line: one JSON object.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  fill, rankByTags, rankPopular, rankSimilar, TagIndex, type Candidate,
} from '../../engine/recommendation/index.ts';
import { MemoryRecommendation } from '../../storage/recommendation/memory.ts';
import type { RecommendationStores, TagSignal } from '../../storage/recommendation/ports.ts';
import { openRedisRecommendation } from '../../storage/recommendation/redis.ts';
import { dropRedisPrefix } from '../../test/helpers/services.ts';
import { prng } from './synthetic.ts';

const AUCTIONS = 10_000;
const TAGS_PER_AUCTION = 50;
const TAGS = 2_000;
const GROUPS = 100;
const EVENTS_PER_GROUP = 200;
const USERS = 1_500;
const BIDS_PER_USER = 8;
const QUERIES = Number(process.env.QUERIES ?? 1_000);
const TOP_TAGS = Number(process.env.TOP_TAGS ?? 200);
const PAGE = 20;
const NOW = 1_700_000_000_000;
const DAY = 86_400_000;

const rand = prng(42);
const int = (n: number) => Math.floor(rand() * n);

function distinct(n: number, m: number): number[] {
  const s = new Set<number>();
  while (s.size < n) s.add(int(m));
  return [...s];
}

const auctions: Candidate[] = Array.from({ length: AUCTIONS }, (_, i) => ({
  id: `auction-${i}`, sellerId: `seller-${i % 500}`, leader: i % 7 === 0 ? `user-${i % USERS}` : null, status: 'OPEN',
  tags: distinct(TAGS_PER_AUCTION, TAGS).map((t) => `tag-${t}`),
}));
const index = new TagIndex();
for (const a of auctions) index.put(a);
const groups = Array.from({ length: GROUPS }, (_, g) => `G${g % 4}|A${Math.floor(g / 4) % 5}|R${g}`);

async function load(s: RecommendationStores): Promise<number> {
  const t0 = performance.now();
  for (const group of groups) {
    const signals: TagSignal[] = Array.from({ length: EVENTS_PER_GROUP }, (_, e) => ({
      group, tags: auctions[int(AUCTIONS)].tags, weight: 1 + (e % 2), at: NOW - int(14 * DAY),
    }));
    await s.tags.add(signals);
  }
  await s.popularity.add(auctions.map((a) => ({ auction: a.id, weight: 1 + int(20), at: NOW - int(14 * DAY) })));
  const bids = [];
  for (let u = 0; u < USERS; u++) {
    for (const a of distinct(BIDS_PER_USER, 400)) bids.push({ user: `user-${u}`, auction: `auction-${a}`, at: NOW - int(DAY) });
  }
  await s.cobids.record(bids);
  return performance.now() - t0;
}

/** Wall-clock ms, and this process's CPU ms (what the query costs, whatever else the cores are doing). */
interface Stats {
  p50: number;
  p99: number;
  cpuP50: number;
  cpuP99: number;
}

const percentiles = (xs: number[]) => {
  xs.sort((a, b) => a - b);
  const at = (q: number) => Number(xs[Math.min(xs.length - 1, Math.floor(q * xs.length))].toFixed(2));
  return [at(0.5), at(0.99)];
};

async function time(f: (i: number) => Promise<unknown>): Promise<Stats> {
  for (let i = 0; i < 50; i++) await f(i); // warm-up
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await f(i);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const [p50, p99] = percentiles(wall);
  const [cpuP50, cpuP99] = percentiles(cpu);
  return { p50, p99, cpuP50, cpuP99 };
}

const show = (s: Stats) => `p50 ${s.p50} p99 ${s.p99} ms (cpu p50 ${s.cpuP50} p99 ${s.cpuP99})`;

async function personal(s: RecommendationStores, i: number) {
  const caller = `user-${i % USERS}`;
  const [tags, popular] = await Promise.all([s.tags.top(groups[i % GROUPS], NOW, TOP_TAGS), s.popularity.top(NOW, 100)]);
  return fill(rankByTags(caller, tags, index, PAGE), rankPopular(caller, popular, index, PAGE), PAGE);
}

async function measure(name: string, s: RecommendationStores) {
  const loadMs = await load(s);
  const tagsTop = await time((i) => s.tags.top(groups[i % GROUPS], NOW, TOP_TAGS));
  const list = await time((i) => personal(s, i));
  const similar = await time(async (i) => rankSimilar(`user-${i}`, `auction-${i % 400}`, await s.cobids.similar(`auction-${i % 400}`, PAGE * 2), index, PAGE));
  const sample = await personal(s, 1);
  const row = { store: name, loadMs: Math.round(loadMs), tagsTop, list, similar };
  console.log(`${name}: load ${row.loadMs} ms\n  tags.top(${TOP_TAGS}) ${show(tagsTop)}\n  personal list ${show(list)}` +
    `, ${sample.length} items, first ${JSON.stringify(sample[0])}\n  similar ${show(similar)}`);
  return row;
}

const rows = [];
const memory = new MemoryRecommendation();
rows.push(await measure('memory', memory));
await memory.close();

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `okj-bench-${randomBytes(4).toString('hex')}:`;
const redis = await openRedisRecommendation({ url, prefix });
try {
  rows.push(await measure('redis', redis));
} finally {
  await redis.close();
  await dropRedisPrefix(url, prefix);
}
// The load average says how much of a p99 is this machine's other work (2 cores, shared).
console.log(JSON.stringify({ bench: 'reco-core', loadAvg1m: Number(os.loadavg()[0].toFixed(1)), auctions: AUCTIONS, tagsPerAuction: TAGS_PER_AUCTION, groups: GROUPS, topTags: TOP_TAGS, queries: QUERIES, rows }));
