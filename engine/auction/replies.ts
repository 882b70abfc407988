// Idempotency: the first reply to each (user, rid) is kept at least 24 hours and returned to every retry.
//
// Why not a Map<string, Reply>: at a million bids a second a Map of millions of string keys and reply
// objects costs more than the bid itself (hashing a concatenated key, rehashing, and the GC scanning
// every retained reply). Instead each generation is an open-addressing table in typed arrays:
//
//   i = fp1 & mask  ->  slot[4i..4i+2] = fp1|fp2|rec  (a 64-bit fingerprint of user + rid, no string kept)
//                       rec - 1 = record r: num[4r..4r+3] = seq|price|endsAt|minNext,
//                                           tag[4r..4r+3] = flags|status|code
//
// Linear probing at load <= 1/2; a deleted slot keeps rec = -1 so probes walk past it. Two generations:
// new replies go to `young`; when it has spanned the TTL, or holds half the size bound, it becomes `old`
// and the previous `old` is dropped whole, so an entry lives one to two TTLs and lookups probe at most two
// tables. Two different (user, rid) pairs share a 64-bit fingerprint with probability ~n/2^64 per lookup
// (about 1e-11 with 100 million entries); the reply is rebuilt with the caller's rid.
//
// A generation dropped by size before its TTL ran out is an eviction. With `onEvict` set, it is handed
// to the runtime and keeps answering until the runtime releases it, once it has stored its replies by
// fingerprint (the store then answers for them: app/spill.ts). The fingerprint is therefore a stored
// format: changing replyFingerprint orphans the stored copies of up to two days of evicted replies.
import { ERROR_CODES, ERRORS, type ErrorCode } from '../errors.ts';
import { STATUSES, type AuctionStatus, type Millis, type Reply, type UserId } from './model.ts';

export const REPLY_TTL_MS = 24 * 60 * 60 * 1000;
/** About 70 bytes an entry at most: 1M entries hold ~70 MB. Past it, the durable store answers. */
export const DEFAULT_MAX_ENTRIES = 1_000_000;

export interface RecentRepliesOptions {
  ttlMs?: number;
  /** Bound on entries held; a generation rotates at half of it, and `evictedAfter` tells the runtime. */
  maxEntries?: number;
}

const OK = 1, LEADING = 2, HAS_MIN_NEXT = 4, HAS_PRICE = 8;
const CODE_INDEX = new Map<ErrorCode, number>(ERROR_CODES.map((c, i) => [c, i]));
const STATUS_INDEX = new Map<AuctionStatus, number>(STATUSES.map((s, i) => [s, i]));

// Slot i occupies slot[4i .. 4i+3] = fp1 | fp2 | rec | (unused): one 16-byte stride, so a probe reads
// one cache line instead of three arrays.
class Table {
  mask: number;
  slot: Int32Array;
  num: Float64Array;
  tag: Uint8Array;
  count = 0;
  from: Millis;
  to: Millis;

  constructor(slots: number, at: Millis) {
    this.mask = slots - 1;
    this.slot = new Int32Array(slots * 4);
    this.num = new Float64Array(slots * 2); // 4 numbers per record, at most slots/2 records
    this.tag = new Uint8Array(slots * 2);
    this.from = at;
    this.to = at;
  }

  /** Empty it for reuse: only the slots need clearing, a record is always written before it is read. */
  reset(at: Millis): this {
    this.slot.fill(0);
    this.count = 0;
    this.from = at;
    this.to = at;
    return this;
  }

  /** The slot holding the fingerprint, or -(first empty slot) - 1 where a probe for it ended. */
  find(a: number, b: number): number {
    const { slot, mask } = this;
    for (let i = a & mask; ; i = (i + 1) & mask) {
      const o = i << 2;
      const r = slot[o + 2];
      if (r === 0) return -i - 1;
      if (r > 0 && slot[o] === a && slot[o + 1] === b) return i;
    }
  }

  /** Insert at a free slot `i` (from find); returns the record index. */
  insertAt(i: number, a: number, b: number): number {
    const o = i << 2;
    const r = this.count++;
    this.slot[o] = a;
    this.slot[o + 1] = b;
    this.slot[o + 2] = r + 1;
    return r;
  }

  /** Every live entry, for the store (EvictedReplies). */
  entries(): FingerprintedReply[] {
    const out: FingerprintedReply[] = [];
    const { slot } = this;
    for (let o = 0; o < slot.length; o += 4) {
      if (slot[o + 2] > 0) out.push({ fp: [slot[o], slot[o + 1]], reply: unpack(this, slot[o + 2] - 1, '') });
    }
    return out;
  }

  grow(): void {
    const old = this.slot;
    const slots = (this.mask + 1) * 2;
    this.mask = slots - 1;
    this.slot = new Int32Array(slots * 4);
    const num = new Float64Array(slots * 2);
    num.set(this.num);
    this.num = num;
    const tag = new Uint8Array(slots * 2);
    tag.set(this.tag);
    this.tag = tag;
    for (let o = 0; o < old.length; o += 4) {
      if (old[o + 2] <= 0) continue; // empty, or forgotten
      let j = old[o] & this.mask;
      while (this.slot[(j << 2) + 2] !== 0) j = (j + 1) & this.mask;
      this.slot.set(old.subarray(o, o + 3), j << 2);
    }
  }
}

/** A 64-bit fingerprint of (user, rid), as two 32-bit integers. */
export type ReplyFingerprint = readonly [number, number];

/** One entry of an evicted generation: its fingerprint and its reply (rebuilt with an empty rid). */
export interface FingerprintedReply {
  fp: ReplyFingerprint;
  reply: Reply;
}

/** A generation dropped before its TTL ran out; it answers lookups until `release`d. */
export interface EvictedReplies {
  /** The latest time a reply in it was recorded: a stored copy must be kept until this plus the TTL. */
  readonly to: Millis;
  /** Its entries (forgotten ones left out). */
  entries(): FingerprintedReply[];
}

export class RecentReplies {
  private young: Table;
  private old: Table;
  /** Evicted generations the runtime has not released yet; probed after young and old. */
  private leaving: Table[] = [];
  /** A released generation whose buffers the next rotation may reuse. */
  private spare: Table | null = null;
  /**
   * Told of every eviction (inside the put that caused it: it should only take note). When set, the
   * evicted generation stays until `release`; when not, it is dropped at once.
   */
  onEvict: ((evicted: EvictedReplies) => void) | null = null;
  private readonly ttlMs: number;
  private readonly genMax: number;
  /** Latest time of a reply dropped before its TTL ran out: older retries must be checked in the store. */
  evictedAfter: Millis = -Infinity;
  // The fingerprint of the last hashed key, kept in fields so hashing allocates nothing.
  private a = 0;
  private b = 0;
  private missAt = 0;
  private missIn: Table | null = null;

  constructor(opts: RecentRepliesOptions = {}) {
    this.ttlMs = opts.ttlMs ?? REPLY_TTL_MS;
    this.genMax = Math.max(16, Math.floor((opts.maxEntries ?? DEFAULT_MAX_ENTRIES) / 2));
    this.young = new Table(1024, -Infinity);
    this.old = new Table(16, -Infinity);
  }

  /** Entries held, evicted ones not yet released included. */
  get size(): number {
    let n = this.young.count + this.old.count;
    for (const t of this.leaving) n += t.count;
    return n;
  }

  /** Evicted generations not released yet. */
  get evictedHeld(): number {
    return this.leaving.length;
  }

  get(by: UserId, rid: string, now: Millis): Reply | undefined {
    this.hash(by, rid);
    // A generation is served while its newest entry is within the TTL.
    if (now - this.young.to >= this.ttlMs) return undefined;
    let t = this.young;
    let i = t.find(this.a, this.b);
    if (i < 0) {
      // Remember where the probe ended: the put that usually follows a miss inserts there directly.
      this.missAt = i;
      this.missIn = t;
      t = this.old;
      i = t.count === 0 || now - t.to >= this.ttlMs ? -1 : t.find(this.a, this.b);
      for (let k = 0; i < 0 && k < this.leaving.length; k++) {
        t = this.leaving[k];
        if (now - t.to < this.ttlMs) i = t.find(this.a, this.b);
      }
      if (i < 0) return undefined;
    }
    return unpack(t, t.slot[(i << 2) + 2] - 1, rid);
  }

  /** Record the first reply to (by, rid); a second put of the same pair keeps the first. */
  put(by: UserId, rid: string, reply: Reply, at: Millis): void {
    const a = this.a, b = this.b;
    this.hash(by, rid);
    let t = this.young;
    if (t.count >= this.genMax || at - t.from >= this.ttlMs) t = this.rotate(at);
    if ((t.count + 1) * 2 > t.mask + 1) {
      t.grow();
      this.missIn = null; // slots moved
    }
    // Reuse the probe of the get() just before for the same key, if the table has not changed since.
    let i = this.missIn === t && a === this.a && b === this.b && t.slot[((-this.missAt - 1) << 2) + 2] === 0
      ? this.missAt : t.find(this.a, this.b);
    this.missIn = null;
    if (i >= 0) return; // a first reply is kept
    i = -i - 1;
    pack(t, t.insertAt(i, this.a, this.b), reply);
    if (at > t.to) t.to = at;
  }

  /** Forget a reply that was never made durable (its journal write failed). */
  forget(by: UserId, rid: string): void {
    this.hash(by, rid);
    this.missIn = null;
    for (const t of [this.young, this.old, ...this.leaving]) {
      const i = t.find(this.a, this.b);
      if (i >= 0) t.slot[(i << 2) + 2] = -1;
    }
  }

  /** Could a retry at `now` have its first reply only in the durable store? */
  mayHaveEvicted(now: Millis): boolean {
    return now - this.evictedAfter < this.ttlMs;
  }

  /** Let an evicted generation go: the runtime has stored its replies. */
  release(evicted: EvictedReplies): void {
    const i = this.leaving.indexOf(evicted as Table);
    if (i < 0) return;
    this.leaving.splice(i, 1);
    this.spare = evicted as Table;
  }

  /** Drop everything (tests and benchmarks). */
  clear(): void {
    this.young = new Table(1024, -Infinity);
    this.old = new Table(16, -Infinity);
    this.leaving = [];
  }

  private rotate(at: Millis): Table {
    let dropped: Table | null = this.old;
    // Dropped before their TTL ran out (size pressure): the store must answer for them.
    const evicted = dropped.count > 0 && at - dropped.to < this.ttlMs;
    if (evicted) this.evictedAfter = Math.max(this.evictedAfter, dropped.to);
    // Expired ones need no store: they go (a store that never took them cannot be waited for forever).
    this.leaving = this.leaving.filter((t) => at - t.to < this.ttlMs);
    if (evicted && this.onEvict !== null) {
      this.leaving.push(dropped);
      dropped = this.spare;
    }
    this.spare = null;
    this.old = this.young;
    // The new generation reuses the dropped one's buffers when they fit the load the last one saw:
    // allocating large typed arrays at each rotation makes V8 run full collections of the whole heap.
    const size = Math.max(1024, this.old.mask + 1);
    this.young = dropped !== null && dropped.mask + 1 === size ? dropped.reset(at) : new Table(size, at);
    if (evicted && this.onEvict !== null) this.onEvict(this.leaving[this.leaving.length - 1] as EvictedReplies);
    return this.young;
  }

  private hash(by: string, rid: string): void {
    fingerprint(by, rid);
    this.a = fpA;
    this.b = fpB;
  }
}

// The fingerprint of the last hashed key, in module variables so hashing allocates nothing.
let fpA = 0;
let fpB = 0;

/** Two 32-bit hashes (FNV-1a and a murmur-style mix) over user, a separator, and rid. */
function fingerprint(by: string, rid: string): void {
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
  fpA = a;
  fpB = b ^ (b >>> 13);
}

/** The fingerprint the table keys (user, rid) by: what an evicted reply is stored under. */
export function replyFingerprint(by: UserId, rid: string): ReplyFingerprint {
  fingerprint(by, rid);
  return [fpA, fpB];
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
