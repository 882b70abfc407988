// Orders and payments under /api/v1 (SPEC §5): the routes parse and shape; PaymentsApi decides. Every
// write takes an Idempotency-Key: a repeat of a write this process answered gets the same answer, a key
// reused for another request IDEMPOTENCY_KEY_REUSED. The webhook is Toss's: no token, stored before 200.
import { Router } from '@koa/router';
import type { Context } from 'koa';
import type { Authenticator } from '../../engine/accounts/identity.ts';
import { OkjError, REPLY_TTL_MS } from '../../engine/index.ts';
import type { Actor } from '../../engine/market/api.ts';
import type { OrderView, PaymentsApi } from '../../engine/payments/api.ts';
import type { SecondChanceOffer } from '../../engine/payments/model.ts';
import { refundable } from '../../engine/payments/rules.ts';
import { requireUser, type AuthState } from '../auth.ts';
import { noBody, readBody, readJson } from '../body.ts';
import { idempotencyKey, KeyFingerprints } from '../idempotency.ts';
import { pageLimit } from '../market/common.ts';
import { ConfirmBody, RefundBody, ShipBody } from './schemas.ts';

export interface PaymentsHttpDeps {
  payments: PaymentsApi;
  auth: Authenticator;
  /** Stores a webhook durably (deduplicated); false when it is not one Toss sends. */
  receiveWebhook(body: string): Promise<boolean>;
  bodyLimitBytes: number;
}

/** Toss's webhooks are small; anything larger is refused before it is read. */
export const WEBHOOK_LIMIT_BYTES = 16 * 1024;

const actor = (ctx: Context): Actor => {
  const id = (ctx.state as AuthState).identity;
  return { userId: id.userId, role: id.role };
};

/** The order as SPEC §5 shows it: its fields, its payment with what is left to refund, its events. */
export function orderBody(v: OrderView): Record<string, unknown> {
  const { order: o } = v;
  return {
    id: o.id, auctionId: o.auctionId, productId: o.productId, buyerId: o.buyerId, sellerId: o.sellerId, amount: o.amount,
    status: o.status, payBy: o.payBy, createdAt: o.createdAt, updatedAt: o.updatedAt, seq: o.seq,
    confirming: o.confirming !== null,
    payment: o.payment === null ? null : { ...o.payment, paid: o.paid, refunded: o.refunded, refundable: refundable(o) },
    shipment: o.shipment,
    events: v.events,
  };
}

/** An offer as the asker sees it: the amount (the runner-up's ceiling) only to the runner-up. */
export function offerBody(o: SecondChanceOffer, viewer: string): Record<string, unknown> {
  const { amount, ...rest } = o;
  return o.bidderId === viewer ? { ...rest, amount } : { ...rest, bidderId: null };
}

/** First answers of writes by (user, key), for 24 hours, bounded: a retried write gets its first answer. */
class FirstAnswers {
  private readonly answers = new Map<string, { body: unknown; at: number }>();
  constructor(private readonly max = 50_000) {}
  get(id: string, now: number): unknown {
    const a = this.answers.get(id);
    return a !== undefined && now - a.at < REPLY_TTL_MS ? a.body : undefined;
  }
  set(id: string, body: unknown, now: number): void {
    this.answers.set(id, { body, at: now });
    for (const k of this.answers.keys()) {
      if (this.answers.size <= this.max) break;
      this.answers.delete(k);
    }
  }
}

export function paymentsRoutes(d: PaymentsHttpDeps): Router {
  const router = new Router();
  const auth = requireUser(d.auth);
  const fingerprints = new KeyFingerprints();
  const answers = new FirstAnswers();
  const { payments } = d;

  /** Run a write once per (user, Idempotency-Key); its body is read (and checked) by `read`. */
  const write = <B>(read: (ctx: Context) => Promise<B>, run: (ctx: Context, who: Actor, body: B, key: string) => Promise<OrderView>) =>
    async (ctx: Context) => {
      const key = idempotencyKey(ctx)!;
      const who = actor(ctx);
      const body = await read(ctx);
      fingerprints.claim(who.userId, key, ctx.method, ctx.path, body ?? {});
      const id = `${who.userId}\u0000${key}`;
      const now = Date.now();
      const first = answers.get(id, now);
      if (first !== undefined) {
        ctx.body = first;
        return;
      }
      const out = orderBody(await run(ctx, who, body, key));
      answers.set(id, out, now);
      ctx.body = out;
    };
  const none = async (ctx: Context) => {
    await noBody(ctx, d.bodyLimitBytes);
    return undefined;
  };

  router.get('/orders', auth, async (ctx) => {
    const items = await payments.orders(actor(ctx), pageLimit(ctx));
    ctx.body = { items: items.map((o) => orderBody({ order: o, events: [] })).map(({ events: _e, ...o }) => o) };
  });

  router.get('/orders/:id', auth, async (ctx) => {
    ctx.body = orderBody(await payments.order(actor(ctx), ctx.params.id));
  });

  router.post('/orders/:id/checkout', auth, async (ctx) => {
    await noBody(ctx, d.bodyLimitBytes);
    ctx.body = await payments.checkout(actor(ctx), ctx.params.id);
  });

  router.post('/payments/confirm', auth, write(
    (ctx) => readBody(ctx, ConfirmBody, d.bodyLimitBytes),
    (_ctx, who, b) => payments.confirmPayment(who, b),
  ));

  router.post('/orders/:id/ship', auth, write(
    (ctx) => readBody(ctx, ShipBody, d.bodyLimitBytes),
    (ctx, who, b) => payments.ship(who, ctx.params.id, b.carrier, b.trackingNumber),
  ));

  router.post('/orders/:id/confirm', auth, write(none, (ctx, who) => payments.confirmReceipt(who, ctx.params.id)));

  router.post('/orders/:id/refund', auth, write(
    (ctx) => readBody(ctx, RefundBody, d.bodyLimitBytes),
    (ctx, who, b, key) => payments.refund(who, ctx.params.id, b.amount, b.reason, key),
  ));

  router.post('/orders/:id/second-chance', auth, async (ctx) => {
    await noBody(ctx, d.bodyLimitBytes);
    const who = actor(ctx);
    ctx.body = offerBody(await payments.offerSecondChance(who, ctx.params.id), who.userId);
  });

  router.get('/offers', auth, async (ctx) => {
    const who = actor(ctx);
    ctx.body = { items: (await payments.offers(who, pageLimit(ctx))).map((o) => offerBody(o, who.userId)) };
  });

  router.post('/offers/:id/accept', auth, write(none, (ctx, who) => payments.acceptOffer(who, ctx.params.id)));

  router.delete('/admin/suspensions/:user', auth, async (ctx) => {
    await noBody(ctx, d.bodyLimitBytes);
    if (!(await payments.liftSuspension(actor(ctx), ctx.params.user))) throw new OkjError('NOT_FOUND', 'this user is not suspended');
    ctx.status = 204;
  });

  router.post('/payments/webhook', async (ctx) => {
    const raw = await readJson(ctx, WEBHOOK_LIMIT_BYTES);
    if (!(await d.receiveWebhook(JSON.stringify(raw)))) throw new OkjError('VALIDATION_FAILED', 'not a Toss payment webhook');
    ctx.body = { received: true };
  });

  return router;
}
