// The cache key of a product name: the same product typed differently ("Apple  iPad-Air", "apple ipad
// air") shares one cached prediction. Letters of every script (Hangul and Latin included), their marks
// and digits are kept; case, punctuation, symbols and runs of white space are not.

/** Longest key, in code points: a pasted description must not become a cache key. */
export const MAX_NAME_KEY_LENGTH = 100;

const NOT_WORD = /[^\p{L}\p{M}\p{N}]+/gu;

function fold(s: string): string {
  // NFKC first: full-width Latin, compatibility jamo and ligatures become their plain forms; again after
  // lowercasing, because a lowercase form may itself have a compatibility decomposition.
  return s.normalize('NFKC').toLowerCase().normalize('NFKC').replace(NOT_WORD, ' ').trim();
}

/** Fold until nothing changes (one pass almost always), so that a key normalises to itself. */
function settle(s: string): string {
  for (let i = 0; i < 4; i++) {
    const again = fold(s);
    if (again === s) return s;
    s = again;
  }
  return s;
}

export function normaliseProductName(name: string): string {
  const s = settle(name);
  const points = [...s];
  return points.length <= MAX_NAME_KEY_LENGTH ? s : settle(points.slice(0, MAX_NAME_KEY_LENGTH).join(''));
}
