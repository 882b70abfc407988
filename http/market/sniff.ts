// The type of an image from its first bytes (never from the name or the declared type).
import { Transform, type TransformCallback } from 'node:stream';
import { OkjError } from '../../engine/index.ts';
import type { ImageExt } from '../../engine/market/images.ts';

/** Enough first bytes to tell every type apart (WebP's tag ends at byte 12). */
export const SNIFF_BYTES = 12;

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

/**
 * Passes a file's bytes through once its first SNIFF_BYTES show an image type (held until then), and
 * fails with IMAGE_INVALID as soon as they do not: the rest of a file that is not an image is never read.
 */
export class ImageSniffer extends Transform {
  /** The type, once sniffed. */
  ext: ImageExt | null = null;
  /** Bytes passed through. */
  bytes = 0;
  private head: Buffer[] = [];
  private held = 0;

  constructor(private readonly name: string) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.ext !== null) return this.pass(chunk, cb);
    this.head.push(chunk);
    this.held += chunk.length;
    if (this.held >= SNIFF_BYTES) this.sniff(cb);
    else cb();
  }

  override _flush(cb: TransformCallback): void {
    if (this.ext === null) this.sniff(cb);
    else cb();
  }

  private sniff(cb: TransformCallback): void {
    const head = Buffer.concat(this.head, this.held);
    this.head = [];
    this.ext = sniffImage(head);
    if (this.ext === null) cb(new OkjError('IMAGE_INVALID', `${this.name} is not a JPEG, PNG, WebP or GIF image`));
    else this.pass(head, cb);
  }

  private pass(chunk: Buffer, cb: TransformCallback): void {
    this.bytes += chunk.length;
    cb(null, chunk);
  }
}
