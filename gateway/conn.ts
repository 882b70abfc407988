// The state of one socket, kept as the uWS user data. Plain fields; the hub and the handlers own the rules.
import type { WebSocket } from 'uWebSockets.js';
import type { AuctionId } from '../engine/index.ts';
import type { Identity } from '../engine/accounts/identity.ts';
import { Strikes, TokenBucket } from './bucket.ts';
import type { ClientMessage } from './messages.ts';
import type { Encoding, NoticeFrame } from './protocol.ts';
import { noneQueued, type QueuedState } from './queued.ts';

/** Notices held for a lagging socket; past this the oldest are dropped (the inbox keeps them all). */
export const MAX_HELD_NOTICES = 32;

export interface Conn {
  /** Set when the socket opens; null between upgrade and open. */
  ws: WebSocket<Conn> | null;
  /** The encoding the client used last; the server answers in it. JSON until the first frame. */
  enc: Encoding;
  identity: Identity | null;
  /** Subscribed auctions: `pending` while the auction is being looked up, `live` once its topic is joined. */
  subs: Map<AuctionId, 'pending' | 'live'>;
  bucket: TokenBucket;
  strikes: Strikes;
  closed: boolean;
  /** Taken off its topics because it stopped reading; gets fresh snaps once it drains. */
  lagging: boolean;
  held: NoticeFrame[];
  /** Published to it but maybe not delivered by uWS yet (see queued.ts). */
  queued: QueuedState;
  /** Non-null while an `auth` is being verified: later frames wait here so they run in order. */
  waiting: ClientMessage[] | null;
  /** A token given on the upgrade, verified at open as if it came in an `auth` frame. */
  upgradeToken: string | null;
}

export function newConn(identity: Identity | null, commandsPerSecond: number): Conn {
  return {
    ws: null,
    enc: 'json',
    identity,
    subs: new Map(),
    bucket: new TokenBucket(commandsPerSecond),
    strikes: new Strikes(commandsPerSecond),
    closed: false,
    lagging: false,
    held: [],
    queued: noneQueued(),
    waiting: null,
    upgradeToken: null,
  };
}
