// An auction sold over the API, the way a won auction becomes an order (docs/payments.md): the seller
// creates it (on a product of its own unless one is named) with a buy-now price, opens it, and the buyer
// buys it now; resolves once the close has opened the buyer's order (read through GET /orders, or, with
// `read: false`, named without reading it: the order id the close derives from the auction). Buy-now closes the auction at
// once, so no test waits out an auction's end to get an order to pay.
import { api, rid } from '../gateway/harness.ts';
import { orderIdFor } from '../../app/market/close-effects.ts';
import { eventually } from '../market/fixtures.ts';

export interface Sold {
  auction: string;
  order: string;
}

/** Sold to `buyer` at `price` (12,000 won unless told; at least 3,000). */
export async function soldOrder(base: string, seller: string, buyer: string, o: { price?: number; productId?: string; read?: boolean } = {}): Promise<Sold> {
  const price = o.price ?? 12_000;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const must = (what: string, r: { status: number; body: any }) => {
    if (r.status >= 300 || r.body?.ok === false) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const productId = o.productId
    ?? must('product', await api(base, 'POST', '/api/v1/products', { token: seller, body: { name: 'Leica M6', description: 'mint' } })).id as string;
  const auction = must('create', await api(base, 'POST', '/api/v1/auctions', {
    token: seller, key: rid('create'),
    body: {
      productId, startPrice: price - 2_000, bidUnit: 1_000, buyNowPrice: price,
      startsAt: Date.now(), endsAt: Date.now() + 3_600_000, softClose: { windowMs: 0, extendMs: 0, maxExtensions: 0 },
    },
  })).id as string;
  must('open', await api(base, 'POST', `/api/v1/auctions/${auction}/open`, { token: seller }));
  must('buy now', await api(base, 'POST', `/api/v1/auctions/${auction}/buy-now`, { token: buyer, key: rid('buy') }));
  if (o.read === false) return { auction, order: orderIdFor(auction) };
  const order = await eventually(async () => {
    const r = await api(base, 'GET', '/api/v1/orders', { token: buyer });
    return (r.body.items as { id: string; auctionId: string }[] | undefined)?.find((x) => x.auctionId === auction)?.id;
  }, 10_000, `the order of auction ${auction}`);
  return { auction, order };
}

/** One auction of `seller` sold to each buyer in turn; their orders' ids, in the buyers' order. */
export async function soldOrders(base: string, seller: string, buyers: string[], o: { price?: number } = {}): Promise<string[]> {
  const orders: string[] = [];
  for (const buyer of buyers) orders.push((await soldOrder(base, seller, buyer, o)).order);
  return orders;
}
