// The forwarder's response side: Koa's answer written to the uWebSockets.js response, streamed with
// backpressure through tryEnd/onWritable (or chunked writes when the length is unknown).
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { HttpResponse } from 'uWebSockets.js';

/** Connection-level headers that never cross a proxy (RFC 9110 §7.6.1), plus those uWS writes itself. */
export const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'expect']);
const SKIP_OUT = new Set([...HOP, 'content-length', 'date']);

/** One response's state: the client went away, or its response is complete (or cut); uWS forbids touching it then. */
export interface Relay {
  aborted: boolean;
  done: boolean;
}

/** Cut the response short (Koa's answer broke off): the client sees the connection end. */
export function cut(res: HttpResponse, flow: Relay): void {
  if (flow.aborted || flow.done) return;
  flow.done = true;
  res.close();
}

/**
 * Write Koa's answer. `closing`: the request body was not all read, so the connection cannot carry
 * another request; the client is told.
 */
export function relay(res: HttpResponse, ur: IncomingMessage, flow: Relay, method: string, closing: boolean): void {
  if (flow.aborted || flow.done) {
    ur.destroy();
    return;
  }
  const status = ur.statusCode ?? 502;
  const length = ur.headers['content-length'] !== undefined ? Number(ur.headers['content-length']) : null;
  res.cork(() => {
    res.writeStatus(`${status} ${ur.statusMessage || STATUS_CODES[status] || ''}`);
    for (const [k, v] of Object.entries(ur.headers)) {
      if (v === undefined || SKIP_OUT.has(k)) continue;
      for (const one of Array.isArray(v) ? v : [v]) res.writeHeader(k, one);
    }
    if (closing) res.writeHeader('Connection', 'close');
  });
  if (method === 'HEAD' || status === 204 || status === 304) {
    ur.resume();
    ur.on('end', () => {
      if (flow.aborted || flow.done) return;
      flow.done = true;
      // endWithoutBody(undefined) writes `Content-Length: 9223372036854775808` (the argument taken as a
      // 64-bit -1), which breaks the kept-alive connection; with no argument it writes none, as a 204 must.
      res.cork(() => (method === 'HEAD' && length !== null ? res.endWithoutBody(length) : res.endWithoutBody()));
    });
    return;
  }
  if (length !== null) streamKnown(res, ur, length, flow);
  else streamChunked(res, ur, flow);
}

/** A body of known length, with uWS's tryEnd: what the socket cannot take now waits for onWritable. */
function streamKnown(res: HttpResponse, ur: IncomingMessage, total: number, flow: Relay): void {
  if (total === 0) {
    ur.resume();
    ur.on('end', () => {
      if (flow.aborted || flow.done) return;
      flow.done = true;
      res.cork(() => res.end());
    });
    return;
  }
  ur.on('data', (chunk: Buffer) => {
    if (flow.aborted || flow.done) return;
    let start = 0;
    let ok = false;
    let done = false;
    res.cork(() => {
      start = res.getWriteOffset();
      [ok, done] = res.tryEnd(chunk, total);
    });
    if (done) flow.done = true;
    else if (!ok) {
      ur.pause();
      res.onWritable((offset) => {
        const [ok2, done2] = res.tryEnd(chunk.subarray(offset - start), total);
        if (done2) flow.done = true;
        // Resume also when done, so the upstream body ends and its socket goes back to the agent.
        if (ok2 || done2) ur.resume();
        return ok2;
      });
    }
  });
  // Once the upstream body ends, the response must have ended too; if not, Koa sent fewer bytes than it announced.
  ur.on('end', () => cut(res, flow));
}

/** A body of unknown length: chunked writes, pausing Koa while uWS holds unsent data. */
function streamChunked(res: HttpResponse, ur: IncomingMessage, flow: Relay): void {
  ur.on('data', (chunk: Buffer) => {
    if (flow.aborted || flow.done) return;
    let ok = true;
    res.cork(() => {
      ok = res.write(chunk);
    });
    if (!ok) {
      ur.pause();
      res.onWritable(() => {
        ur.resume();
        return true;
      });
    }
  });
  ur.on('end', () => {
    if (flow.aborted || flow.done) return;
    flow.done = true;
    res.cork(() => res.end());
  });
}
