// A loopback HTTP server that answers like the EventBridge Scheduler API (REST-JSON): CreateSchedule
// (POST /schedules/{Name}), UpdateSchedule (PUT), DeleteSchedule (DELETE ?groupName=), with the real
// error shapes (409 ConflictException, 404 ResourceNotFoundException, `x-amzn-errortype`). It keeps the
// schedules and records every request for the test to check.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown> | null;
}

export interface FakeScheduler {
  url: string;
  requests: SeenRequest[];
  /** Live schedules by name: the create/update body. */
  schedules: Map<string, Record<string, unknown>>;
  /** Make the next n requests fail with a 500 (retries). */
  failNext(n: number): void;
  close(): Promise<void>;
}

function error(res: http.ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
  res.end(JSON.stringify({ Message: message }));
}

/**
 * `forward`: where requests that are not Scheduler API calls go (an SQS emulator), so one endpoint
 * (AWS_ENDPOINT_URL) serves a whole server under test.
 */
export async function fakeScheduler(region = 'us-east-1', forward?: string): Promise<FakeScheduler> {
  const requests: SeenRequest[] = [];
  const schedules = new Map<string, Record<string, unknown>>();
  let failures = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      if (forward !== undefined && !u.pathname.startsWith('/schedules/')) {
        const up = http.request(new URL(req.url ?? '/', forward), { method: req.method, headers: req.headers }, (ur) => {
          res.writeHead(ur.statusCode ?? 502, ur.headers);
          ur.pipe(res);
        });
        up.on('error', () => error(res, 502, 'InternalServerException', 'forward failed'));
        up.end(Buffer.concat(chunks));
        return;
      }
      const text = Buffer.concat(chunks).toString();
      const body = text === '' ? null : (JSON.parse(text) as Record<string, unknown>);
      const seen = { method: req.method ?? '', path: decodeURIComponent(u.pathname), query: u.searchParams, headers: req.headers, body };
      requests.push(seen);
      if (failures > 0) {
        failures--;
        return error(res, 500, 'InternalServerException', 'try again');
      }
      const m = /^\/schedules\/([^/]+)$/.exec(seen.path);
      if (m === null) return error(res, 404, 'ResourceNotFoundException', 'no such route');
      const name = m[1];
      const arn = `arn:aws:scheduler:${region}:000000000000:schedule/${String(body?.GroupName ?? u.searchParams.get('groupName') ?? 'default')}/${name}`;
      switch (req.method) {
        case 'POST':
          if (schedules.has(name)) return error(res, 409, 'ConflictException', `Schedule ${name} already exists.`);
          schedules.set(name, body ?? {});
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ ScheduleArn: arn }));
        case 'PUT':
          if (!schedules.has(name)) return error(res, 404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
          schedules.set(name, body ?? {});
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ ScheduleArn: arn }));
        case 'DELETE':
          if (!schedules.delete(name)) return error(res, 404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end('{}');
        default:
          return error(res, 405, 'ValidationException', 'method');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    schedules,
    failNext(n) {
      failures = n;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
