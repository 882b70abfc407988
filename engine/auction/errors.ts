// The auction domain's codes (SPEC §1), in the order the checks run.
import type { ErrorFragment } from '../error-info.ts';

export const AUCTION_ERRORS = {
  INVALID_RID: { status: 400, socket: 'ack', message: 'rid must be a string of 1 to 64 characters' },
  AUCTION_NOT_FOUND: { status: 404, socket: 'ack', message: 'no such auction' },
  AUCTION_NOT_STARTED: { status: 409, socket: 'ack', message: 'the auction has not started yet' },
  AUCTION_CLOSED: { status: 409, socket: 'ack', message: 'the auction is closed' },
  SELF_BID: { status: 403, socket: 'ack', message: 'a seller cannot bid on their own auction' },
  INVALID_AMOUNT: { status: 400, socket: 'ack', message: 'amounts are whole won from 1 to 10^12, and max is at least amount' },
  BID_TOO_LOW: { status: 409, socket: 'ack', message: 'the bid is below the minimum next bid' },
  BUY_NOW_UNAVAILABLE: { status: 409, socket: 'ack', message: 'buy-now is not available on this auction' },
  NOT_SELLER: { status: 403, socket: 'ack', message: 'only the seller or an operator may do this' },
  CANCEL_NOT_ALLOWED: { status: 409, socket: 'ack', message: 'a seller may cancel only while no bid stands' },
  INVALID_TRANSITION: { status: 409, socket: 'ack', message: 'the auction is not in a state that allows this' },
  AUCTION_NOT_ENDED: { status: 409, socket: 'ack', message: 'the auction has not reached its end time', retryable: true },
  INVALID_AUCTION: { status: 400, socket: 'ack', message: 'the auction settings are invalid' },
  AUCTION_EXISTS: { status: 409, socket: 'ack', message: 'an auction with this id already exists' },
} as const satisfies ErrorFragment;
