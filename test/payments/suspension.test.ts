// BIDDING_SUSPENDED on the bid path (SPEC §5): a user suspended for non-payment is refused on the socket
// and over HTTP before anything reaches the auction, another node's suspension is seen on refresh, and
// an admin's lift lets them bid again. Expiry giving the strikes is in service.test.ts.
import t from 'tap';
import { open } from '../../engine/payments/rules.ts';
import { api, boot, Client, rid } from '../gateway/harness.ts';
import { newAdmin, newBidder, newSeller } from '../market/users.ts';

t.test('a suspended bidder is refused on both transports until an admin lifts it', async (t) => {
  const b = await boot();
  t.teardown(() => b.stop());
  const seller = await newSeller(b);
  const [bob, amy] = [await newBidder(b), await newBidder(b)];
  const admin = await newAdmin(b);
  const product = await api(b.http, 'POST', '/api/v1/products', { token: seller.token, body: { name: 'lamp' } });
  const created = await api(b.http, 'POST', '/api/v1/auctions', {
    token: seller.token, key: rid('create'),
    body: { productId: product.body.id, startPrice: 1_000, bidUnit: 100, startsAt: Date.now(), endsAt: Date.now() + 600_000 },
  });
  const auction = created.body.id as string;
  await api(b.http, 'POST', `/api/v1/auctions/${auction}/open`, { token: seller.token });

  // Bob's third expired order, as another node stored it: the suspension in the store, seen on refresh.
  const { payments } = b.server;
  const { order, event } = open({ id: 'ord_suspension_test1', auctionId: 'a', productId: 'p', buyerId: bob.id, sellerId: 's', amount: 1, payBy: 1, createdAt: 0 });
  await payments.stores.open(order, event, { suspend: { userId: bob.id, at: Date.now() } });
  await payments.suspensions.refresh();

  const byHttp = await api(b.http, 'POST', `/api/v1/auctions/${auction}/bids`, { token: bob.token, key: rid('bid'), body: { amount: 1_000 } });
  t.match(byHttp, { status: 403, body: { code: 'BIDDING_SUSPENDED' } });
  const socket = await Client.open(b.ws, { token: bob.token });
  t.teardown(() => socket.close());
  await socket.type('authed');
  t.match(await socket.command({ t: 'bid', rid: rid(), auction, amount: 1_000 }), { ok: false, code: 'BIDDING_SUSPENDED' });
  t.match(await api(b.http, 'POST', `/api/v1/auctions/${auction}/bids`, { token: amy.token, key: rid('bid'), body: { amount: 1_000 } }), { status: 200 }, 'others bid');

  t.equal((await api(b.http, 'DELETE', `/api/v1/admin/suspensions/${bob.id}`, { token: bob.token })).status, 403, 'not by the user');
  t.equal((await api(b.http, 'DELETE', `/api/v1/admin/suspensions/${bob.id}`, { token: admin.token })).status, 204);
  t.equal((await api(b.http, 'DELETE', `/api/v1/admin/suspensions/${bob.id}`, { token: admin.token })).status, 404, 'nothing left to lift');
  t.match(await socket.command({ t: 'bid', rid: rid(), auction, amount: 2_000 }), { ok: true });
});
