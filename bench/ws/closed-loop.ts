// Closed-loop load with pipelining, shared by the echo baseline and the bid test so both see the same
// client: every connection keeps `window` frames outstanding; each reply owes one new frame. Frames owed
// while one TCP read is being parsed leave together, corked, in a microtask after that read: one write
// per read per socket rather than one per frame.
import type WebSocket from 'ws';
import { sendCorked, type Frame } from './socket.ts';

export interface LoadConn {
  ws: WebSocket;
  /** The next frame to send. */
  next(): Buffer;
  /** Set by the driver: the socket's frames go here. */
  onFrame: (f: Frame) => void;
}

export interface LoadResult {
  /** Good replies per second inside the measured window. */
  perSec: number;
  good: number;
  bad: number;
  /** Counts of bad replies by code. */
  codes: Record<string, number>;
  /** Replies still missing when the drain gave up. */
  lost: number;
}

/**
 * Run for `warmupMs + ms`, counting good replies only during the last `ms` (the warm-up lets the JIT
 * and the batch sizes settle), then stop sending and wait (at most `drainMs`) for what is in flight.
 * `judge` says whether a frame is a reply to a load frame, and whether it is good.
 */
export function closedLoop(conns: LoadConn[], o: { window: number; warmupMs: number; ms: number; drainMs: number; judge: (f: Frame) => 'good' | 'bad' | 'other'; code?: (f: Frame) => string }): Promise<LoadResult> {
  const owed = new Int32Array(conns.length);
  const dirty: number[] = [];
  let outstanding = 0;
  let good = 0;
  let bad = 0;
  const codes: Record<string, number> = {};
  let counting = false;
  let sending = true;
  let scheduled = false;
  let countStart = 0;
  let countEnd = 0;

  const flush = () => {
    scheduled = false;
    for (let d = 0; d < dirty.length; d++) {
      const i = dirty[d];
      const n = owed[i];
      owed[i] = 0;
      if (!sending || n === 0) continue;
      const frames: Buffer[] = new Array(n);
      for (let k = 0; k < n; k++) frames[k] = conns[i].next();
      sendCorked(conns[i].ws, frames);
      outstanding += n;
    }
    dirty.length = 0;
  };

  return new Promise((resolve) => {
    let drained: (() => void) | null = null;
    conns.forEach((c, i) => {
      c.onFrame = (f) => {
        const verdict = o.judge(f);
        if (verdict === 'other') return;
        outstanding--;
        if (verdict === 'good') {
          if (counting) good++;
        } else {
          bad++;
          const code = o.code?.(f) ?? 'bad';
          codes[code] = (codes[code] ?? 0) + 1;
        }
        if (!sending) {
          if (outstanding === 0) drained?.();
          return;
        }
        if (owed[i]++ === 0) dirty.push(i);
        if (!scheduled) {
          scheduled = true;
          queueMicrotask(flush);
        }
      };
    });
    for (const c of conns) sendCorked(c.ws, Array.from({ length: o.window }, () => c.next()));
    outstanding = conns.length * o.window;

    setTimeout(() => {
      counting = true;
      countStart = performance.now();
      setTimeout(() => {
        counting = false;
        countEnd = performance.now();
        sending = false;
        const finish = () => {
          clearTimeout(giveUp);
          for (const c of conns) c.onFrame = () => {};
          resolve({ perSec: Math.round(good / ((countEnd - countStart) / 1000)), good, bad, codes, lost: outstanding });
        };
        const giveUp = setTimeout(finish, o.drainMs);
        if (outstanding === 0) finish();
        else drained = finish;
      }, o.ms);
    }, o.warmupMs);
  });
}
