// Test doubles for the SDK's environment: timers driven by hand, and a WebSocket whose server side the
// test plays (frames it receives are decoded; frames it sends are encoded as the real server would).
import { Packr, Unpackr } from 'msgpackr';
import type { Timers, WebSocketLike } from '../../client/index.ts';

export class ManualTimers implements Timers {
  now = 1_000_000;
  private seq = 0;
  private readonly due = new Map<number, { at: number; fn: () => void }>();

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.due.set(id, { at: this.now + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(h: unknown): void {
    this.due.delete(h as number);
  }

  /** Move time forward, running every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.due) if (e[1].at <= end && (next === undefined || e[1].at < next[1].at)) next = e;
      if (next === undefined) break;
      this.due.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
    }
    this.now = end;
  }

  get pending(): number {
    return this.due.size;
  }

  /** Delays of the timers waiting, from now. */
  delays(): number[] {
    return [...this.due.values()].map((d) => d.at - this.now);
  }
}

const packr = new Packr({ useRecords: false });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Frame = Record<string, any> & { t: string };

export class FakeSocket implements WebSocketLike {
  static made: FakeSocket[] = [];
  binaryType = 'blob';
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  /** Frames the client sent, decoded, with whether they came binary. */
  readonly sent: { frame: Frame; binary: boolean }[] = [];

  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }

  static last(): FakeSocket {
    const s = FakeSocket.made[FakeSocket.made.length - 1];
    if (s === undefined) throw new Error('no socket was made');
    return s;
  }

  send(data: string | Uint8Array): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    if (typeof data === 'string') this.sent.push({ frame: JSON.parse(data) as Frame, binary: false });
    else this.sent.push({ frame: unpackr.unpack(data) as Frame, binary: true });
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  // ---- the server's side ----

  accept(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  /** Send a frame as the server would: MessagePack to a binary client, JSON to a text one. */
  deliver(frame: Frame, binary = true): void {
    if (binary) {
      const b = packr.pack(frame);
      this.onmessage?.({ data: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) });
    } else this.onmessage?.({ data: JSON.stringify(frame) });
  }

  /** The connection drops (the server died: 1006; or a close frame with its code). */
  drop(code = 1006, reason = ''): void {
    this.close(code, reason);
  }

  frames(t?: string): Frame[] {
    return this.sent.map((s) => s.frame).filter((f) => t === undefined || f.t === t);
  }
}

/** Let promises and microtasks settle (the socket awaits its token before it opens). */
export const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

export function snap(auction: string, seq: number, o: Partial<Frame> = {}): Frame {
  return {
    t: 'snap', auction, seq, status: 'OPEN', price: 10_000, bidCount: 0, leader: null, minNext: 10_000, endsAt: 2_000_000_000_000,
    buyNowPrice: null, reserveMet: true, now: 0, ...o,
  };
}

export function px(auction: string, seq: number, bidCount: number, price: number, o: Partial<Frame> = {}): Frame {
  return { t: 'px', auction, seq, price, bidCount, leader: 'a***e', minNext: price + 1_000, endsAt: 2_000_000_000_000, ...o };
}
