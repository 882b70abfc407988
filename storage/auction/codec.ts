// Plain-JSON forms of domain objects for stores that keep text: an AuctionState's `participants` Set
// travels as an array (in first-bid order) and comes back as a Set.
import type { AuctionState } from '../../engine/index.ts';

export function encodeState(s: AuctionState): string {
  return JSON.stringify({ ...s, participants: [...s.participants] });
}

export function decodeState(json: unknown): AuctionState {
  const o = (typeof json === 'string' ? JSON.parse(json) : json) as Omit<AuctionState, 'participants'> & {
    participants: string[];
  };
  return { ...o, participants: new Set(o.participants) };
}

/** A JSON column: drivers return text (SQLite, MariaDB) or an already parsed value (MySQL's JSON type). */
export function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
