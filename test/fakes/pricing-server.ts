// The loopback HTTP server under the Naver and OpenAI fakes: 127.0.0.1 on an ephemeral port, every
// request kept with its body, and the two ways a provider can hang (no answer at all; headers then a
// body that never ends). close() ends hung connections too, so a test never waits on them.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Handler = (req: SeenRequest, res: http.ServerResponse) => void;

export interface Loopback {
  origin: string;
  /** Requests the client gave up on before the answer was complete (its time-out fired). */
  readonly aborted: number;
  /** Resolves once `n` requests have been given up on by the client. */
  abortedAtLeast(n: number): Promise<void>;
  close(): Promise<void>;
}

export async function listen(handle: Handler): Promise<Loopback> {
  let aborted = 0;
  let waiters: { n: number; resolve: () => void }[] = [];
  const server = http.createServer((req, res) => {
    // The connection closed with the answer unfinished: the client aborted (close() ends hung connections
    // only at teardown, after the tests looked).
    res.on('close', () => {
      if (res.writableFinished) return;
      aborted++;
      waiters = waiters.filter((w) => (w.n <= aborted ? (w.resolve(), false) : true));
    });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://loopback');
      handle({ method: req.method ?? '', path: u.pathname, query: u.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    get aborted() { return aborted; },
    abortedAtLeast: (n) => (aborted >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Failures any HTTP provider can show, whatever its API. */
export type TransportFault = 'hang' | 'stall-body' | 'garbage';

/**
 * Answer a transport fault and return true, or return false for anything else. `hang` holds the request
 * unanswered; `stall-body` sends headers and the start of a JSON body, then nothing; `garbage` sends a
 * 200 with the HTML page a proxy or a maintenance screen puts in front of an API.
 */
export function transportFault(res: http.ServerResponse, fault: string | undefined, html: string): boolean {
  switch (fault) {
    case 'hang':
      return true;
    case 'stall-body':
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': 4096 });
      res.write('{"partial":');
      return true;
    case 'garbage':
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
      return true;
    default:
      return false;
  }
}
