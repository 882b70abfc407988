// Client messages of SPEC §2 and their schemas. Everything a socket sends is checked here before any
// handler runs; a handler only ever sees a ClientMessage.
import { z } from 'zod';
import { validRid, type ErrorCode } from '../engine/index.ts';
import { CLIENT, type ClientType } from './protocol.ts';

/** Hard cap on ids in one sub/unsub, whatever the configured subscription limit. */
export const MAX_IDS_PER_FRAME = 10_000;

const id = z.string().min(1).max(64);
// Counted in code points, as SPEC §1 says: validRid is the one count, for the schema and the echo alike.
const rid = z.string().refine(validRid, 'must be 1 to 64 characters');
const auctions = z.array(id).min(1).max(MAX_IDS_PER_FRAME);
const present = z.unknown().refine((v) => v !== undefined, 'required');
const seqNumber = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

// Amounts are left to the engine on purpose: SPEC §1 answers a string, a float or NaN with an
// INVALID_AMOUNT ack, the same for the socket and HTTP. Only their presence is checked here.
const schemas = {
  [CLIENT.AUTH]: z.object({ t: z.literal(CLIENT.AUTH), token: z.string().min(1).max(8192) }),
  [CLIENT.SUB]: z.object({
    t: z.literal(CLIENT.SUB),
    auctions,
    since: z.record(id, z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)).optional(),
  }),
  [CLIENT.UNSUB]: z.object({ t: z.literal(CLIENT.UNSUB), auctions }),
  [CLIENT.BID]: z.object({ t: z.literal(CLIENT.BID), rid, auction: id, amount: present, max: z.unknown().optional() }),
  [CLIENT.BUY]: z.object({ t: z.literal(CLIENT.BUY), rid, auction: id }),
  // Chat: the text is judged by the chat service (CHAT_TEXT_INVALID in the ack), as amounts are by the engine.
  [CLIENT.CHAT_SUB]: z.object({
    t: z.literal(CLIENT.CHAT_SUB),
    rooms: z.array(id).min(1).max(MAX_IDS_PER_FRAME),
    since: z.record(id, seqNumber).optional(),
  }),
  [CLIENT.CHAT_SEND]: z.object({ t: z.literal(CLIENT.CHAT_SEND), rid, room: id, text: present, auction: id.optional() }),
  [CLIENT.CHAT_READ]: z.object({ t: z.literal(CLIENT.CHAT_READ), room: id, seq: seqNumber }),
  [CLIENT.CHAT_TYPING]: z.object({ t: z.literal(CLIENT.CHAT_TYPING), room: id }),
} as const;

export type AuthMessage = z.infer<(typeof schemas)['auth']>;
export type SubMessage = z.infer<(typeof schemas)['sub']>;
export type UnsubMessage = z.infer<(typeof schemas)['unsub']>;
export type BidMessage = z.infer<(typeof schemas)['bid']> & { amount: unknown };
export type BuyMessage = z.infer<(typeof schemas)['buy']>;
export type ChatSubMessage = z.infer<(typeof schemas)['chat.sub']>;
export type ChatSendMessage = z.infer<(typeof schemas)['chat.send']> & { text: unknown };
export type ChatReadMessage = z.infer<(typeof schemas)['chat.read']>;
export type ChatTypingMessage = z.infer<(typeof schemas)['chat.typing']>;
export type ChatMessageFrame = ChatSubMessage | ChatSendMessage | ChatReadMessage | ChatTypingMessage;
export type ClientMessage = AuthMessage | SubMessage | UnsubMessage | BidMessage | BuyMessage | ChatMessageFrame;

export type Checked =
  | { ok: true; msg: ClientMessage }
  | { ok: false; code: ErrorCode; message: string; rid?: string };

const isClientType = (t: string): t is ClientType => Object.hasOwn(schemas, t);

/** Check a decoded value: BAD_FRAME when it is not a message at all, UNKNOWN_TYPE, VALIDATION_FAILED. */
export function check(value: unknown): Checked {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, code: 'BAD_FRAME', message: 'a frame must be an object with a string `t`' };
  }
  const o = value as Record<string, unknown>;
  const echo = validRid(o.rid) ? { rid: o.rid } : {};
  if (typeof o.t !== 'string') return { ok: false, code: 'BAD_FRAME', message: 'a frame must be an object with a string `t`', ...echo };
  if (!isClientType(o.t)) return { ok: false, code: 'UNKNOWN_TYPE', message: `unknown message type ${JSON.stringify(o.t.slice(0, 32))}`, ...echo };
  const parsed = schemas[o.t].safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? issue.path.join('.') : o.t;
    return { ok: false, code: 'VALIDATION_FAILED', message: `${where}: ${issue.message}`.slice(0, 200), ...echo };
  }
  return { ok: true, msg: parsed.data as ClientMessage };
}
