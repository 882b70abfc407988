// The baseline: a bare uWebSockets.js echo server with the gateway's socket settings (no compression,
// same payload limit), in its own process. Every frame comes straight back in the same encoding, so the
// client does the same work per message as against the real server; what differs is the server's work.
import uWS from 'uWebSockets.js';

const app = uWS.App();
app.ws('/*', {
  maxPayloadLength: 32 * 1024,
  maxBackpressure: 1024 * 1024,
  idleTimeout: 120,
  compression: uWS.DISABLED,
  message: (ws, data, binary) => {
    ws.send(data, binary);
  },
});

app.listen('127.0.0.1', 0, (listenSocket) => {
  if (listenSocket === false) {
    console.error('echo server: cannot listen');
    process.exit(1);
  }
  process.send?.({ t: 'ready', port: uWS.us_socket_local_port(listenSocket as unknown as uWS.us_socket) });
});

process.on('message', (m: { id: number; t: string }) => {
  if (m.t === 'stop') process.exit(0);
  if (m.t === 'cpu') process.send?.({ id: m.id, ...process.cpuUsage() });
});
// The bench went away: so do we.
process.on('disconnect', () => process.exit(0));
