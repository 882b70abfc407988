// Forwards every plain HTTP request that reaches the public uWebSockets.js port to the Koa server on a
// loopback port, streaming both ways with backpressure: the request body as uWS reads it (paused while
// Koa is not taking it), the response as bridge-relay.ts writes it. A client that goes away (onAborted)
// cancels the upstream request.
// Koa trusts the one X-Forwarded-For value sent here: the client's address, chosen by clientAddress.
//
// An answer that comes before the request body is all in (a 413 on a declared 50 MB body, a 415 for an
// upload whose first bytes are not an image) stops the forwarding: the rest of the body is read and
// dropped here, as uWS reads it into its one reused buffer, so nothing of it is held. A client that keeps
// its connection gets the answer at once; the connection stays fit for its next request once the client
// has sent what it declared (or it closes it). One that asked to close (`Connection: close`) gets it once the
// rest has arrived, for at most LINGER_MS: uWebSockets.js closes such a connection the moment the answer
// ends, and a client still sending then gets a reset that can erase the answer before it is read (RFC
// 9112 §9.6). uWS answers `Expect: 100-continue` itself, so every client does send its body.
import http from 'node:http';
import uWS, { type HttpResponse, type TemplatedApp } from 'uWebSockets.js';
import type { Logger } from '../engine/logger.ts';
import { cut, HOP, relay, type Relay } from './bridge-relay.ts';
import { problemOf } from './problem.ts';
import { writeSecurityHeaders } from './security-headers.ts';

/** How long an early answer waits for the rest of the request body before it goes anyway (nginx's lingering_time). */
const LINGER_MS = 30_000;

interface Flow extends Relay {
  /** The request body has all arrived, or there was none. */
  bodyIn: boolean;
  /** An answer came (Koa's, or our 502): the rest of the body is read and dropped, not forwarded. */
  answered: boolean;
  /** uWS stopped reading while Koa is not taking the body. */
  paused: boolean;
  /** An answer waiting for the body to be in, and its deadline. */
  held: { send: () => void; timer: NodeJS.Timeout } | null;
  /** The client asked to close the connection after this request (uWS then closes it as the answer ends). */
  closeAsked: boolean;
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

    const closeAsked = /(?:^|,)\s*close\s*(?:,|$)/i.test(req.getHeader('connection'));
    const flow: Flow = { aborted: false, done: false, bodyIn: !hasBody, answered: false, paused: false, held: null, closeAsked };
    const up = http.request({ agent, host: target.host, port: target.port, method, path, headers }, (ur) => {
      const early = !flow.bodyIn;
      // An upstream request cut short cannot carry another one: its socket is not given back.
      if (early) ur.once('close', () => up.destroy());
      ur.on('error', () => cut(res, flow));
      ur.on('aborted', () => cut(res, flow));
      whenBodyIn(res, flow, (closing) => relay(res, ur, flow, method, closing));
    });
    res.onAborted(() => {
      flow.aborted = true;
      if (flow.held !== null) clearTimeout(flow.held.timer);
      flow.held = null;
      up.destroy();
    });
    up.on('error', (err) => {
      // Once Koa has answered, its answer is what counts, whatever becomes of the connection after.
      if (flow.aborted || flow.done || flow.answered) return;
      log.warn({ err: err.message }, 'forwarding to the API failed');
      const body = JSON.stringify(problemOf('INTERNAL', 'the API is unavailable'));
      whenBodyIn(res, flow, () => {
        if (flow.aborted || flow.done) return;
        flow.done = true;
        res.cork(() => writeSecurityHeaders(res.writeStatus('502 Bad Gateway')).writeHeader('content-type', 'application/problem+json').end(body, true));
      });
    });
    if (!hasBody) {
      up.end();
      return;
    }
    res.onData((chunk, last) => {
      // Once the response is done uWS forbids touching it again (pause/resume would throw and take the
      // process down); what still arrives is dropped.
      if (flow.aborted || flow.done) return;
      if (last) flow.bodyIn = true;
      if (!flow.answered) forward(chunk, last);
      if (last) release(flow);
    });

    function forward(chunk: ArrayBuffer, last: boolean): void {
      if (up.destroyed) return;
      // uWS reuses the chunk's memory after this call: copy it.
      const ok = up.write(Buffer.from(new Uint8Array(chunk)));
      if (last) up.end();
      else if (!ok && !flow.paused) {
        flow.paused = true;
        res.pause();
        up.once('drain', () => {
          if (!flow.paused || flow.aborted || flow.done) return;
          flow.paused = false;
          res.resume();
        });
      }
    }
  });

  return {
    close() {
      agent.destroy();
    },
  };
}

/**
 * Send an answer: at once when the body has all arrived or the connection stays open, else (the client
 * asked to close) held while the rest is read and dropped, for at most LINGER_MS. `closing` tells the
 * answer the body was not all read, so the connection cannot carry another request.
 */
function whenBodyIn(res: HttpResponse, flow: Flow, send: (closing: boolean) => void): void {
  flow.answered = true;
  if (flow.bodyIn) return send(false);
  // uWS must read on for the rest of the body to arrive (it may be paused for Koa's backpressure).
  if (flow.paused) {
    flow.paused = false;
    res.resume();
  }
  if (!flow.closeAsked) return send(false);
  const timer = setTimeout(() => release(flow), LINGER_MS);
  timer.unref();
  flow.held = { send: () => send(!flow.bodyIn), timer };
}

/** The held answer goes now: the body is in, or the wait is over. */
function release(flow: Flow): void {
  const held = flow.held;
  if (held === null) return;
  flow.held = null;
  clearTimeout(held.timer);
  held.send();
}
