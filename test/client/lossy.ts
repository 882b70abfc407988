// A `ws` WebSocket for the SDK that can lose incoming frames, as a faulty path would: those a predicate
// picks, or all of them once it is made deaf (the acks of commands the server did apply never arrive).
// It also notes the rid of every command it sends, so a test can tell which were sent again.
import WebSocket from 'ws';
import type { WebSocketFactory, WebSocketLike } from '../../client/index.ts';
import { decode } from '../../client/socket/codec.ts';

export interface LossyHandle {
  /** Drop every incoming frame from now on. */
  deaf: boolean;
  /** The rid of every command this socket sent, in order. */
  readonly rids: string[];
}

export interface Lossy {
  factory: WebSocketFactory;
  /** Sockets made so far, newest last. */
  made: LossyHandle[];
}

export function lossy(lose: (frame: { t: string }) => boolean = () => false): Lossy {
  const made: LossyHandle[] = [];
  class LossySocket implements WebSocketLike, LossyHandle {
    deaf = false;
    readonly rids: string[] = [];
    private readonly ws: WebSocket;
    constructor(url: string) {
      this.ws = new WebSocket(url);
      made.push(this);
    }
    get binaryType() { return this.ws.binaryType; }
    set binaryType(v: string) { this.ws.binaryType = v as 'arraybuffer'; }
    get readyState() { return this.ws.readyState; }
    get onopen() { return this.ws.onopen; }
    set onopen(fn: WebSocketLike['onopen']) { this.ws.onopen = fn; }
    get onclose() { return this.ws.onclose; }
    set onclose(fn: WebSocketLike['onclose']) { this.ws.onclose = fn; }
    get onerror() { return this.ws.onerror; }
    set onerror(fn: WebSocketLike['onerror']) { this.ws.onerror = fn; }
    get onmessage() { return this.ws.onmessage; }
    set onmessage(fn: WebSocketLike['onmessage']) {
      this.ws.onmessage = fn === null ? null : (ev) => {
        const f = decode(ev.data);
        if (this.deaf || (f !== null && lose(f))) return;
        fn(ev);
      };
    }
    send(data: string | Uint8Array) {
      const rid = decode(typeof data === 'string' ? data : data.slice().buffer)?.rid;
      if (typeof rid === 'string') this.rids.push(rid);
      this.ws.send(data);
    }
    close(code?: number, reason?: string) { this.ws.close(code, reason); }
  }
  return { factory: LossySocket, made };
}
