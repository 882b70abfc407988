// What every error code declares, whichever domain it belongs to (see engine/errors.ts).
//   status  the HTTP status of its problem document
//   socket  how the WebSocket answers it:
//     ack   - the command's `ack` carries ok:false with this code (a rule said no; nothing changed)
//     error - an `{t:"error"}` frame (protocol-level; no command was applied)
//     close - the socket is closed with the matching close code after an `error` frame

export type SocketMeaning = 'ack' | 'error' | 'close';

export interface CodeInfo {
  readonly status: number;
  readonly socket: SocketMeaning;
  readonly message: string;
  /** A client may retry the same command (same rid) later and it may succeed. */
  readonly retryable?: boolean;
}

/** One domain's codes: merged into the one registry, where a code may appear only once. */
export type ErrorFragment = Readonly<Record<string, CodeInfo>>;
