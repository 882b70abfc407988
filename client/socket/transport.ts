// What the SDK needs of its environment, as small structural types: the browser's WebSocket (which the
// `ws` package also implements), timers and a clock. Injected in tests and in Node; taken from
// globalThis in browsers.

// Handlers take `any`: the DOM's and the `ws` package's event classes differ, and a stricter parameter
// would make neither constructor assignable. Only `data`, `code` and `reason` are read.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Handler = ((ev: any) => void) | null;

/** The part of the WHATWG WebSocket the SDK uses. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  onopen: Handler;
  onmessage: Handler;
  onclose: Handler;
  onerror: Handler;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketFactory = new (url: string) => WebSocketLike;

export const OPEN = 1;

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as Parameters<typeof globalThis.clearTimeout>[0]),
};

/** The WebSocket constructor given, or the environment's; Node 20 has none, so Node callers pass `ws`'s. */
export function webSocketFrom(given: WebSocketFactory | undefined): WebSocketFactory {
  const found = given ?? (globalThis as { WebSocket?: WebSocketFactory }).WebSocket;
  if (found === undefined) throw new TypeError('no WebSocket in this environment: pass one (in Node, the `ws` package\'s)');
  return found;
}
