// Chat's metrics, on the server's one registry (app/metrics.ts), all read when Prometheus scrapes: the
// send path only bumps plain numbers (ChatService.stats), as the bid path does.
import { Counter, Gauge, Histogram } from 'prom-client';
import type { ChatGatewayStats } from '../../gateway/chat/handlers.ts';
import type { Metrics } from '../metrics.ts';
import type { ChatService } from './service.ts';

const ACK_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export function chatMetrics(metrics: Metrics, chat: ChatService, gateway: () => ChatGatewayStats | null): void {
  const registers = [metrics.registry];
  const ack = new Histogram({ name: 'okj_chat_ack_seconds', help: 'From chat.send received to its ack (durable), accepted messages.', buckets: ACK_BUCKETS, registers });
  let folded = 0;
  const messages = new Counter({
    name: 'okj_chat_messages_total', help: 'chat.send answered: accepted (stored) or refused, by code.', labelNames: ['outcome', 'code'] as const, registers,
    collect() {
      const s = chat.stats;
      if (s.accepted > folded) this.labels('accepted', 'OK').inc(s.accepted - folded);
      folded = s.accepted;
      for (const [code, n] of s.refused) if (n > 0) this.labels('refused', code).inc(n);
      s.refused.clear();
      for (const v of s.ackSeconds.splice(0)) ack.observe(v);
    },
  });
  messages.labels('accepted', 'OK').inc(0);
  let delivered = 0;
  new Counter({
    name: 'okj_chat_fanout_messages_total', help: 'chat.msg frames sent to sockets (live and replayed).', registers,
    collect() {
      const now = gateway()?.delivered ?? 0;
      if (now > delivered) this.inc(now - delivered);
      delivered = now;
    },
  });
  new Gauge({ name: 'okj_chat_unread_backlog', help: 'Messages after each member\'s read position, over the rooms this process holds.', registers, collect() { this.set(chat.unreadBacklog); } });
  new Gauge({ name: 'okj_chat_pending_messages', help: 'Chat messages waiting to be durable.', registers, collect() { this.set(chat.pending); } });
  new Gauge({ name: 'okj_chat_subscriptions', help: 'Chat room subscriptions over all open sockets.', registers, collect() { this.set(gateway()?.subscriptions ?? 0); } });
}
