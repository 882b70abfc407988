// GET /metrics on a listener of its own (METRICS_PORT), for Prometheus on a private network, so that the
// public port need not serve it: no secret to hand out or rotate, and nothing a proxy in front of the
// public port could expose by mistake. Nothing else is served here.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROBLEM_TYPE, problemOf } from '../http/problem.ts';
import { SECURITY_HEADERS } from '../http/security-headers.ts';
import type { Logger } from '../engine/logger.ts';
import type { Metrics } from './metrics.ts';

export interface MetricsListener {
  /** The port actually bound (METRICS_PORT may be 0). */
  port: number;
  close(): Promise<void>;
}

export async function listenMetrics(metrics: Metrics, host: string, port: number, log: Logger): Promise<MetricsListener> {
  const server = http.createServer((req, res) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': PROBLEM_TYPE }).end(JSON.stringify(problemOf('NOT_FOUND', 'this port serves GET /metrics only')));
      return;
    }
    metrics.text().then(
      (text) => res.writeHead(200, { 'content-type': metrics.contentType }).end(req.method === 'HEAD' ? undefined : text),
      (err: unknown) => {
        log.error({ err }, 'metrics could not be rendered');
        res.writeHead(500, { 'content-type': PROBLEM_TYPE }).end(JSON.stringify(problemOf('INTERNAL')));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // Prometheus keeps its connection alive between scrapes
      }),
  };
}
