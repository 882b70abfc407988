// Resumable streams: the extension point shared by auctions (now) and chat rooms (SPEC §7, later). A
// stream watches ids, remembers the last `seq` it holds per id, and on every (re)connect says which
// frames re-subscribe it: with `since` where it holds a seq, fresh where it holds none or asked for a
// fresh start after a gap. The socket routes the frame types a stream claims to it and knows nothing
// of their shapes; a chat stream plugs in with `chat.sub` frames and `chat.msg` continuity.
import type { InFrame, OutFrame } from './wire.ts';

/** What a stream may ask of the socket it is plugged into. */
export interface StreamHost {
  /** Send now if the socket is open (else dropped: the next `resume()` covers it). */
  send(frame: OutFrame): void;
  /** Local clock, ms. */
  now(): number;
  /** Run later (a refused subscription retried). */
  later(fn: () => void, ms: number): void;
}

export interface Stream {
  /** Frame types (`t`) routed to this stream. */
  readonly types: readonly string[];
  /** Frames that subscribe everything watched, resuming each id from what is held. */
  resume(): OutFrame[];
  receive(frame: InFrame, receivedAt: number): void;
  /** An error frame naming one of this stream's ids (a refused subscription); true when handled. */
  refused?(frame: InFrame): boolean;
  /** The socket closed: requests in flight are void. */
  disconnected(): void;
}

/** Ids in one subscription frame at most, so a frame stays far below the server's size limit. */
export const IDS_PER_FRAME = 100;

/** Where one watched id stands. */
export interface Cursor {
  /** Last seq held; null before the first frame. */
  seq: number | null;
  /** A gap was seen (or nothing is held): ask for a fresh start, not a resume. */
  fresh: boolean;
  /** Local time the subscription awaiting an answer was sent, or null. */
  askedAt: number | null;
}

/** The ids a stream watches and where each stands; builds the resume split. */
export class Cursors {
  private readonly map = new Map<string, Cursor>();

  get(id: string): Cursor | undefined {
    return this.map.get(id);
  }

  ids(): string[] {
    return [...this.map.keys()];
  }

  /** Start watching, asked at `now`; returns the ids that were not watched yet. */
  add(ids: readonly string[], now: number): string[] {
    const added: string[] = [];
    for (const id of ids) {
      if (this.map.has(id)) continue;
      this.map.set(id, { seq: null, fresh: true, askedAt: now });
      added.push(id);
    }
    return added;
  }

  /** Stop watching; returns the ids that were watched. */
  remove(ids: readonly string[]): string[] {
    return ids.filter((id) => this.map.delete(id));
  }

  /** Every watched id in chunks, each with the `since` of those that can resume; marks them asked at `now`. */
  split(now: number): { ids: string[]; since: Record<string, number> }[] {
    const out: { ids: string[]; since: Record<string, number> }[] = [];
    let cur: { ids: string[]; since: Record<string, number> } | null = null;
    for (const [id, c] of this.map) {
      if (cur === null || cur.ids.length >= IDS_PER_FRAME) out.push((cur = { ids: [], since: {} }));
      cur.ids.push(id);
      if (!c.fresh && c.seq !== null) cur.since[id] = c.seq;
      c.askedAt = now;
    }
    return out;
  }

  /** Forget requests in flight. */
  unask(): void {
    for (const c of this.map.values()) c.askedAt = null;
  }
}

/** Split ids into frame-sized chunks. */
export function chunks<T>(items: readonly T[], size = IDS_PER_FRAME): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
