// Forwards every plain HTTP request that reaches the public uWebSockets.js port to the Koa server on a
// loopback port, streaming both ways with backpressure: the request body as uWS reads it (paused while
// Koa is not taking it), the response through tryEnd/onWritable (or chunked writes when the length is
// unknown). A client that goes away (onAborted) cancels the upstream request.
// Koa trusts the one X-Forwarded-For value sent here: the client's address, chosen by clientAddress.
import http, { STATUS_CODES, type IncomingMessage } from 'node:http';
import uWS, { type HttpResponse, type TemplatedApp } from 'uWebSockets.js';
import type { Logger } from '../app/service.ts';
import { problemOf } from './problem.ts';
import { writeSecurityHeaders } from './security-headers.ts';

/** Connection-level headers that never cross a proxy (RFC 9110 §7.6.1), plus those uWS writes itself. */
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'expect']);
const SKIP_OUT = new Set([...HOP, 'content-length', 'date']);

interface Flow {
  aborted: boolean;
  done: boolean;
}

export interface Bridge {
  close(): void;
}

/**
 * The client's address: the peer when no proxy is trusted; behind `trustedHops` reverse proxies, the
 * address the outermost of them saw, read from the right of X-Forwarded-For (each proxy appends its
 * peer), so whatever a client wrote there itself is never taken.
 */
export function clientAddress(forwardedFor: string | undefined, peer: string, trustedHops: number): string {
  if (trustedHops === 0 || forwardedFor === undefined) return peer;
  const chain = [...forwardedFor.split(',').map((s) => s.trim()).filter((s) => s !== ''), peer];
  return chain[Math.max(0, chain.length - 1 - trustedHops)];
}

export function forwardToKoa(app: TemplatedApp, target: { host: string; port: number }, log: Logger, trustProxy = 0): Bridge {
  // uWebSockets.js writes `uWebSockets: 20` on every response it makes (socket upgrades too) unless told
  // to be silent: a flag of the library's, for the whole process.
  uWS._cfg('silent');
  // Keep-alive to Koa: the internal server never times idle sockets out (keepAliveTimeout 0), so a
  // reused socket is never closed under a request.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 64 });

  app.any('/*', (res, req) => {
    const method = req.getCaseSensitiveMethod().toUpperCase();
    const query = req.getQuery();
    const path = req.getUrl() + (query ? `?${query}` : '');
    const headers: Record<string, string> = {};
    req.forEach((k, v) => {
      if (HOP.has(k)) return;
      headers[k] = k in headers ? `${headers[k]}, ${v}` : v;
    });
    const chunked = req.getHeader('transfer-encoding') !== '';
    const hasBody = chunked || (headers['content-length'] !== undefined && headers['content-length'] !== '0');
    headers['x-forwarded-for'] = clientAddress(headers['x-forwarded-for'], Buffer.from(res.getRemoteAddressAsText()).toString(), trustProxy);

    const flow: Flow = { aborted: false, done: false };
    const up = http.request({ agent, host: target.host, port: target.port, method, path, headers }, (ur) => respond(res, ur, flow, method));
    res.onAborted(() => {
      flow.aborted = true;
      up.destroy();
    });
    up.on('error', (err) => {
      if (flow.aborted || flow.done) return;
      flow.done = true;
      log.warn({ err: err.message }, 'forwarding to the API failed');
      const body = JSON.stringify(problemOf('INTERNAL', 'the API is unavailable'));
      res.cork(() => writeSecurityHeaders(res.writeStatus('502 Bad Gateway')).writeHeader('content-type', 'application/problem+json').end(body, true));
    });
    if (!hasBody) {
      up.end();
      return;
    }
    res.onData((chunk, last) => {
      // Koa may answer before the body is all read (413 on a large one): the response is then done and
      // uWS forbids touching it again (pause/resume would throw and take the process down).
      if (flow.aborted || flow.done || up.destroyed) return;
      // uWS reuses the chunk's memory after this call: copy it.
      const ok = up.write(Buffer.from(new Uint8Array(chunk)));
      if (last) up.end();
      else if (!ok) {
        res.pause();
        up.once('drain', () => {
          if (!flow.aborted && !flow.done) res.resume();
        });
      }
    });
  });

  return {
    close() {
      agent.destroy();
    },
  };
}

function respond(res: HttpResponse, ur: IncomingMessage, flow: Flow, method: string): void {
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
  });
  // Once the upstream body ends, the response must have ended too; if not (a short body), cut it.
  const finish = () => {
    if (flow.aborted || flow.done) return;
    flow.done = true;
    res.close();
  };
  ur.on('error', finish);
  ur.on('aborted', finish);
  if (method === 'HEAD' || status === 204 || status === 304) {
    ur.resume();
    ur.on('end', () => {
      if (flow.aborted || flow.done) return;
      flow.done = true;
      res.cork(() => res.endWithoutBody(method === 'HEAD' && length !== null ? length : undefined));
    });
    return;
  }
  if (length !== null) streamKnown(res, ur, length, flow);
  else streamChunked(res, ur, flow);
}

/** A body of known length, with uWS's tryEnd: what the socket cannot take now waits for onWritable. */
function streamKnown(res: HttpResponse, ur: IncomingMessage, total: number, flow: Flow): void {
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
  ur.on('end', () => {
    if (!flow.done && !flow.aborted) {
      flow.done = true;
      res.close(); // Koa sent fewer bytes than it announced
    }
  });
}

/** A body of unknown length: chunked writes, pausing Koa while uWS holds unsent data. */
function streamChunked(res: HttpResponse, ur: IncomingMessage, flow: Flow): void {
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
