// The baselines: bare uWebSockets.js servers with the gateway's socket settings (no compression, same
// payload limit), in their own process, so the client does the same work per message as against the
// real server and what differs is the server's work.
// - `/*` echoes every frame straight back in the same encoding (the throughput baseline).
// - `/ws` is the fan-out floor: a `sub` joins one topic and gets a `snap`; each `bid` takes the next seq
//   and is published at once as a `px` of the real one's shape to that topic, then acked. No rules, no
//   journal: what is left is uWS's publish and the kernel's sends to every watcher.
import { Packr, Unpackr } from 'msgpackr';
import uWS from 'uWebSockets.js';

const packr = new Packr({ useRecords: false });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true });
const SETTINGS = { maxPayloadLength: 32 * 1024, maxBackpressure: 1024 * 1024, idleTimeout: 120, compression: uWS.DISABLED };
const TOPIC = 'a';

const app = uWS.App();
let seq = 0;
let price = 1_000;
app.ws('/ws', {
  ...SETTINGS,
  message: (ws, data) => {
    const f = unpackr.unpack(Buffer.from(data)) as { t: string; auction?: string; auctions?: string[]; rid?: string; amount?: number };
    const auction = f.auction ?? f.auctions?.[0] ?? '';
    const view = { auction, seq, price, bidCount: seq, leader: 'fan-bidder', minNext: price + 10, endsAt: Date.now() + 3_600_000 };
    if (f.t === 'sub') {
      ws.subscribe(TOPIC);
      ws.send(packr.pack({ t: 'snap', ...view, status: 'OPEN', buyNowPrice: null, reserveMet: true, now: Date.now() }), true);
      return;
    }
    if (f.t !== 'bid') return;
    seq++;
    price = f.amount ?? price;
    app.publish(TOPIC, packr.pack({ t: 'px', ...view, seq, price, bidCount: seq, minNext: price + 10 }), true);
    ws.send(packr.pack({ t: 'ack', rid: f.rid, ok: true, seq, price, leading: true, endsAt: view.endsAt, status: 'OPEN' }), true);
  },
});
app.ws('/*', {
  ...SETTINGS,
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
