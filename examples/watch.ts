// A tiny socket client: watch auctions live, one line per frame, and bid if given a token.
// Usage: node --import tsx examples/watch.ts [--url ws://127.0.0.1:8080/ws] [--token JWT] [--bid AMOUNT] <auctionId>...
// With --token it authenticates by an `auth` frame (never in the URL); with --bid it bids once on the
// first auction after its snapshot arrives. Stop it with Ctrl-C.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

const { values, positionals: auctions } = parseArgs({
  allowPositionals: true,
  options: { url: { type: 'string', default: 'ws://127.0.0.1:8080/ws' }, token: { type: 'string' }, bid: { type: 'string' } },
});
if (auctions.length === 0) {
  console.error('usage: node --import tsx examples/watch.ts [--url URL] [--token JWT] [--bid AMOUNT] <auctionId>...');
  process.exit(2);
}

const ws = new WebSocket(values.url);
const send = (msg: object) => ws.send(JSON.stringify(msg)); // text frames: the server answers in JSON
let bidPending = values.bid !== undefined && values.token !== undefined;

ws.on('open', () => {
  console.log(`connected to ${values.url}`);
  if (values.token !== undefined) send({ t: 'auth', token: values.token });
  send({ t: 'sub', auctions });
});

ws.on('message', (data: Buffer) => {
  const { t, ...rest } = JSON.parse(data.toString()) as { t: string } & Record<string, unknown>;
  console.log(`${new Date().toISOString().slice(11, 23)} ${t.padEnd(7)} ${JSON.stringify(rest)}`);
  if (t === 'snap' && bidPending && rest.auction === auctions[0]) {
    bidPending = false;
    send({ t: 'bid', rid: randomUUID(), auction: auctions[0], amount: Number(values.bid) });
  }
});

ws.on('close', (code, reason) => {
  console.log(`closed: ${code} ${reason.toString()}`);
  process.exit(0);
});
ws.on('error', (err) => {
  console.error(`socket error: ${err.message}`);
  process.exit(1);
});
process.on('SIGINT', () => ws.close());
