// Chat's pure rules: membership, what a message may hold, the pair's one spelling, rate buckets.
import type { Millis, UserId } from '../kernel.ts';
import type { Room } from './model.ts';

export interface ChatLimits {
  /** Longest text, in code points. */
  maxTextChars: number;
  /** Messages per user per second (a token bucket with a one-second burst). */
  messagesPerSecond: number;
  /** Rooms a user may open. */
  maxRoomsPerUser: number;
  /** Largest history page, and the page `chat.sub` sends without `since`. */
  pageSize: number;
  /** One typing signal per user and room within this many milliseconds; the rest are dropped. */
  typingIntervalMs: number;
}

export function isMember(room: Room, user: UserId): boolean {
  return room.members[0] === user || room.members[1] === user;
}

/** The other member; the caller has checked membership. */
export function otherMember(room: Room, user: UserId): UserId {
  return room.members[0] === user ? room.members[1] : room.members[0];
}

/** The pair in its one spelling. */
export function pairOf(a: UserId, b: UserId): [UserId, UserId] {
  return a < b ? [a, b] : [b, a];
}

/**
 * Why a text is refused, or null. Counted in code points; C0 controls (but newline and tab), DEL and
 * C1 controls are refused, as are lone surrogates (they are not text and would not survive UTF-8).
 */
export function textProblem(text: unknown, maxChars: number): string | null {
  if (typeof text !== 'string') return 'text must be a string';
  if (text.length === 0) return 'text is empty';
  if (text.length > maxChars * 2) return `text is longer than ${maxChars} characters`;
  let n = 0;
  for (const ch of text) {
    n++;
    const c = ch.codePointAt(0)!;
    if ((c < 0x20 && c !== 0x0a && c !== 0x09) || (c >= 0x7f && c <= 0x9f)) return `text holds a control character (U+${c.toString(16).padStart(4, '0').toUpperCase()})`;
    if (c >= 0xd800 && c <= 0xdfff) return 'text holds a lone surrogate';
  }
  if (n > maxChars) return `text is longer than ${maxChars} characters`;
  if (text.trim().length === 0) return 'text is only whitespace';
  return null;
}

/** Where a history page starts and ends, clamped to the room: a limit within 1..pageSize. */
export function pageLimit(limit: number | undefined, pageSize: number): number {
  if (limit === undefined || !Number.isFinite(limit)) return pageSize;
  return Math.max(1, Math.min(pageSize, Math.floor(limit)));
}

/** A token bucket refilled continuously: `rate` per second, holding at most `rate`. Time is passed in. */
export interface Bucket {
  tokens: number;
  at: Millis;
}

export function take(b: Bucket, rate: number, now: Millis): boolean {
  const refill = ((now - b.at) / 1000) * rate;
  b.tokens = Math.min(rate, b.tokens + Math.max(0, refill));
  b.at = now;
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}

export function fullBucket(rate: number, now: Millis): Bucket {
  return { tokens: rate, at: now };
}
