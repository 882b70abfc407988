// Opaque refresh tokens: 256 random bits, base64url. Only their SHA-256 is stored, so a leaked table
// yields no usable token, and a lookup by hash leaks nothing through timing about the token itself.
import { createHash, randomBytes } from 'node:crypto';

export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function refreshTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
