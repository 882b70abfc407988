// One call for an app: the HTTP API and the socket, sharing one session (the socket authenticates with
// the session's access token and renews it through the same refresh).
import { OkjApi, type ApiOptions } from './http/api.ts';
import { OkjSocket, socketUrl, type SocketOptions } from './socket/client.ts';

export interface OkjOptions extends ApiOptions, Omit<SocketOptions, 'url' | 'auth'> {
  /** The socket's URL; by default `baseUrl` with ws(s): and /ws. */
  socketUrl?: string;
}

export function createOkj(o: OkjOptions = {}): { api: OkjApi; socket: OkjSocket } {
  const api = new OkjApi(o);
  const { baseUrl: _b, fetch: _f, session: _s, socketUrl: url, ...socket } = o;
  return { api, socket: new OkjSocket({ ...socket, url: url ?? socketUrl(o.baseUrl ?? ''), auth: api.session }) };
}
