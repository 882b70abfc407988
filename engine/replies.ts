// Idempotency: the first reply to each (user, rid) is kept at least 24 hours and returned to every retry.
//
// Why not a Map<string, Reply>: at a million bids a second a Map of millions of string keys and reply
// objects costs more than the bid itself (hashing a concatenated key, rehashing, and the GC scanning
// every retained reply). Instead each generation is an open-addressing table in typed arrays:
//
//   slot = fp1 & mask  ->  fp1[slot], fp2[slot]  (a 64-bit fingerprint of user + rid, no string kept)
//                          rec[slot] -> record r: num[4r..4r+3] = seq|price|endsAt|minNext,
//                                                 tag[4r..4r+3] = flags|status|code
//
// Linear probing at load <= 1/2; a deleted slot keeps rec = -1 so probes walk past it. Two generations:
// new replies go to `young`; when it has spanned the TTL, or holds half the size bound, it becomes `old`
// and the previous `old` is dropped whole, so an entry lives one to two TTLs and lookups probe at most two
// tables. Two different (user, rid) pairs share a 64-bit fingerprint with probability ~n/2^64 per lookup
// (about 1e-11 with 100 million entries); the reply is rebuilt with the caller's rid.
import { ERROR_CODES, ERRORS, type ErrorCode } from './errors.ts';
import { STATUSES, type AuctionStatus, type Millis, type Reply, type UserId } from './types.ts';

export const REPLY_TTL_MS = 24 * 60 * 60 * 1000;

export interface RecentRepliesOptions {
  ttlMs?: number;
  /** Bound on entries held; a generation rotates at half of it, and `evictedAfter` tells the runtime. */
  maxEntries?: number;
}

const OK = 1, LEADING = 2, HAS_MIN_NEXT = 4, HAS_PRICE = 8;
const CODE_INDEX = new Map<ErrorCode, number>(ERROR_CODES.map((c, i) => [c, i]));
const STATUS_INDEX = new Map<AuctionStatus, number>(STATUSES.map((s, i) => [s, i]));

class Table {
  mask: number;
  fp1: Int32Array;
  fp2: Int32Array;
  rec: Int32Array;
  num: Float64Array;
  tag: Uint8Array;
  count = 0;
  from: Millis;
  to: Millis;

  constructor(slots: number, at: Millis) {
    this.mask = slots - 1;
    this.fp1 = new Int32Array(slots);
    this.fp2 = new Int32Array(slots);
    this.rec = new Int32Array(slots);
    this.num = new Float64Array(slots * 2); // 4 numbers per record, at most slots/2 records
    this.tag = new Uint8Array(slots * 2);
    this.from = at;
    this.to = at;
  }

  find(a: number, b: number): number {
    const { fp1, fp2, rec, mask } = this;
    for (let i = a & mask; ; i = (i + 1) & mask) {
      const r = rec[i];
      if (r === 0) return -1;
      if (r > 0 && fp1[i] === a && fp2[i] === b) return i;
    }
  }

  /** Insert; the caller has checked the fingerprint is absent and that there is room. */
  insert(a: number, b: number): number {
    const { fp1, fp2, rec, mask } = this;
    let i = a & mask;
    while (rec[i] > 0) i = (i + 1) & mask;
    fp1[i] = a;
    fp2[i] = b;
    const r = this.count++;
    rec[i] = r + 1;
    return r;
  }

  grow(): void {
    const old = { fp1: this.fp1, fp2: this.fp2, rec: this.rec, num: this.num, tag: this.tag };
    const slots = (this.mask + 1) * 2;
    this.mask = slots - 1;
    this.fp1 = new Int32Array(slots);
    this.fp2 = new Int32Array(slots);
    this.rec = new Int32Array(slots);
    this.num = new Float64Array(slots * 2);
    this.num.set(old.num);
    this.tag = new Uint8Array(slots * 2);
    this.tag.set(old.tag);
    for (let i = 0; i < old.rec.length; i++) {
      const r = old.rec[i];
      if (r <= 0) continue;
      let j = old.fp1[i] & this.mask;
      while (this.rec[j] !== 0) j = (j + 1) & this.mask;
      this.fp1[j] = old.fp1[i];
      this.fp2[j] = old.fp2[i];
      this.rec[j] = r;
    }
  }
}

export class RecentReplies {
  private young: Table;
  private old: Table;
  private readonly ttlMs: number;
  private readonly genMax: number;
  /** Latest time of a reply dropped before its TTL ran out: older retries must be checked in the store. */
  evictedAfter: Millis = -Infinity;
  // The fingerprint of the last hashed key, kept in fields so hashing allocates nothing.
  private a = 0;
  private b = 0;

  constructor(opts: RecentRepliesOptions = {}) {
    this.ttlMs = opts.ttlMs ?? REPLY_TTL_MS;
    this.genMax = Math.max(16, Math.floor((opts.maxEntries ?? 4_000_000) / 2));
    this.young = new Table(1024, -Infinity);
    this.old = new Table(16, -Infinity);
  }

  get size(): number {
    return this.young.count + this.old.count;
  }

  get(by: UserId, rid: string, now: Millis): Reply | undefined {
    this.hash(by, rid);
    // A generation is served while its newest entry is within the TTL.
    if (now - this.young.to >= this.ttlMs) return undefined;
    let t = this.young;
    let i = t.find(this.a, this.b);
    if (i < 0) {
      t = this.old;
      if (now - t.to >= this.ttlMs) return undefined;
      i = t.find(this.a, this.b);
      if (i < 0) return undefined;
    }
    return unpack(t, t.rec[i] - 1, rid);
  }

  /** Record the first reply to (by, rid); a second put of the same pair keeps the first. */
  put(by: UserId, rid: string, reply: Reply, at: Millis): void {
    this.hash(by, rid);
    let t = this.young;
    if (t.count >= this.genMax || at - t.from >= this.ttlMs) t = this.rotate(at);
    if (t.find(this.a, this.b) >= 0) return;
    if ((t.count + 1) * 2 > t.mask + 1) t.grow();
    pack(t, t.insert(this.a, this.b), reply);
    if (at > t.to) t.to = at;
  }

  /** Forget a reply that was never made durable (its journal write failed). */
  forget(by: UserId, rid: string): void {
    this.hash(by, rid);
    for (const t of [this.young, this.old]) {
      const i = t.find(this.a, this.b);
      if (i >= 0) t.rec[i] = -1;
    }
  }

  /** Could a retry at `now` have its first reply only in the durable store? */
  mayHaveEvicted(now: Millis): boolean {
    return now - this.evictedAfter < this.ttlMs;
  }

  /** Drop everything (tests and benchmarks). */
  clear(): void {
    this.young = new Table(1024, -Infinity);
    this.old = new Table(16, -Infinity);
  }

  private rotate(at: Millis): Table {
    const dropped = this.old;
    // Dropped before their TTL ran out (size pressure): the store must answer for them.
    if (dropped.count > 0 && at - dropped.to < this.ttlMs) this.evictedAfter = Math.max(this.evictedAfter, dropped.to);
    this.old = this.young;
    // Start the new generation at the size the last one reached: it will likely see the same load.
    this.young = new Table(Math.max(1024, this.old.mask + 1), at);
    return this.young;
  }

  /** Two 32-bit hashes (FNV-1a and a murmur-style mix) over user, a separator, and rid. */
  private hash(by: string, rid: string): void {
    let a = 0x811c9dc5 | 0;
    let b = 0x9747b28c | 0;
    for (let i = 0; i < by.length; i++) {
      const c = by.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    a = Math.imul(a ^ 0xffff, 0x01000193);
    b = Math.imul(b ^ 0xffff, 0x5bd1e995);
    for (let i = 0; i < rid.length; i++) {
      const c = rid.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    // Final avalanche so the low bits that pick the slot depend on every character.
    a ^= a >>> 16; a = Math.imul(a, 0x85ebca6b); a ^= a >>> 13; a = Math.imul(a, 0xc2b2ae35); a ^= a >>> 16;
    this.a = a;
    this.b = b ^ (b >>> 13);
  }
}

function pack(t: Table, r: number, reply: Reply): void {
  const o = r * 4;
  if (reply.ok) {
    t.num[o] = reply.seq;
    t.num[o + 1] = reply.price;
    t.num[o + 2] = reply.endsAt;
    t.tag[o] = OK | (reply.leading ? LEADING : 0);
    t.tag[o + 1] = STATUS_INDEX.get(reply.status) as number;
  } else {
    let flags = 0;
    if (reply.price !== undefined) { flags |= HAS_PRICE; t.num[o + 1] = reply.price; }
    if (reply.minNext !== undefined) { flags |= HAS_MIN_NEXT; t.num[o + 3] = reply.minNext; }
    t.tag[o] = flags;
    t.tag[o + 2] = CODE_INDEX.get(reply.code) as number;
  }
}

function unpack(t: Table, r: number, rid: string): Reply {
  const o = r * 4;
  const flags = t.tag[o];
  if (flags & OK) {
    return {
      ok: true, rid, seq: t.num[o], price: t.num[o + 1], leading: (flags & LEADING) !== 0, endsAt: t.num[o + 2],
      status: STATUSES[t.tag[o + 1]],
    };
  }
  const code = ERROR_CODES[t.tag[o + 2]];
  const reply: Reply = { ok: false, rid, code, message: ERRORS[code].message };
  if (flags & HAS_MIN_NEXT) reply.minNext = t.num[o + 3];
  if (flags & HAS_PRICE) reply.price = t.num[o + 1];
  return reply;
}
