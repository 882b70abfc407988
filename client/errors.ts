// Errors the SDK rejects with. Each carries the catalogue `code` (engine/errors.ts) when the server gave
// one, so callers branch on codes, never on messages.
import type { ErrorCode } from './socket/wire.ts';

/** The socket refused a frame or a command with an `error` frame. */
export class SocketError extends Error {
  constructor(readonly code: ErrorCode | 'CLOSED', message: string, readonly rid?: string) {
    super(message);
    this.name = 'SocketError';
  }
}

/**
 * The client was closed while a command waited for its reply. The command may or may not have been
 * applied: send it again with the same `rid` (on a new client, within 24 hours) to learn its outcome.
 */
export class CommandAbandoned extends SocketError {
  constructor(readonly frame: { rid: string; t: string }) {
    super('CLOSED', `the client closed before the reply to ${frame.t} ${frame.rid}; send it again with the same rid to learn its outcome`, frame.rid);
    this.name = 'CommandAbandoned';
  }
}
