// Masked names for watchers: enough to tell bidders apart, never enough to identify one.
export function maskName(name: string | null): string | null {
  if (name === null) return null;
  const chars = [...name];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return chars[0] + '*';
  return chars[0] + '*'.repeat(Math.min(chars.length - 2, 3)) + chars[chars.length - 1];
}
