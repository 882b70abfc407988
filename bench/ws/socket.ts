// The load client's sockets: `ws` with no compression offered (the gateway has none), MessagePack in
// binary frames, and corked batches so that a burst of frames to one socket leaves in one write.
import type { Socket } from 'node:net';
import { Packr, Unpackr } from 'msgpackr';
import WebSocket from 'ws';

export const packr = new Packr({ useRecords: false });
export const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Frame = Record<string, any>;

/** Open one socket; `onFrame` gets every decoded frame (set before open, so nothing is missed). */
export function openSocket(url: string, onFrame: (f: Frame) => void, timeoutMs = 10_000): Promise<WebSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: timeoutMs, maxPayload: 1 << 20 });
  ws.binaryType = 'nodebuffer';
  ws.on('message', (data: Buffer, binary: boolean) => onFrame(binary ? unpackr.unpack(data) : JSON.parse(data.toString())));
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.off('error', reject);
      ws.on('error', () => {}); // a reset during teardown must not crash the bench
      resolve(ws);
    });
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
}

/** Open `n` sockets, at most `batch` handshakes at a time, so the server's accept queue never overflows. */
export async function openMany(n: number, batch: number, open: (i: number) => Promise<WebSocket>): Promise<WebSocket[]> {
  const out: WebSocket[] = [];
  for (let i = 0; i < n; i += batch) {
    const part = await Promise.all(Array.from({ length: Math.min(batch, n - i) }, (_, k) => open(i + k)));
    for (const ws of part) out.push(ws);
  }
  return out;
}

/** The socket under `ws` (a private field of ws 8, stable for years): corking it batches writes. */
const rawSocket = (ws: WebSocket) => (ws as unknown as { _socket: Socket })._socket;

/** Send several frames as one TCP write. */
export function sendCorked(ws: WebSocket, frames: (Buffer | Uint8Array)[]): void {
  const s = rawSocket(ws);
  s.cork();
  for (let i = 0; i < frames.length; i++) ws.send(frames[i], { binary: true });
  s.uncork();
}

/** Close sockets and wait (bounded) until they are closed. */
export async function closeAll(sockets: WebSocket[], ms = 5_000): Promise<void> {
  const closed = sockets.map((ws) => ws.readyState === WebSocket.CLOSED ? Promise.resolve() : new Promise<void>((resolve) => ws.once('close', () => resolve())));
  for (const ws of sockets) ws.terminate();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(closed), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/**
 * Open a socket and authenticate it with an `auth` frame; resolves once `authed` arrives. (Not with
 * `?access_token=` on the upgrade: that path upgrades asynchronously, and the uWS build in use may then
 * drop the new socket right after `open`; see the bench's report.)
 */
export async function openAuthed(url: string, token: string, onFrame: (f: Frame) => void, timeoutMs = 10_000): Promise<WebSocket> {
  let authed: (() => void) | null = null;
  let refused: ((err: Error) => void) | null = null;
  const ws = await openSocket(url, (f) => {
    if (authed === null) return onFrame(f);
    if (f.t === 'authed') authed();
    else if (f.t === 'error') refused?.(new Error(`auth refused: ${f.code} ${f.message}`));
  }, timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      authed = resolve;
      refused = reject;
      timer = setTimeout(() => reject(new Error('no authed reply')), timeoutMs);
      ws.send(packr.pack({ t: 'auth', token }), { binary: true });
    });
  } finally {
    clearTimeout(timer);
    authed = null;
  }
  return ws;
}
