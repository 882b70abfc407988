// Toss payouts' ENCRYPTION security mode and webhook signature (docs.tosspayments.com, 지급대행 guide):
//   bodies (both ways) are compact JWE, alg "dir", enc "A256GCM", with the custom headers iat (ISO 8601
//   time) and nonce, keyed by the 64-hex security key read as 32 bytes;
//   payout.changed webhooks carry `tosspayments-webhook-signature: v1:<base64>,v1:<base64>`, an
//   HMAC-SHA256 by the security key over `<body>:<tosspayments-webhook-transmission-time>`; one of the
//   values must match (compared in constant time).
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { CompactEncrypt, compactDecrypt } from 'jose';

const HEX64 = /^[0-9a-fA-F]{64}$/;

export function securityKeyBytes(hex: string): Uint8Array {
  if (!HEX64.test(hex)) throw new TypeError('the Toss security key must be 64 hexadecimal characters');
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

export async function encryptBody(key: Uint8Array, body: unknown, now: Date = new Date()): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(body)))
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', iat: now.toISOString(), nonce: randomUUID() })
    .encrypt(key);
}

export async function decryptBody(key: Uint8Array, jwe: string): Promise<unknown> {
  const { plaintext } = await compactDecrypt(jwe.trim(), key, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
  return JSON.parse(new TextDecoder().decode(plaintext));
}

export function webhookSignature(securityKey: string, body: string, transmissionTime: string): string {
  return createHmac('sha256', securityKey).update(`${body}:${transmissionTime}`).digest('base64');
}

/** Whether one of the header's `v1:` values is the body's signature. */
export function verifyWebhook(securityKey: string, body: string, transmissionTime: string, header: string | undefined): boolean {
  if (header === undefined || header.length > 1_000 || transmissionTime.length === 0 || transmissionTime.length > 64) return false;
  const want = createHmac('sha256', securityKey).update(`${body}:${transmissionTime}`).digest();
  let ok = false;
  for (const part of header.split(',')) {
    const m = /^\s*v1:([A-Za-z0-9+/=]+)\s*$/.exec(part);
    if (m === null) continue;
    const got = Buffer.from(m[1], 'base64');
    // Every candidate is compared (no early exit) and at equal lengths only.
    if (got.length === want.length && timingSafeEqual(got, want)) ok = true;
  }
  return ok;
}
