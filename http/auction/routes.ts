// /api/v1/auctions: create, edit while PENDING, open, cancel, and the integrators' bids and buy-now.
// Answered by the same AuctionService as the socket, so an HTTP bid and a socket bid share one seq
// sequence. (Reads, lists and the detail page are in ./market/listings.ts.)
import { createHash, randomUUID } from 'node:crypto';
import type { Context } from 'koa';
import { Router } from '@koa/router';
import type { z } from 'zod';
import { OkjError, specProblemAt, type AuctionId, type AuctionSpec, type BidCommand, type Clock, type Command, type Reply, type UserId } from '../../engine/index.ts';
import type { AuctionCommands, AuctionQueries, ReplyCallback } from '../../engine/auction/api.ts';
import { engineRole, type Authenticator } from '../../engine/accounts/identity.ts';
import type { ListingHooks } from '../../engine/market/api.ts';
import { requireUser, type AuthState } from '../auth.ts';
import { AuctionCreateBody, AuctionEditBody, BidBody } from './schemas.ts';
import { NO_BODY, readBody } from '../body.ts';
import { idempotencyKey, KeyFingerprints } from '../idempotency.ts';
import type { RequestState } from '../observe.ts';
import { problemOf, sendProblem } from '../problem.ts';

/** What the API needs of the auctions. */
export type AuctionApi = AuctionCommands & Pick<AuctionQueries, 'lookup' | 'spec'>;

export interface AuctionRoutesOptions {
  service: AuctionApi;
  auth: Authenticator;
  clock: Clock;
  bodyLimitBytes: number;
  /** The marketplace's checks and listing data around create and edit; none when absent. */
  listings?: ListingHooks;
}

/** The seed's soft-close rule (SPEC §1), applied when a create names none. */
const SEED_SOFT_CLOSE = { windowMs: 60_000, extendMs: 180_000, maxExtensions: 1 };

/**
 * The new auction's id: a UUID (version 8 layout) derived from (seller, Idempotency-Key), so a retried
 * create names the same auction and gets the first reply back, even after a restart; a random UUID
 * could not be recovered from the engine's stored reply.
 */
export function auctionIdFor(seller: UserId, key: string): AuctionId {
  const h = createHash('sha256').update(`${seller}\u0000${key}`).digest();
  h[6] = (h[6] & 0x0f) | 0x80;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** What an edit may change (a PENDING auction's spec, not its id, seller or product). */
const EDITABLE = ['startPrice', 'bidUnit', 'buyNowPrice', 'reservePrice', 'startsAt', 'endsAt', 'softClose'] as const;

const run = (f: (cb: ReplyCallback) => void) => new Promise<Reply>((resolve) => f(resolve));

/** A reply as the response: 200 (or `okStatus`) with the reply, or the rejection as a problem. */
function answer(ctx: Context, reply: Reply, okStatus = 200, extra: Record<string, unknown> = {}): void {
  if (reply.ok) {
    ctx.status = okStatus;
    ctx.body = { ...extra, ...reply };
    return;
  }
  const ext: Record<string, unknown> = { rid: reply.rid };
  if (reply.minNext !== undefined) ext.minNext = reply.minNext;
  if (reply.price !== undefined) ext.price = reply.price;
  sendProblem(ctx, problemOf(reply.code, reply.message, ext));
}

export function auctionRoutes(o: AuctionRoutesOptions): Router {
  const { service, clock, bodyLimitBytes, listings } = o;
  const fingerprints = new KeyFingerprints();
  const router = new Router();
  const auth = requireUser(o.auth);
  const who = (ctx: Context) => (ctx.state as AuthState).identity;

  /**
   * Key and body of a write, the body parsed by its schema (a body that may be left out reads as `{}`).
   * The key is checked against what it was first used for: the parsed body, so the fingerprint only
   * ever serializes what the parser bounded.
   */
  async function write<T>(ctx: Context, schema: z.ZodType<T>, o: { optionalKey?: boolean; optionalBody?: boolean } = {}): Promise<{ key: string | null; body: T }> {
    const key = idempotencyKey(ctx, o.optionalKey);
    const body = await readBody(ctx, schema, bodyLimitBytes, o.optionalBody);
    if (key !== null) fingerprints.claim(who(ctx).userId, key, ctx.method, ctx.path, body);
    return { key, body };
  }
  const bodiless = { optionalKey: true, optionalBody: true };

  router.post('/auctions', auth, async (ctx) => {
    const { key, body } = await write(ctx, AuctionCreateBody);
    const seller = who(ctx).userId;
    const id = auctionIdFor(seller, key as string);
    (ctx.state as RequestState).auction = id;
    const spec: AuctionSpec = {
      id,
      sellerId: seller,
      productId: body.productId,
      startPrice: body.startPrice,
      bidUnit: body.bidUnit ?? null,
      buyNowPrice: body.buyNowPrice ?? null,
      reservePrice: body.reservePrice ?? null,
      startsAt: body.startsAt ?? clock.now(),
      endsAt: body.endsAt,
      softClose: body.softClose ?? SEED_SOFT_CLOSE,
    };
    // The engine decides (with the same clock); checked here first so that no details are stored for it.
    const problem = specProblemAt(spec, clock.now());
    if (problem !== null) throw new OkjError('INVALID_AUCTION', problem);
    // The listing details go in before the engine's create, and only if absent: when they cannot be
    // stored nothing is created (STORE_UNAVAILABLE), and a replayed create (whose key's fingerprint a
    // restart forgot) gets the first reply without overwriting the first details; PATCH changes them.
    // Details whose create then fails have no listing facts, and no list shows a row without them.
    await listings?.beforeCreate(seller, id, body);
    const reply = await run((cb) => service.create(spec, seller, key as string, cb));
    if (reply.ok) ctx.set('Location', `/api/v1/auctions/${id}`);
    answer(ctx, reply, 201, { id });
  });

  router.patch('/auctions/:id', auth, async (ctx) => {
    const { key, body } = await write(ctx, AuctionEditBody, bodiless);
    const id = ctx.params.id;
    const current = await service.spec(id);
    if (current === null) throw new OkjError('AUCTION_NOT_FOUND');
    const spec: AuctionSpec = { ...current };
    for (const f of EDITABLE) if (body[f] !== undefined) (spec as unknown as Record<string, unknown>)[f] = body[f];
    const problem = specProblemAt(spec, clock.now());
    if (problem !== null) throw new OkjError('INVALID_AUCTION', problem);
    const afterEdit = (await listings?.beforeEdit(id, body)) ?? null;
    const cmd: Command = { t: 'edit', auction: id, rid: key ?? randomUUID(), by: who(ctx).userId, spec };
    const reply = await run((cb) => service.submit(cmd, cb));
    if (reply.ok && afterEdit !== null) await afterEdit();
    answer(ctx, reply);
  });

  router.post('/auctions/:id/cancel', auth, async (ctx) => {
    const { key } = await write(ctx, NO_BODY, bodiless);
    const me = who(ctx);
    const cmd: Command = { t: 'cancel', auction: ctx.params.id, rid: key ?? randomUUID(), by: me.userId, role: engineRole(me.role) };
    answer(ctx, await run((cb) => service.submit(cmd, cb)));
  });

  router.post('/auctions/:id/open', auth, async (ctx) => {
    const { key } = await write(ctx, NO_BODY, bodiless);
    const me = who(ctx);
    const cmd: Command = { t: 'open', auction: ctx.params.id, rid: key ?? randomUUID(), by: me.userId, role: engineRole(me.role) };
    answer(ctx, await run((cb) => service.submit(cmd, cb)));
  });

  router.post('/auctions/:id/bids', auth, async (ctx) => {
    const { key, body } = await write(ctx, BidBody);
    const cmd: BidCommand = { t: 'bid', auction: ctx.params.id, rid: key as string, by: who(ctx).userId, amount: body.amount };
    if (body.max !== undefined) cmd.max = body.max;
    answer(ctx, await run((cb) => service.submit(cmd, cb)));
  });

  router.post('/auctions/:id/buy-now', auth, async (ctx) => {
    const { key } = await write(ctx, NO_BODY, { optionalBody: true });
    const cmd: Command = { t: 'buy', auction: ctx.params.id, rid: key as string, by: who(ctx).userId };
    answer(ctx, await run((cb) => service.submit(cmd, cb)));
  });

  return router;
}
