// Request ids (`rid`, 1 to 64 characters): random UUIDs where the platform has them (browsers on secure
// origins, Node 20), else 128 random bits from Math.random, which is enough to be unique per user.
export function newRid(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  let s = '';
  for (let i = 0; i < 4; i++) s += Math.floor(Math.random() * 2 ** 32).toString(16).padStart(8, '0');
  return s;
}
