// Shared harness for the gateway tests: a real server in-process on port 0 with a temp SQLite file, a
// `ws` client that records every frame (JSON or MessagePack), tokens, and HTTP helpers.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Packr, Unpackr } from 'msgpackr';
import WebSocket from 'ws';
import { loadConfig, type Config } from '../../app/config.ts';
import { startServer, type RunningServer, type StartOptions } from '../../app/server.ts';
import { MemoryMailer, type Mailer } from '../../app/accounts/mailer.ts';
import { openStores, type Stores } from '../../app/stores.ts';
import type { AuctionSpec } from '../../engine/index.ts';
import { signAccessToken, type SignOptions } from '../../app/accounts/tokens.ts';
import type { Encoding } from '../../gateway/protocol.ts';
import { cheapPasswordHash } from '../helpers/cheap-hash.ts';

export const SECRET = 'test-secret-that-is-long-enough-for-hs256!';
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export interface Booted {
  server: RunningServer;
  config: Readonly<Config>;
  http: string;
  ws: string;
  /** The server's mail (signup's verification links), unless boot was given another mailer. */
  mail: MemoryMailer;
  token(user: string, opts?: SignOptions): Promise<string>;
  stop(): Promise<void>;
}

export interface BootOptions extends Omit<StartOptions, 'mailer'> {
  /** Wrap the stores opened from config (to slow or break one). */
  wrapStores?: (s: Stores) => Stores;
  /** A mailer of the test's own, or 'config' for the one MAIL_TRANSPORT names; a fresh MemoryMailer by default. */
  mailer?: Mailer | 'config';
}

export async function boot(env: Record<string, string> = {}, opts: BootOptions = {}): Promise<Booted> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'okj-gateway-'));
  // Every test client signs up from 127.0.0.1: the per-address signup limit is lifted unless a test sets it.
  const config = loadConfig({
    NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', DATA_DIR: dir, DATABASE_URL: path.join(dir, 'okj.db'),
    JWT_SECRET: SECRET, LOG_LEVEL: 'silent', SIGNUP_MAX_PER_ADDRESS: '1000000', ...cheapPasswordHash(env), ...env,
  });
  const { wrapStores, mailer, ...rest } = opts;
  const start: StartOptions = rest;
  if (wrapStores !== undefined) start.stores = wrapStores(await openStores(config));
  const mail = mailer instanceof MemoryMailer ? mailer : new MemoryMailer();
  if (mailer !== 'config') start.mailer = mailer ?? mail;
  const server = await startServer(config, start);
  return {
    server,
    config,
    http: `http://127.0.0.1:${server.port}`,
    ws: `ws://127.0.0.1:${server.port}/ws`,
    mail,
    token: (user, o) => signAccessToken(server.keys, user, o),
    async stop() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// ---- socket client --------------------------------------------------------------------------------

const packr = new Packr({ useRecords: false });
const unpackr = new Unpackr({ useRecords: false });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Frame = Record<string, any> & { t: string };

export class Client {
  /** Frames not taken yet, in arrival order. */
  readonly inbox: Frame[] = [];
  /** Every frame received, with the encoding it came in. */
  readonly log: { frame: Frame; binary: boolean }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private wake: (() => void) | null = null;
  private sent = 0;

  /** `alternate`: every other frame goes in the other encoding, starting with `enc`. */
  constructor(readonly ws: WebSocket, readonly enc: Encoding, readonly alternate = false) {
    ws.on('message', (data: Buffer, binary: boolean) => {
      const frame = (binary ? unpackr.unpack(data) : JSON.parse(data.toString())) as Frame;
      this.inbox.push(frame);
      this.log.push({ frame, binary });
      this.wake?.();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      this.wake?.();
    }));
  }

  static open(url: string, o: { enc?: Encoding; token?: string; alternate?: boolean } = {}): Promise<Client> {
    const u = o.token === undefined ? url : `${url}?access_token=${encodeURIComponent(o.token)}`;
    const ws = new WebSocket(u);
    const c = new Client(ws, o.enc ?? 'json', o.alternate);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(c));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode, body })));
      });
    });
  }

  send(msg: unknown): void {
    const flip = this.alternate && this.sent++ % 2 === 1;
    if ((this.enc === 'json') !== flip) this.ws.send(JSON.stringify(msg));
    else this.ws.send(packr.pack(msg), { binary: true });
  }

  sendRaw(data: Buffer | string, binary: boolean): void {
    this.ws.send(data, { binary });
  }

  /** The first frame (in arrival order) matching `pred`, removed from the inbox; waits up to `ms`. */
  async take(pred: (f: Frame) => boolean, ms = 3000, what = 'frame'): Promise<Frame> {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = this.inbox.findIndex(pred);
      if (i >= 0) return this.inbox.splice(i, 1)[0];
      const left = deadline - Date.now();
      if (left <= 0 || this.ws.readyState === WebSocket.CLOSED) {
        throw new Error(`no ${what} within ${ms} ms; inbox: ${JSON.stringify(this.inbox).slice(0, 600)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  type(t: string, extra: Record<string, unknown> = {}, ms?: number): Promise<Frame> {
    return this.take((f) => f.t === t && Object.entries(extra).every(([k, v]) => f[k] === v), ms, `${t} ${JSON.stringify(extra)}`);
  }

  /** Send a command and wait for its ack. */
  async command(msg: { t: string; rid: string } & Record<string, unknown>): Promise<Frame> {
    this.send(msg);
    return this.take((f) => (f.t === 'ack' || f.t === 'error') && f.rid === msg.rid, 3000, `ack ${msg.rid}`);
  }

  /** Nothing arrives matching `pred` within `ms`. */
  async quiet(pred: (f: Frame) => boolean, ms = 200): Promise<boolean> {
    await sleep(ms);
    return !this.inbox.some(pred);
  }

  close(): Promise<{ code: number; reason: string }> {
    this.ws.close();
    return this.closed;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let ridSeq = 0;
export const rid = (p = 'r') => `${p}-${process.pid}-${++ridSeq}`;

// ---- HTTP -----------------------------------------------------------------------------------------

export interface Res {
  status: number;
  type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export async function api(base: string, method: string, path: string, o: { token?: string; key?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Res> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
  if (o.key !== undefined) headers['idempotency-key'] = o.key;
  let body: string | undefined = o.raw;
  if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers['content-type'] ??= 'application/json';
  }
  const r = await fetch(base + path, { method, headers, body });
  const text = await r.text();
  const type = r.headers.get('content-type') ?? '';
  return { status: r.status, type, body: text !== '' && type.includes('json') ? JSON.parse(text) : text };
}

export type SpecInput = Partial<Omit<AuctionSpec, 'id' | 'sellerId'>>;

/** Create and open an auction over HTTP as `seller`; returns its id. */
export async function openAuction(b: Booted, seller: string, spec: SpecInput = {}, now = Date.now()): Promise<string> {
  const token = await b.token(seller);
  const created = await api(b.http, 'POST', '/api/v1/auctions', {
    token, key: rid('create'),
    body: { productId: 'p1', startPrice: 10_000, bidUnit: 1_000, startsAt: now, endsAt: now + HOUR, ...spec },
  });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  const opened = await api(b.http, 'POST', `/api/v1/auctions/${id}/open`, { token, key: rid('open') });
  if (opened.status !== 200) throw new Error(`open failed: ${opened.status} ${JSON.stringify(opened.body)}`);
  return id;
}
