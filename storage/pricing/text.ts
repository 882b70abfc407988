// Text helpers of the pricing adapters: search-result markup to plain text, and scrubbing secrets out of
// anything that becomes a failure message.

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function codePoint(n: number): string {
  return Number.isInteger(n) && n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : '\ufffd';
}

/** Decode HTML character references: the five XML names, &nbsp;, decimal and hex. Others stay as written. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref[0] === '#') return codePoint(ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10));
    return NAMED[ref] ?? whole;
  });
}

/**
 * A search result's title as plain text: tags (the `<b>` around matched words) removed first, then
 * entities decoded, so an escaped `&lt;b&gt;` in a title survives as the text "<b>". White space folded.
 */
export function plainText(markup: string): string {
  return decodeEntities(markup.replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();
}

/** Replace every occurrence of each secret (and OpenAI-style keys) with [redacted]; cut to `max` characters. */
export function scrub(text: string, secrets: readonly (string | undefined)[], max = 300): string {
  let out = text;
  for (const s of secrets) if (s !== undefined && s.length >= 4) out = out.split(s).join('[redacted]');
  out = out.replace(/\bsk-[A-Za-z0-9_*-]{3,}/g, '[redacted]');
  return out.length > max ? `${out.slice(0, max)}…` : out;
}
