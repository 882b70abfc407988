// Request bodies of the auction routes, as strict zod schemas: one source for parsing (exactly the
// documented members, here and in softClose; anything else is VALIDATION_FAILED before an actor sees it)
// and for the OpenAPI document. They check members and JSON types; values (ranges, prices and times
// against each other) are the engine's rules, answered INVALID_AUCTION or INVALID_AMOUNT as on the socket.
import { z } from 'zod';

/** Documented as whole won; a number that is not one is the engine's INVALID_AUCTION. */
const won = z.number().meta({ type: 'integer', minimum: 1, maximum: 1e12 });
const millis = z.number().meta({ type: 'integer', minimum: 0, description: 'epoch milliseconds' });
const count = z.number().meta({ type: 'integer', minimum: 0 });

export const SoftCloseBody = z.strictObject({
  windowMs: count.describe('a bid accepted with less than this left extends the auction'),
  extendMs: count.describe('how far each extension moves endsAt'),
  maxExtensions: count.nullable().describe('null: unlimited'),
});

/** What a seller sets, beside the product; every member but startPrice and endsAt may be left out. */
const terms = {
  startPrice: won,
  bidUnit: won.nullable().optional().describe('minimum raise; null or absent: the default increment table'),
  buyNowPrice: won.nullable().optional(),
  reservePrice: won.nullable().optional().describe('hidden: watchers learn only reserveMet'),
  startsAt: millis.optional().describe('default: now'),
  endsAt: millis.describe('epoch milliseconds, in the future'),
  softClose: SoftCloseBody.optional().describe('default: the seed rule {windowMs: 60000, extendMs: 180000, maxExtensions: 1}'),
  tags: z.array(z.string()).max(10).optional().describe('tag names an admin made'),
};

export const AuctionCreateBody = z.strictObject({ productId: z.string().meta({ minLength: 1, maxLength: 64 }), ...terms });

/** PATCH of a PENDING auction: the members given replace the current ones. */
export const AuctionEditBody = z.strictObject(terms).partial();

/** Amounts are left to the engine: SPEC §1 answers a string, a float or NaN with INVALID_AMOUNT, as on the socket. */
export const BidBody = z.strictObject({
  amount: z.unknown().refine((v) => v !== undefined, 'required').describe('whole won; judged by the engine (INVALID_AMOUNT otherwise)'),
  max: z.unknown().optional().describe('proxy ceiling, at least amount; null is the same as none'),
});
