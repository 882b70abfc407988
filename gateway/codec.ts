// Frames on the wire: text frames carry JSON, binary frames MessagePack (msgpackr, plain maps, no
// records, so any MessagePack library can talk to us). Decoding never throws: a frame that is not a
// valid message comes back as the error to answer with.
import { Packr, Unpackr } from 'msgpackr';
import { deeperThan, MAX_DEPTH } from '../http/depth.ts';
import { check, type Checked } from './messages.ts';
import type { Encoding, ServerFrame } from './protocol.ts';

const packr = new Packr({ useRecords: false });
// mapsAsObjects: a map with non-string keys still becomes a plain object, which the schema then judges.
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true });
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decode and validate one frame. `data` is only read during the call (uWS neuters it afterwards). */
export function decodeFrame(data: ArrayBuffer | Uint8Array, binary: boolean): Checked {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  let value: unknown;
  try {
    value = binary ? unpackr.unpack(bytes) : JSON.parse(utf8.decode(bytes));
  } catch (err) {
    // msgpackr reads recursively: a deep enough frame overflows the stack in it (JSON.parse does not).
    if (err instanceof RangeError && /call stack/i.test(err.message)) return tooDeep();
    return { ok: false, code: 'BAD_FRAME', message: binary ? 'the binary frame is not one MessagePack value' : 'the text frame is not JSON' };
  }
  // Bounded before the schema or any handler sees it: nothing downstream has to be safe at any depth.
  if (deeperThan(value, MAX_DEPTH)) return tooDeep();
  return check(value);
}

const tooDeep = (): Checked => ({ ok: false, code: 'NESTING_TOO_DEEP', message: `a frame nests arrays and objects at most ${MAX_DEPTH} deep` });

/** Encoded bytes of a frame: a string for JSON (sent as text), a Buffer for MessagePack (binary). */
export type Encoded = string | Buffer;

export function encodeFrame(frame: ServerFrame, enc: Encoding): Encoded {
  return enc === 'json' ? JSON.stringify(frame) : packr.pack(frame);
}

export function encodedLength(e: Encoded): number {
  return typeof e === 'string' ? Buffer.byteLength(e) : e.byteLength;
}

/** A frame for many sockets: encoded at most once per encoding, however many sockets receive it. */
export class Broadcast {
  private json: string | undefined;
  private msgpack: Buffer | undefined;
  constructor(readonly frame: ServerFrame) {}

  get(enc: Encoding): Encoded {
    if (enc === 'json') return (this.json ??= JSON.stringify(this.frame));
    return (this.msgpack ??= packr.pack(this.frame));
  }
}
