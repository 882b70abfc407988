// Chat's codes (SPEC §7). A non-member gets the common NOT_FOUND, never a code that tells the room exists.
// A refused `chat.send` is answered by its `chat.ack` (ok:false) whatever the code's socket meaning.
import type { ErrorFragment } from '../error-info.ts';

export const CHAT_ERRORS = {
  BLOCKED: { status: 403, socket: 'ack', message: 'the other member has blocked you; the message was not sent' },
  CHAT_TEXT_INVALID: { status: 400, socket: 'ack', message: 'a message is 1 to 1,000 characters of text without control characters (newline and tab allowed)' },
  CHAT_RATE_LIMITED: { status: 429, socket: 'ack', message: 'too many messages; retry with the same rid shortly', retryable: true },
  CHAT_TOO_MANY_ROOMS: { status: 409, socket: 'error', message: 'this user has opened as many chat rooms as allowed' },
  CHAT_OWN_AUCTION: { status: 400, socket: 'error', message: 'a seller cannot open a chat room with themselves' },
} as const satisfies ErrorFragment;
