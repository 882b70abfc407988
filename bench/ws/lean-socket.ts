// A minimal WebSocket client for the fan-out watchers, which only subscribe and read. Reading 100,000
// small frames a second over 5,000 sockets with `ws` takes a whole core here (a stream 'data' event and
// a Receiver pass per frame), which would make the fan-out figure measure this process instead of the
// server. This one reads with net's `onread` into one shared buffer (no stream machinery, no allocation
// per read) and parses the few frame kinds a server sends: unmasked, unfragmented binary or text
// frames, ping and close. It sends only small masked frames (with a zero mask key, which RFC 6455
// allows: the client must mask, the key may be any value).
import { randomBytes } from 'node:crypto';
import net from 'node:net';

/** One buffer for every socket's reads: a callback parses it at once and copies only a partial frame. */
const shared = Buffer.allocUnsafe(256 * 1024);

const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

export class LeanSocket {
  private pending: Buffer | null = null;
  private upgraded = false;
  closed = false;

  private constructor(private readonly sock: net.Socket, private readonly onMessage: (payload: Buffer) => void) {}

  /** Connect to ws://127.0.0.1:port/path; resolves once the upgrade is answered 101. */
  static open(port: number, path: string, onMessage: (payload: Buffer) => void, timeoutMs = 10_000): Promise<LeanSocket> {
    return new Promise((resolve, reject) => {
      let lean: LeanSocket | null = null;
      const timer = setTimeout(() => fail(new Error('upgrade timed out')), timeoutMs);
      const fail = (err: Error) => {
        clearTimeout(timer);
        sock.destroy();
        reject(err);
      };
      const sock = net.connect({
        host: '127.0.0.1',
        port,
        noDelay: true,
        onread: {
          buffer: shared,
          callback: (n: number) => {
            const l = lean as LeanSocket;
            if (l.upgraded) {
              l.frames(shared.subarray(0, n));
              return true;
            }
            const done = l.handshake(shared.subarray(0, n));
            if (done === 'refused') fail(new Error('upgrade refused'));
            else if (done === 'ok') {
              clearTimeout(timer);
              resolve(l);
            }
            return true;
          },
        },
      });
      lean = new LeanSocket(sock, onMessage);
      sock.once('error', (err) => (lean?.upgraded ? undefined : fail(err)));
      sock.on('error', () => {}); // a reset during teardown must not crash the bench
      sock.on('close', () => {
        if (lean !== null) lean.closed = true;
      });
      sock.once('connect', () => {
        sock.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
      });
    });
  }

  /** Send one binary frame (payloads under 64 KiB). */
  send(payload: Buffer, opcode = 0x2): void {
    const len = payload.length;
    const head = len < 126 ? Buffer.from([0x80 | opcode, 0x80 | len, 0, 0, 0, 0]) : Buffer.from([0x80 | opcode, 0x80 | 126, len >> 8, len & 0xff, 0, 0, 0, 0]);
    this.sock.write(Buffer.concat([head, payload]));
  }

  /** Drop the connection at once (the bench's teardown; no close handshake). */
  terminate(): void {
    this.sock.destroy();
  }

  /** The upgrade response (with maybe the first frames after it): 'ok', 'refused' or 'more' (wait). */
  private handshake(data: Buffer): 'ok' | 'refused' | 'more' {
    const all = this.pending === null ? Buffer.from(data) : Buffer.concat([this.pending, data]);
    const end = all.indexOf('\r\n\r\n');
    if (end < 0) {
      this.pending = all;
      return 'more';
    }
    this.pending = null;
    if (!all.subarray(0, 13).toString('latin1').startsWith('HTTP/1.1 101')) return 'refused';
    this.upgraded = true;
    if (all.length > end + 4) this.frames(all.subarray(end + 4));
    return 'ok';
  }

  /** Parse every whole frame in `data`; keep (copy) a trailing partial one. */
  private frames(chunk: Buffer): void {
    let data = this.pending === null ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = null;
    for (let guard = 0; guard < 1_000_000 && data.length >= 2; guard++) {
      const b1 = data[1] & 0x7f;
      let head = 2;
      let len = b1;
      if (b1 === 126) {
        if (data.length < 4) break;
        len = data.readUInt16BE(2);
        head = 4;
      } else if (b1 === 127) {
        if (data.length < 10) break;
        len = Number(data.readBigUInt64BE(2));
        head = 10;
      }
      if (data.length < head + len) break;
      const opcode = data[0] & 0x0f;
      const payload = data.subarray(head, head + len);
      if (opcode === 0x1 || opcode === 0x2) this.onMessage(payload);
      else if (opcode === OP_PING) this.send(Buffer.from(payload), OP_PONG);
      else if (opcode === OP_CLOSE) {
        this.terminate();
        return;
      }
      data = data.subarray(head + len);
    }
    if (data.length > 0) this.pending = Buffer.from(data);
  }
}
