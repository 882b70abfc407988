// A user's recommendation group: gender x age band x region (SPEC §8). A user missing any part has no
// group and is served popularity instead. The key is plain text so that every store can use it as is
// (a Redis key's hash tag among them): parts are refused when they hold separators, braces or spaces.
export type GroupKey = string;

/** The profile fields a group is made of; null or undefined means the user has not said. */
export interface Demographics {
  gender?: string | null;
  ageBand?: string | null;
  region?: string | null;
}

const SEPARATOR = '|';
// Letters, digits and the few marks the profile enums use ('60s+'); nothing that could split a key.
const PART = /^[A-Za-z0-9+_-]{1,32}$/;

/** The user's group, or null when a part is missing or not a plain word. */
export function groupOf(p: Demographics): GroupKey | null {
  const parts = [p.gender, p.ageBand, p.region];
  for (const part of parts) if (typeof part !== 'string' || !PART.test(part)) return null;
  return parts.join(SEPARATOR);
}

/** True for a key groupOf can return: adapters refuse anything else. */
export function isGroupKey(key: unknown): key is GroupKey {
  if (typeof key !== 'string') return false;
  const parts = key.split(SEPARATOR);
  return parts.length === 3 && parts.every((part) => PART.test(part));
}
