// Compile-time checks (they bite under `npx tsc --noEmit`, which CI runs): the frames the SDK sends are
// frames the server's schemas accept, and the typed HTTP client refuses calls the OpenAPI document does
// not allow. At run time this file only says it was compiled.
import t from 'tap';
import type { BidMessage as ServerBid, BuyMessage as ServerBuy, SubMessage as ServerSub, UnsubMessage as ServerUnsub, AuthMessage as ServerAuth } from '../../gateway/messages.ts';
import type { AuthMessage, BidMessage, BuyMessage, HttpCore, SubMessage, UnsubMessage } from '../../client/index.ts';

type Accepts<Server, Client extends Server> = Client;
export type SentFramesFit = [
  Accepts<ServerAuth, AuthMessage>, Accepts<ServerSub, SubMessage>, Accepts<ServerUnsub, UnsubMessage>,
  Accepts<ServerBid, BidMessage>, Accepts<ServerBuy, BuyMessage>,
];

export function callsTheDocumentRefuses(http: HttpCore): void {
  // @ts-expect-error the path parameter is required
  void http.request('get', '/api/v1/auctions/{id}', {});
  // @ts-expect-error no such route
  void http.request('get', '/api/v1/nowhere', {});
  // @ts-expect-error the login body needs a password
  void http.request('post', '/api/v1/auth/login', { body: { email: 'a@b.co' } });
  // @ts-expect-error GET takes no body
  void http.request('get', '/api/v1/auctions', { body: {} });
  // @ts-expect-error the bid history's `after` is a number
  void http.request('get', '/api/v1/auctions/{id}/bids', { path: { id: 'a' }, query: { after: 'x' } });
  // Answers are typed: a bid's answer has a seq.
  void http.request('post', '/api/v1/auctions/{id}/bids', { path: { id: 'a' }, body: { amount: 1 }, idempotencyKey: 'k' }).then((a) => a.seq.toFixed());
}

t.pass('compiled');
