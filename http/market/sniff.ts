// The type of an image from its first bytes (never from the name or the declared type).
import type { ImageExt } from '../../storage/images/keys.ts';

const startsWith = (b: Buffer, bytes: number[], at = 0): boolean => bytes.every((x, i) => b[at + i] === x);
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/** jpg, png, webp or gif; null for anything else. */
export function sniffImage(b: Buffer): ImageExt | null {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'jpg';
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(b, ascii('GIF87a')) || startsWith(b, ascii('GIF89a'))) return 'gif';
  if (startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8)) return 'webp';
  return null;
}
