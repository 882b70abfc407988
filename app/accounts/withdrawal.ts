// What withdrawal does to a user's auctions (docs/accounts.md, "Withdrawal"):
// - refused (WITHDRAWAL_BLOCKED, naming the auctions) while the user leads an OPEN auction, or sells a
//   PENDING or OPEN auction that has bids: a buyer or a seller would be left with no one on the other side;
// - otherwise their bid-less PENDING and OPEN auctions are canceled (a seller's own cancel, through the
//   auction's actor like any command), and bids they placed but no longer lead simply stay in the history.
// The auction domain says which live auctions the user sells or leads (AuctionQueries.involving). A bid
// that lands between this check and a cancel makes the cancel fail with CANCEL_NOT_ALLOWED, and the
// withdrawal is then refused too.
import { OkjError, type UserId } from '../../engine/index.ts';
import { replyTo, type AuctionCommands, type AuctionQueries } from '../../engine/auction/api.ts';

export async function releaseAuctionsOf(user: UserId, auctions: AuctionCommands & Pick<AuctionQueries, 'involving'>): Promise<{ canceled: string[] }> {
  const blocking: string[] = [];
  const cancel: string[] = [];
  for (const a of await auctions.involving(user)) {
    if (a.leader === user) blocking.push(a.id);
    else if (a.sellerId === user) (a.bidCount > 0 ? blocking : cancel).push(a.id);
  }
  if (blocking.length > 0) throw new OkjError('WITHDRAWAL_BLOCKED', undefined, { auctions: blocking });
  const canceled: string[] = [];
  for (const id of cancel) {
    const reply = await replyTo(auctions, { t: 'cancel', auction: id, rid: `withdraw:${id}`, by: user, role: 'user' });
    if (reply.ok) canceled.push(id);
    else if (reply.code === 'CANCEL_NOT_ALLOWED') throw new OkjError('WITHDRAWAL_BLOCKED', undefined, { auctions: [id] });
    else if (reply.code === 'STORE_UNAVAILABLE' || reply.code === 'OVERLOADED') throw new OkjError(reply.code);
    // Anything else (it ended meanwhile, or its end has passed): with no bids it closes UNSOLD on its own.
  }
  return { canceled };
}
