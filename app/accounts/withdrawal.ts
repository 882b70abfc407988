// What withdrawal does to a user's auctions (README, "Accounts"):
// - refused (WITHDRAWAL_BLOCKED, naming the auctions) while the user leads an OPEN auction, or sells a
//   PENDING or OPEN auction that has bids: a buyer or a seller would be left with no one on the other side;
// - otherwise their bid-less PENDING and OPEN auctions are canceled (a seller's own cancel, through the
//   auction's actor like any command), and bids they placed but no longer lead simply stay in the history.
// Every live auction is held by this process's registry (recovery loads them all at start), so its
// actors are the complete list. A bid that lands between this check and a cancel makes the cancel fail
// with CANCEL_NOT_ALLOWED, and the withdrawal is then refused too.
import { OkjError, type AuctionState, type Command, type Reply, type UserId } from '../../engine/index.ts';

export interface LiveAuctions {
  actorsInMemory(): Iterable<{ state: AuctionState }>;
}

export interface AuctionCommands {
  submitAsync(cmd: Command): Promise<Reply>;
}

const LIVE = new Set(['PENDING', 'OPEN']);

export async function settleAuctionsOf(user: UserId, live: LiveAuctions, commands: AuctionCommands): Promise<{ canceled: string[] }> {
  const blocking: string[] = [];
  const cancel: string[] = [];
  for (const { state: s } of live.actorsInMemory()) {
    if (!LIVE.has(s.status)) continue;
    if (s.leader === user) blocking.push(s.spec.id);
    else if (s.spec.sellerId === user) (s.bidCount > 0 ? blocking : cancel).push(s.spec.id);
  }
  if (blocking.length > 0) throw new OkjError('WITHDRAWAL_BLOCKED', undefined, { auctions: blocking });
  const canceled: string[] = [];
  for (const id of cancel) {
    const reply = await commands.submitAsync({ t: 'cancel', auction: id, rid: `withdraw:${id}`, by: user, role: 'user' });
    if (reply.ok) canceled.push(id);
    else if (reply.code === 'CANCEL_NOT_ALLOWED') throw new OkjError('WITHDRAWAL_BLOCKED', undefined, { auctions: [id] });
    else if (reply.code === 'STORE_UNAVAILABLE' || reply.code === 'OVERLOADED') throw new OkjError(reply.code);
    // Anything else (it ended meanwhile, or its end has passed): with no bids it closes UNSOLD on its own.
  }
  return { canceled };
}
