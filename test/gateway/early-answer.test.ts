// A 413 for a body declared far over the limit reaches the client whole, every time: a client that
// declares 50 MB and streams it, reading as it sends, must read the problem document before the
// connection ends, never lose it to a reset. Raw sockets (keep-alive, answered at once and then, once
// it has sent what it declared, carrying another request; and `Connection: close`, answered once its
// body is in and ended cleanly) and Node's http.request (which asks to
// close too), each over repeated tries.
import http from 'node:http';
import net from 'node:net';
import t from 'tap';
import { api, boot, rid } from './harness.ts';

const b = await boot();
t.teardown(() => b.stop());
const token = await b.token('alice');
const DECLARED = 50 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 0x20);
const TRIES = 8;

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Responses read off a raw socket, in order (Content-Length framing only). */
class Reader {
  private buf = Buffer.alloc(0);
  private wake: (() => void) | null = null;
  ended: 'open' | 'end' | Error = 'open';

  constructor(readonly s: net.Socket) {
    s.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake?.();
    });
    s.on('end', () => this.finish('end'));
    s.on('error', (err) => this.finish(err));
    s.on('close', () => this.finish(new Error('closed')));
  }

  private finish(how: 'end' | Error): void {
    if (this.ended === 'open') this.ended = how;
    this.wake?.();
  }

  /** The next whole response; throws, with what was read, if the connection ends first. */
  async next(): Promise<Answer> {
    for (;;) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end >= 0) {
        const [statusLine, ...lines] = this.buf.subarray(0, end).toString('latin1').split('\r\n');
        const headers: Record<string, string> = {};
        for (const l of lines) headers[l.slice(0, l.indexOf(':')).trim().toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
        const length = Number(headers['content-length']);
        if (!Number.isInteger(length)) throw new Error(`no Content-Length in ${statusLine}`);
        if (this.buf.length >= end + 4 + length) {
          const body = this.buf.subarray(end + 4, end + 4 + length).toString();
          this.buf = this.buf.subarray(end + 4 + length);
          return { status: Number(statusLine.split(' ')[1]), headers, body };
        }
      }
      if (this.ended !== 'open') {
        const why = this.ended === 'end' ? 'the server ended the connection' : this.ended.message;
        throw new Error(`${why} after reading ${JSON.stringify(this.buf.toString().slice(0, 200))}`);
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }

  /** Resolves once the server has closed the connection: cleanly ('end'), or not. */
  async closed(): Promise<'end' | Error> {
    while (this.ended === 'open') {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
    return this.ended;
  }
}

/**
 * Declare DECLARED bytes and stream them while reading; once the answer is read, stop sending. Then a
 * keep-alive connection must carry another request, and one that asked to close must be ended cleanly.
 */
async function rawUpload(connection: 'keep-alive' | 'close'): Promise<Answer> {
  const s = net.connect(b.server.port, '127.0.0.1');
  const reader = new Reader(s);
  try {
    s.write(
      `POST /api/v1/auctions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nIdempotency-Key: ${rid()}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${DECLARED}\r\nConnection: ${connection}\r\n\r\n`,
    );
    let sent = 0;
    let answered = false;
    const pump = () => {
      while (!answered && reader.ended === 'open' && sent < DECLARED) {
        const n = Math.min(CHUNK.length, DECLARED - sent);
        sent += n;
        if (!s.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) return void s.once('drain', pump);
      }
    };
    pump();
    const answer = await reader.next();
    answered = true;
    if (connection === 'keep-alive') {
      // Answered early: the connection carries another request once the declared body is all sent
      // (the server reads and drops it), as RFC 9112 §9.6 lets a client go on sending.
      while (sent < DECLARED) {
        const n = Math.min(CHUNK.length, DECLARED - sent);
        sent += n;
        if (!s.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) await new Promise((r) => s.once('drain', r));
      }
      s.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      const next = await reader.next();
      if (next.status !== 200) throw new Error(`the connection did not carry another request: ${next.status}`);
    } else {
      const closed = await reader.closed();
      if (closed !== 'end') throw new Error(`the connection was not ended cleanly: ${closed.message}`);
    }
    return answer;
  } finally {
    s.destroy();
  }
}

/** The same with Node's http client, which says `Connection: close` without an agent. */
function nodeUpload(): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const req = http.request({
      host: '127.0.0.1', port: b.server.port, method: 'POST', path: '/api/v1/auctions', agent: false,
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': rid(), 'content-type': 'application/json', 'content-length': DECLARED },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        settled = true;
        req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, body });
      });
      res.on('error', (err) => {
        if (!settled) reject(err);
      });
    });
    req.on('error', (err) => {
      if (!settled) reject(err);
    });
    let sent = 0;
    const pump = () => {
      while (!settled && !req.destroyed && sent < DECLARED) {
        sent += CHUNK.length;
        if (!req.write(CHUNK)) return void req.once('drain', pump);
      }
    };
    pump();
  });
}

const clients: [string, () => Promise<Answer>][] = [
  ['a raw keep-alive connection', () => rawUpload('keep-alive')],
  ['a raw connection that asks to close', () => rawUpload('close')],
  ["Node's http.request", nodeUpload],
];

for (const [what, upload] of clients) {
  t.test(`${what}: the 413 is read whole, ${TRIES} times out of ${TRIES}`, async (t) => {
    const failures: string[] = [];
    for (let i = 0; i < TRIES; i++) {
      try {
        const a = await upload();
        t.equal(a.status, 413, `try ${i + 1}: status`);
        t.match(JSON.parse(a.body), { status: 413, code: 'PAYLOAD_TOO_LARGE' }, `try ${i + 1}: the problem document`);
      } catch (err) {
        failures.push(`try ${i + 1}: ${(err as Error).message}`);
      }
    }
    t.strictSame(failures, [], 'no answer lost');
    t.match(await api(b.http, 'GET', '/healthz'), { status: 200 }, 'the server still answers');
  });
}
