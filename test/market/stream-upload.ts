// Multipart uploads generated as they are sent (never held whole, never written to disk), over a raw
// socket so a test controls how much of the body goes out and when: a whole 100 MB body, or only its
// first bytes and then nothing until the server answers.
import { randomBytes } from 'node:crypto';
import net from 'node:net';

export interface GeneratedFile {
  name: string;
  /** The file's first bytes (a magic number, or anything). */
  head: Buffer;
  /** The file's whole size; the bytes past `head` are `fill`. */
  size: number;
  fill?: number;
}

export interface MultipartBody {
  contentType: string;
  length: number;
  /** The body, `chunk` bytes at a time. */
  chunks(chunk?: number): Generator<Buffer>;
}

/** A multipart/form-data body of text fields and generated files under `images`. */
export function multipartBody(fields: Record<string, string>, files: GeneratedFile[]): MultipartBody {
  const boundary = `okj-${randomBytes(12).toString('hex')}`;
  const parts: (Buffer | GeneratedFile)[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="images"; filename="${f.name}"\r\ncontent-type: application/octet-stream\r\n\r\n`));
    parts.push(f, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const length = parts.reduce((n, p) => n + (Buffer.isBuffer(p) ? p.length : p.size), 0);
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length,
    *chunks(chunk = 64 * 1024) {
      for (const p of parts) {
        if (Buffer.isBuffer(p)) {
          yield p;
          continue;
        }
        yield p.head;
        const filler = Buffer.alloc(chunk, p.fill ?? 0x41);
        for (let left = p.size - p.head.length; left > 0; left -= chunk) yield left >= chunk ? filler : filler.subarray(0, left);
      }
    },
  };
}

export interface UploadResult {
  status: number;
  headers: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** Body bytes handed to the socket when the response began. */
  sentAtResponse: number;
}

export interface UploadHandle {
  /** The response, whole; rejects if the connection ends without one. */
  response: Promise<UploadResult>;
  /** The connection is closed (with `finish`: after the whole body went out, if the server read it). */
  finished: Promise<void>;
  /** Body bytes written so far. */
  sent(): number;
  /** Send the rest of the body (after `stopAfter`). */
  resume(): void;
  /** Drop the connection. */
  abort(): void;
}

/**
 * POST `body` to `url` over a plain TCP socket (an HTTP client library would stop sending once
 * answered, or buffer). With `stopAfter`, only that many body bytes are sent (at least), then nothing
 * until resume() or the response; otherwise all of it, with backpressure. Once answered the connection
 * is dropped, unless `finish` asks for the whole body to be sent anyway, as a careless client would.
 */
export function sendUpload(url: string, token: string, body: MultipartBody, o: { stopAfter?: number; finish?: boolean } = {}): UploadHandle {
  const u = new URL(url);
  const sock = net.connect(Number(u.port), u.hostname);
  sock.write(`POST ${u.pathname} HTTP/1.1\r\nhost: ${u.host}\r\nauthorization: Bearer ${token}\r\n`
    + `content-type: ${body.contentType}\r\ncontent-length: ${body.length}\r\n\r\n`);
  const chunks = body.chunks();
  let sent = 0;
  let limit = o.stopAfter ?? Infinity;
  let answered: UploadResult | null = null;
  const pump = (): void => {
    while (!sock.destroyed) {
      if (sent >= limit) return;
      const next = chunks.next();
      if (next.done) {
        if (answered !== null) sock.end();
        return;
      }
      sent += next.value.length;
      if (!sock.write(next.value)) {
        sock.once('drain', pump);
        return;
      }
    }
  };
  const finished = new Promise<void>((resolve) => sock.once('close', () => resolve()));
  const response = new Promise<UploadResult>((resolve, reject) => {
    let buf = Buffer.alloc(0);
    let head: { status: number; headers: Record<string, string>; length: number; at: number } | null = null;
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (head === null) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const [status, ...lines] = buf.subarray(0, end).toString().split('\r\n');
        const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
        head = { status: Number(status.split(' ')[1]), headers, length: Number(headers['content-length'] ?? 0), at: sent };
        buf = buf.subarray(end + 4);
      }
      if (buf.length < head.length || answered !== null) return;
      const text = buf.subarray(0, head.length).toString();
      const json = (head.headers['content-type'] ?? '').includes('json') && text !== '';
      answered = { status: head.status, headers: head.headers, body: json ? JSON.parse(text) : text, sentAtResponse: head.at };
      resolve(answered);
      if (!o.finish) sock.destroy();
      else if (sent >= limit) limit = Infinity; // a careless client sends the rest anyway
      pump();
    });
    sock.on('error', (err) => reject(err));
    sock.on('close', () => reject(new Error(`the connection closed without a response, ${sent} bytes sent`)));
  });
  response.catch(() => {});
  pump();
  return {
    response,
    finished,
    sent: () => sent,
    resume() {
      limit = Infinity;
      pump();
    },
    abort: () => sock.destroy(),
  };
}
