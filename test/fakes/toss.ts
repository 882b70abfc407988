// A loopback Toss Payments: a node:http server on 127.0.0.1 (ephemeral port) that speaks Toss's wire format
// over the simulated Toss the memory adapter also runs on (`toss`: authorise widget sessions, pay into
// virtual accounts, change statuses, read payments, charges and cancels). Like Toss it checks the Basic
// auth (401 UNAUTHORIZED_KEY), refuses an Idempotency-Key over 300 characters, answers a repeated
// (key, API key, URL, method) with the first response, and with a test key honours TossPayments-Test-Code.
// A test can also make the next request time out (held past the client's deadline, after Toss did the work
// or not) or get a 5xx or a garbage body (`failNext`), read every request as it arrived (`requests`), and
// send webhook bodies to a URL as Toss would (`sendWebhook`). A browser gets the payment-window SDK and
// its window from the same server (test/fakes/toss-window.ts): `windows` lists what it was asked to pay,
// `nextWindow` makes the next one pay (the default) or be cancelled.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payment } from '../../storage/payments/ports.ts';
import {
  FirstReplies, SimulatedToss, tossError, type Fault, type SimFailure, type SimReply,
} from '../../storage/payments/simulated-toss.ts';
import { tossPayment, tossTransaction, tossWebhook, type WebhookType } from './toss-json.ts';
import { serveWindow, type WindowOutcome, type WindowRequest } from './toss-window.ts';

export const TEST_SECRET_KEY = 'test_sk_placeholder';

export interface SeenRequest {
  method: string;
  /** Path and query string, as sent. */
  url: string;
  headers: http.IncomingHttpHeaders;
  /** The JSON body, or the raw text when it was not JSON ('' for none). */
  body: unknown;
}

type WireReply = { status: number; body: unknown };

export class FakeToss {
  readonly toss: SimulatedToss;
  readonly requests: SeenRequest[] = [];
  /** Every payment window a browser opened. */
  readonly windows: WindowRequest[] = [];
  /** What the next window does (then back to paying). */
  nextWindow: WindowOutcome = 'pay';
  private readonly faults: Fault[] = [];
  private readonly replies = new FirstReplies<WireReply>();
  private readonly held = new Set<http.ServerResponse>();

  private constructor(private readonly server: http.Server, readonly baseUrl: string, readonly secretKey: string, private readonly now: () => number, toss: SimulatedToss) {
    this.toss = toss;
  }

  static async start(opts: { secretKey?: string; now?: () => number } = {}): Promise<FakeToss> {
    const now = opts.now ?? Date.now;
    let fake: FakeToss | null = null;
    const server = http.createServer((req, res) => {
      fake!.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end(`fake toss broke: ${String(err)}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fake = new FakeToss(server, base, opts.secretKey ?? TEST_SECRET_KEY, now, new SimulatedToss(now));
    return fake;
  }

  /** The next request meets this fault instead of Toss's answer. */
  failNext(fault: Fault): void {
    this.faults.push(fault);
  }

  /** Requests held past the client's deadline and not yet given up by it. */
  get holding(): number {
    return this.held.size;
  }

  /** POSTs a webhook body for the payment to `url`, as Toss does; resolves with the status it got. */
  async sendWebhook(url: string, type: WebhookType, paymentKey: string): Promise<number> {
    const p = this.toss.payments().find((x) => x.paymentKey === paymentKey);
    if (p === undefined) throw new Error(`no confirmed payment ${paymentKey}`);
    const res = await fetch(url, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(tossWebhook(type, p, this.now())), signal: AbortSignal.timeout(5000),
    });
    await res.arrayBuffer();
    return res.status;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const where = new URL(req.url ?? '/', this.baseUrl);
    const next = () => {
      const n = this.nextWindow;
      this.nextWindow = 'pay';
      return n;
    };
    if (serveWindow(req, res, where, { base: this.baseUrl, toss: this.toss, seen: this.windows, next })) return;
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = parseJson(raw);
    this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: { ...req.headers }, body: body === undefined ? raw : body });

    const auth = req.headers.authorization ?? '';
    if (auth !== `Basic ${Buffer.from(`${this.secretKey}:`).toString('base64')}`) {
      const decoded = Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString();
      return send(res, wire(tossError(auth.startsWith('Basic ') && !decoded.includes(':') ? 'INCORRECT_BASIC_AUTH_FORMAT' : 'UNAUTHORIZED_KEY')));
    }
    const idempotencyKey = header(req, 'idempotency-key');
    if (idempotencyKey !== undefined && idempotencyKey.length > 300) return send(res, wire(tossError('INVALID_IDEMPOTENCY_KEY')));
    // Live keys ignore the test header, as Toss's do.
    const testCode = this.secretKey.startsWith('test_') ? header(req, 'tosspayments-test-code') : undefined;
    const route = this.route(req.method ?? '', where, body, testCode);
    if (route === null) return void res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Not Found</body></html>');

    const run = () => this.replies.replay(`${auth}\n${req.method}\n${req.url}`, req.method === 'POST' ? idempotencyKey : undefined, route);
    const fault = this.faults.shift();
    if (fault === undefined) return send(res, run());
    if (fault.processed) run();
    if (fault.kind === 'timeout') {
      this.held.add(res);
      res.on('close', () => this.held.delete(res));
      return;
    }
    res.writeHead(fault.status, { 'content-type': fault.contentType ?? 'text/html' }).end(fault.body);
  }

  private route(method: string, url: URL, body: unknown, testCode: string | undefined): (() => WireReply) | null {
    const p = url.pathname;
    let m: RegExpMatchArray | null;
    if (method === 'POST' && p === '/v1/payments/confirm') {
      return () => (body === undefined ? wire(tossError('INVALID_REQUEST')) : payment(this.toss.confirm(body, testCode)));
    }
    if (method === 'POST' && (m = p.match(/^\/v1\/payments\/([^/]+)\/cancel$/)) !== null) {
      const key = decodeURIComponent(m[1]);
      return () => (body === undefined ? wire(tossError('INVALID_REQUEST')) : payment(this.toss.cancel(key, body, testCode)));
    }
    if (method === 'GET' && (m = p.match(/^\/v1\/payments\/orders\/([^/]+)$/)) !== null) {
      const orderId = decodeURIComponent(m[1]);
      return () => payment(this.toss.paymentOfOrder(orderId, testCode));
    }
    if (method === 'GET' && (m = p.match(/^\/v1\/payments\/([^/]+)$/)) !== null) {
      const key = decodeURIComponent(m[1]);
      return () => payment(this.toss.payment(key, testCode));
    }
    if (method === 'GET' && p === '/v1/transactions') {
      const query = Object.fromEntries(url.searchParams);
      return () => {
        const r = this.toss.transactions(query, testCode);
        return r.ok ? { status: 200, body: r.value.map(tossTransaction) } : wire(r);
      };
    }
    return null;
  }
}

const wire = (r: SimFailure): WireReply => ({ status: r.status, body: { code: r.code, message: r.message } });

function payment(r: SimReply<Payment>): WireReply {
  return r.ok ? { status: 200, body: tossPayment(r.value) } : wire(r);
}

function send(res: http.ServerResponse, r: WireReply): void {
  res.writeHead(r.status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(r.body));
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
