// The PayoutGateway over Toss Payments' payouts (지급대행 v2): POST /v2/payouts with the body encrypted
// (./toss-crypto.ts), `Authorization: Basic base64(secretKey + ":")`, `TossPayments-api-security-mode:
// ENCRYPTION`, an Idempotency-Key per batch, and a deadline. Each payout is one item, its refPayoutId
// our payout id (Toss refuses a refPayoutId twice, so a resend cannot pay twice). Toss answers
// REQUESTED at first; the outcome comes by the payout.changed webhook (app/settlement/service.ts).
//   2xx with items                     -> per item: COMPLETED completed, FAILED/CANCELED failed, else requested
//   4xx {error:{code,message}}         -> failed (a duplicate refPayoutId: requested, the webhook decides)
//   5xx, time-out, network, bad body   -> unknown (sent again next run, same ids)
import { createHash } from 'node:crypto';
import type { Payout, Period } from '../../../engine/settlement/model.ts';
import type { PayoutGateway, PayoutOutcome } from '../ports.ts';
import { decryptBody, encryptBody, securityKeyBytes } from './toss-crypto.ts';

export interface TossPayoutsOptions {
  secretKey: string;
  /** 64 hex characters (the developer centre's 보안 키). */
  securityKey: string;
  baseUrl?: string;
  /** Default 60 000 ms (Toss: payouts may take up to 60 s). */
  timeoutMs?: number;
  /** Toss's seller id for a payout's seller (sellers are registered with Toss beforehand); default the seller id. */
  destinationOf?: (p: Payout) => string;
}

const BATCH = 100;

type Item = { id?: unknown; refPayoutId?: unknown; status?: unknown; error?: { code?: unknown; message?: unknown } | null };

export class TossPayouts implements PayoutGateway {
  readonly name = 'toss';
  readonly #key: Uint8Array;
  readonly #auth: string;
  readonly #secrets: string[];

  constructor(private readonly o: TossPayoutsOptions) {
    this.#key = securityKeyBytes(o.securityKey);
    this.#auth = `Basic ${Buffer.from(`${o.secretKey}:`).toString('base64')}`;
    this.#secrets = [o.secretKey, o.securityKey];
  }

  async send(period: Period, payouts: readonly Payout[]): Promise<Map<string, PayoutOutcome>> {
    const out = new Map<string, PayoutOutcome>();
    for (let i = 0; i < payouts.length; i += BATCH) {
      const batch = payouts.slice(i, i + BATCH);
      for (const [id, o] of await this.batch(period, batch)) out.set(id, o);
    }
    return out;
  }

  private scrub(s: string): string {
    let out = s;
    for (const secret of this.#secrets) out = out.split(secret).join('***');
    return out.slice(0, 300);
  }

  private async batch(period: Period, payouts: readonly Payout[]): Promise<Map<string, PayoutOutcome>> {
    const all = (o: PayoutOutcome) => new Map(payouts.map((p) => [p.id, o]));
    const body = payouts.map((p) => ({
      refPayoutId: p.id,
      destination: this.o.destinationOf?.(p) ?? p.sellerId,
      scheduleType: 'EXPRESS',
      amount: { currency: 'KRW', value: p.amount },
      transactionDescription: `settlement ${period}`,
      metadata: { period },
    }));
    const key = createHash('sha256').update(payouts.map((p) => p.id).join('\n')).digest('hex');
    let res: Response;
    try {
      res = await fetch(`${(this.o.baseUrl ?? 'https://api.tosspayments.com').replace(/\/$/, '')}/v2/payouts`, {
        method: 'POST',
        headers: { authorization: this.#auth, 'content-type': 'text/plain', 'tosspayments-api-security-mode': 'ENCRYPTION', 'idempotency-key': key },
        body: await encryptBody(this.#key, body),
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 60_000),
      });
    } catch (err) {
      return all({ kind: 'unknown', reason: this.scrub(`Toss payouts: ${(err as Error).name === 'TimeoutError' ? 'timed out' : (err as Error).message}`) });
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      return all({ kind: 'unknown', reason: this.scrub(`Toss payouts: reading the answer: ${(err as Error).message}`) });
    }
    const parsed = await this.read(text);
    if (res.status >= 500 || parsed === undefined) return all({ kind: 'unknown', reason: this.scrub(`Toss payouts: HTTP ${res.status}${parsed === undefined ? ', an unreadable body' : ''}`) });
    if (res.status >= 400) {
      const e = (parsed as { error?: { code?: unknown; message?: unknown } } | null)?.error;
      const code = typeof e?.code === 'string' ? e.code : `HTTP_${res.status}`;
      if (res.status === 409 || /DUPLICAT|ALREADY/.test(code)) return all({ kind: 'requested', reference: `ref:${payouts[0].id}` });
      return all({ kind: 'failed', reason: this.scrub(`${code}: ${typeof e?.message === 'string' ? e.message : ''}`) });
    }
    const items = (parsed as { entityBody?: { items?: Item[] } } | null)?.entityBody?.items;
    if (!Array.isArray(items)) return all({ kind: 'unknown', reason: 'Toss payouts: the answer has no items' });
    const out = new Map<string, PayoutOutcome>();
    for (const it of items) {
      if (typeof it.refPayoutId !== 'string' || typeof it.id !== 'string') continue;
      const status = String(it.status);
      out.set(it.refPayoutId, status === 'COMPLETED' ? { kind: 'completed', reference: it.id }
        : status === 'FAILED' || status === 'CANCELED' ? { kind: 'failed', reason: this.scrub(`${status} ${String(it.error?.code ?? '')}`.trim()) }
          : { kind: 'requested', reference: it.id });
    }
    return out; // a payout Toss did not list stays unknown (the run leaves it PENDING)
  }

  /** Toss answers encrypted bodies in this mode; errors may come as plain JSON. */
  private async read(text: string): Promise<unknown> {
    try {
      return JSON.parse(text);
    } catch {
      try {
        return await decryptBody(this.#key, text);
      } catch {
        return undefined;
      }
    }
  }
}
