// GET /recommendations (for the caller: by their group's tags, then popularity; anonymous callers get
// popularity) and GET /auctions/{id}/similar ("bidders on this also bid on"). A token is optional; a
// token that is given must be valid. The service ranks; the routes parse and shape.
import type { Context } from 'koa';
import { Router } from '@koa/router';
import { OkjError, type UserId } from '../../engine/index.ts';
import type { Authenticator } from '../../engine/accounts/identity.ts';
import type { RecommendationApi } from '../../engine/recommendation/api.ts';
import type { Recommendation } from '../../engine/recommendation/index.ts';
import { RecommendationQuery } from './schemas.ts';

export interface RecommendationHttpDeps {
  recommendation: RecommendationApi;
  auth: Authenticator;
}

const DEFAULT_LIMIT = 20;

function limitOf(ctx: Context): number {
  const parsed = RecommendationQuery.safeParse(ctx.query);
  if (!parsed.success) {
    throw new OkjError('VALIDATION_FAILED', undefined, { errors: parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(query)', message: i.message })) });
  }
  return parsed.data.limit ?? DEFAULT_LIMIT;
}

async function callerOf(ctx: Context, auth: Authenticator): Promise<UserId | null> {
  const header = ctx.get('authorization');
  if (header === '') return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (m === null) throw new OkjError('UNAUTHENTICATED', 'an Authorization header must be a Bearer access token');
  return (await auth.verify(m[1])).userId;
}

/** What an item says: the auction, its score, and why it is listed. */
const shaped = (items: Recommendation[]) => ({
  items: items.map((r) => ({ auctionId: r.auction, score: r.score, reason: r.reason })),
});

export function recommendationRoutes(d: RecommendationHttpDeps): Router {
  const router = new Router();

  router.get('/recommendations', async (ctx) => {
    const limit = limitOf(ctx);
    ctx.body = shaped(await d.recommendation.forUser(await callerOf(ctx, d.auth), limit));
  });

  router.get('/auctions/:id/similar', async (ctx) => {
    const limit = limitOf(ctx);
    const id = ctx.params.id;
    if (id.length > 64) throw new OkjError('VALIDATION_FAILED', 'an auction id is at most 64 characters');
    ctx.body = shaped(await d.recommendation.similar(await callerOf(ctx, d.auth), id, limit));
  });

  return router;
}
