// Settlement's routes under /api/v1: sellers read their settlements (JSON and CSV) and manage their plan
// and payout account; admins run a period, read every settlement, the ledger's balances and the
// reconciliation against Toss, and manage fee policies. Rules and who-may-do-what are the service's.
import { Router } from '@koa/router';
import type { Context } from 'koa';
import type { Authenticator } from '../../engine/accounts/identity.ts';
import { OkjError } from '../../engine/errors.ts';
import type { SettlementActor, SettlementApi } from '../../engine/settlement/api.ts';
import { requireUser } from '../auth.ts';
import { noBody, readBody } from '../body.ts';
import { identity, pageLimit, queryString } from '../market/common.ts';
import { FeePolicyBody, PayoutAccountBody, PlanBody, RunBody } from './schemas.ts';

export interface SettlementHttpDeps {
  settlement: SettlementApi;
  auth: Authenticator;
  bodyLimitBytes: number;
}

const actor = (ctx: Context): SettlementActor => {
  const i = identity(ctx);
  return { userId: i.userId, role: i.role };
};

export function settlementRoutes(d: SettlementHttpDeps): Router {
  const router = new Router();
  const auth = requireUser(d.auth);
  const s = d.settlement;

  router.get('/settlements', auth, async (ctx) => {
    const all = queryString(ctx, 'all');
    if (all !== undefined && all !== 'true' && all !== 'false') throw new OkjError('VALIDATION_FAILED', 'all is true or false');
    ctx.body = { items: await s.settlements(actor(ctx), all === 'true', pageLimit(ctx, 50, 500)) };
  });

  router.get('/settlements/:id', auth, async (ctx) => {
    const id = ctx.params.id;
    if (id.endsWith('.csv')) {
      const csv = await s.settlementCsv(actor(ctx), id.slice(0, -4));
      ctx.type = 'text/csv; charset=utf-8';
      ctx.set('Content-Disposition', `attachment; filename="settlement-${id.slice(0, -4).replace(/[^\w-]/g, '')}.csv"`);
      ctx.body = csv;
      return;
    }
    ctx.body = await s.settlement(actor(ctx), id);
  });

  router.post('/admin/settlements/run', auth, async (ctx) => {
    const body = await readBody(ctx, RunBody, d.bodyLimitBytes);
    ctx.body = await s.run(actor(ctx), body.period);
  });

  router.get('/admin/settlements/reconciliation', auth, async (ctx) => {
    ctx.body = await s.reconcile(actor(ctx), queryString(ctx, 'period'));
  });

  router.get('/admin/ledger/balances', auth, async (ctx) => {
    const raw = ctx.query.account;
    const accounts = raw === undefined ? null : Array.isArray(raw) ? raw : [raw];
    if (accounts !== null && (accounts.length > 500 || accounts.some((a) => a.length === 0 || a.length > 160))) {
      throw new OkjError('VALIDATION_FAILED', 'account: at most 500 names of 1 to 160 characters');
    }
    ctx.body = { balances: await s.balances(actor(ctx), accounts) };
  });

  router.get('/admin/fee-policies', auth, async (ctx) => {
    ctx.body = { items: await s.feePolicies(actor(ctx)) };
  });

  router.post('/admin/fee-policies', auth, async (ctx) => {
    const body = await readBody(ctx, FeePolicyBody, d.bodyLimitBytes);
    ctx.status = 201;
    ctx.body = await s.createFeePolicy(actor(ctx), body);
  });

  router.delete('/admin/fee-policies/:id', auth, async (ctx) => {
    await noBody(ctx, d.bodyLimitBytes);
    await s.deleteFeePolicy(actor(ctx), ctx.params.id);
    ctx.status = 204;
  });

  router.get('/sellers/:id/settlement', auth, async (ctx) => {
    ctx.body = await s.seller(actor(ctx), ctx.params.id);
  });

  router.put('/sellers/:id/settlement/plan', auth, async (ctx) => {
    const body = await readBody(ctx, PlanBody, d.bodyLimitBytes);
    ctx.body = await s.setPlan(actor(ctx), ctx.params.id, body.plan);
  });

  router.put('/sellers/:id/settlement/payout-account', auth, async (ctx) => {
    const body = await readBody(ctx, PayoutAccountBody, d.bodyLimitBytes);
    ctx.body = await s.setPayoutAccount(actor(ctx), ctx.params.id, body);
  });

  // Toss's payout.changed: no token; the signature over the raw body is the proof (checked by the service).
  router.post('/settlement/webhooks/toss', async (ctx) => {
    const raw = await readRaw(ctx, d.bodyLimitBytes);
    const header = (name: string): string | undefined => {
      const v = ctx.get(name);
      return v === '' ? undefined : v;
    };
    ctx.body = await s.payoutWebhook(raw, header('tosspayments-webhook-transmission-time'), header('tosspayments-webhook-signature'));
  });

  return router;
}

/** The body as text, exactly as sent (a signature covers its bytes); 413 past `limit`. */
async function readRaw(ctx: Context, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      ctx.set('Connection', 'close');
      throw new OkjError('PAYLOAD_TOO_LARGE', `request bodies are limited to ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}
