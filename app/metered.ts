// Metering decorators for the ports the metrics watch, so the service, the committer and the gateway
// carry no instrumentation: the journal's appends (one observation per group commit) and the service
// as each transport sees it (bids and buy-nows counted by outcome and code, and timed to their reply).
import type { AuctionCommands, BidGate } from '../engine/auction/api.ts';
import { reject } from '../engine/auction/rules.ts';
import type { BidJournal } from '../storage/auction/ports.ts';
import type { AwsService, Metrics, Transport } from './metrics.ts';

export function meteredJournal(j: BidJournal, m: Metrics): BidJournal {
  return {
    append(batch) {
      const started = performance.now();
      return j.append(batch).then(
        () => m.journalCommitted(batch.replies.length, (performance.now() - started) / 1000),
        (err: unknown) => {
          m.journalFailed();
          throw err;
        },
      );
    },
    read: (auction, afterSeq, limit) => j.read(auction, afterSeq, limit),
    live: () => j.live(),
    tails: (after) => j.tails(after),
    summary: (auction) => j.summary(auction),
    after: (position, limit) => j.after(position, limit),
  };
}

/** The commands as one transport sends them: the front the meter wraps. */
export type Front = AuctionCommands;

/** `s`'s commands with bids and buy-nows counted by outcome and code, and timed to their reply. */
export function meteredFront(s: Front, m: Metrics, transport: Transport): Front {
  return {
    submit(cmd, cb) {
      if (cmd.t !== 'bid' && cmd.t !== 'buy') return s.submit(cmd, cb);
      const type = cmd.t;
      const started = performance.now();
      s.submit(cmd, (reply) => {
        m.bidAnswered(transport, type, reply, (performance.now() - started) / 1000);
        cb(reply);
      });
    },
    create: (spec, by, rid, cb) => s.create(spec, by, rid, cb),
  };
}

interface AwsClient {
  send(command: object, options?: object): Promise<unknown>;
}

/**
 * An AWS SDK client whose every call is counted (and its failures) under the command's operation name
 * (SendMessageCommand -> SendMessage). Without metrics, the client itself.
 */
export function meteredAwsClient<C extends AwsClient>(client: C, service: AwsService, m: Metrics | undefined): C {
  if (m === undefined) return client;
  const send = client.send.bind(client);
  const metered = Object.create(client) as C;
  metered.send = ((command: object, options?: object) =>
    m.aws(service, command.constructor.name.replace(/Command$/, ''), () => send(command, options))) as C['send'];
  return metered;
}

/**
 * The front with a gate before every bid and buy-now (the gate's code is the reply, nothing reaches the
 * auction); other commands pass. Both transports get the gated front from app/server.ts.
 */
export function gatedFront(s: Front, gate: BidGate): Front {
  return {
    submit(cmd, cb) {
      if ((cmd.t === 'bid' || cmd.t === 'buy') && typeof cmd.by === 'string') {
        const code = gate.refusal(cmd.by);
        if (code !== null) return cb(reject(typeof cmd.rid === 'string' ? cmd.rid : '', code));
      }
      s.submit(cmd, cb);
    },
    create: (spec, by, rid, cb) => s.create(spec, by, rid, cb),
  };
}
