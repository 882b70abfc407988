// Frames on the wire: MessagePack in binary frames (the default), JSON in text frames. The server answers
// in the encoding the client used last, so one client speaks one encoding throughout.
import { Packr, Unpackr } from 'msgpackr';
import type { Encoding, InFrame, OutFrame } from './wire.ts';

// Plain maps, no records: the server packs the same way (gateway/codec.ts).
const packr = new Packr({ useRecords: false });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true });

export function encode(frame: OutFrame, enc: Encoding): string | Uint8Array {
  return enc === 'json' ? JSON.stringify(frame) : packr.pack(frame);
}

/** A received message (string, ArrayBuffer or a byte view) as a frame; null when it is not one. */
export function decode(data: unknown): InFrame | null {
  let value: unknown;
  try {
    if (typeof data === 'string') value = JSON.parse(data);
    else if (data instanceof ArrayBuffer) value = unpackr.unpack(new Uint8Array(data));
    else if (ArrayBuffer.isView(data)) value = unpackr.unpack(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    else return null;
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || typeof (value as { t?: unknown }).t !== 'string') return null;
  return value as InFrame;
}
