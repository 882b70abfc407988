// A loopback Toss payouts (지급대행 v2) on 127.0.0.1: POST /v2/payouts in the ENCRYPTION security mode
// as documented (Basic auth with the secret key, `TossPayments-api-security-mode: ENCRYPTION`, the body a
// compact JWE dir/A256GCM with iat and nonce headers, the answer encrypted the same way, errors as
// `{version, traceId, error: {code, message}}`). A refPayoutId is taken once. Test hooks: fail or hold
// the next request, read what arrived (decrypted), and send signed payout.changed webhooks.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import { decryptBody, encryptBody, securityKeyBytes, webhookSignature } from '../../storage/settlement/payouts/toss-crypto.ts';

export const PAYOUT_SECRET_KEY = 'test_gsk_placeholder';
export const SECURITY_KEY = 'a1'.repeat(32);

export interface SeenPayoutRequest {
  headers: http.IncomingHttpHeaders;
  jweHeader: Record<string, unknown> | null;
  body: unknown;
}

type Fault = { status: number; body: string } | 'hold';

export class FakeTossPayouts {
  readonly requests: SeenPayoutRequest[] = [];
  /** Payouts taken, by refPayoutId. */
  readonly payouts = new Map<string, { id: string; refPayoutId: string; amount: number; destination: string; status: string }>();
  private readonly faults: Fault[] = [];
  private readonly held = new Set<http.ServerResponse>();
  private readonly key = securityKeyBytes(SECURITY_KEY);

  private constructor(private readonly server: http.Server, readonly baseUrl: string) {}

  static async start(): Promise<FakeTossPayouts> {
    let fake: FakeTossPayouts | null = null;
    const server = http.createServer((req, res) => void fake!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake = new FakeTossPayouts(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return fake;
  }

  failNext(f: Fault): void {
    this.faults.push(f);
  }

  async close(): Promise<void> {
    for (const r of this.held) r.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** POST a payout.changed webhook as Toss would, signed with `key` (the security key unless forging). */
  async sendWebhook(url: string, refPayoutId: string, status: string, o: { key?: string; time?: string; tamper?: boolean } = {}): Promise<number> {
    const p = this.payouts.get(refPayoutId);
    const body = JSON.stringify({ eventType: 'payout.changed', createdAt: new Date().toISOString(), data: { id: p?.id ?? 'unknown', refPayoutId, status, amount: { currency: 'KRW', value: p?.amount ?? 0 } } });
    const time = o.time ?? new Date().toISOString();
    const sig = webhookSignature(o.key ?? SECURITY_KEY, body, time);
    const r = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'tosspayments-webhook-transmission-time': time, 'tosspayments-webhook-signature': `v1:${sig},v1:${Buffer.from('old-key').toString('base64')}` },
      body: o.tamper ? body.replace(status, 'COMPLETED') : body,
    });
    await r.arrayBuffer();
    return r.status;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const error = (status: number, code: string, message: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ version: '2022-11-16', traceId: randomUUID(), entityType: 'error', error: { code, message } }));
    };
    let jweHeader: Record<string, unknown> | null = null;
    let body: unknown = text;
    try {
      jweHeader = decodeProtectedHeader(text) as Record<string, unknown>;
      body = await decryptBody(this.key, text);
    } catch {
      // recorded as text
    }
    this.requests.push({ headers: req.headers, jweHeader, body });
    const fault = this.faults.shift();
    if (fault === 'hold') {
      this.held.add(res);
      return;
    }
    if (fault !== undefined) {
      res.writeHead(fault.status, { 'content-type': 'application/json' });
      res.end(fault.body);
      return;
    }
    if (req.method !== 'POST' || req.url !== '/v2/payouts') return error(404, 'NOT_FOUND', 'no such API');
    if (req.headers.authorization !== `Basic ${Buffer.from(`${PAYOUT_SECRET_KEY}:`).toString('base64')}`) return error(401, 'UNAUTHORIZED_KEY', 'unknown secret key');
    if (req.headers['tosspayments-api-security-mode'] !== 'ENCRYPTION') return error(400, 'INVALID_REQUEST', 'ENCRYPTION mode required');
    if (jweHeader === null || jweHeader.alg !== 'dir' || jweHeader.enc !== 'A256GCM' || typeof jweHeader.iat !== 'string' || typeof jweHeader.nonce !== 'string' || body === text) {
      return error(400, 'INVALID_ENCRYPTION', 'the body is not a JWE of the security key');
    }
    if (!Array.isArray(body)) return error(400, 'INVALID_REQUEST', 'an array of payouts');
    const items = [];
    for (const p of body as Array<{ refPayoutId: string; destination: string; amount: { value: number } }>) {
      if (this.payouts.has(p.refPayoutId)) return error(400, 'ALREADY_EXIST_REF_PAYOUT_ID', 'refPayoutId was used');
    }
    for (const p of body as Array<{ refPayoutId: string; destination: string; scheduleType: string; amount: { currency: string; value: number }; transactionDescription: string; metadata: unknown }>) {
      const item = { id: `FPA_${randomUUID().replaceAll('-', '').slice(0, 20)}`, refPayoutId: p.refPayoutId, destination: p.destination, scheduleType: p.scheduleType, payoutDate: new Date().toISOString().slice(0, 10), amount: p.amount, transactionDescription: p.transactionDescription, requestedAt: new Date().toISOString(), status: 'REQUESTED', error: null, metadata: p.metadata };
      this.payouts.set(p.refPayoutId, { id: item.id, refPayoutId: p.refPayoutId, amount: p.amount.value, destination: p.destination, status: 'REQUESTED' });
      items.push(item);
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(await encryptBody(this.key, { version: '2022-11-16', traceId: randomUUID(), entityType: 'payout', entityBody: { items } }));
  }
}
