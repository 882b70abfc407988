// Reads (never verifies) an access token's claims, for scheduling its renewal. Browsers and Node 20 both
// have atob; a token that is not a JWT just has no known expiry.

export interface Claims {
  sub?: string;
  /** Expiry, epoch seconds on the server's clock. */
  exp?: number;
  /** Issued at, epoch seconds. */
  iat?: number;
}

export function claimsOf(token: string): Claims | null {
  const part = token.split('.')[1];
  if (part === undefined) return null;
  try {
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
    const value = JSON.parse(atob(b64)) as unknown;
    return typeof value === 'object' && value !== null ? (value as Claims) : null;
  } catch {
    return null;
  }
}
