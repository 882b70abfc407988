// Chat's wiring: the service over the store the composition root opened, and its metrics.
import type { AuctionQueries } from '../../engine/auction/api.ts';
import type { Clock } from '../../engine/index.ts';
import type { Logger } from '../../engine/logger.ts';
import type { ChatGatewayStats } from '../../gateway/chat/handlers.ts';
import type { ChatStore } from '../../storage/chat/ports.ts';
import type { Inbox } from '../../storage/market/ports.ts';
import type { Metrics } from '../metrics.ts';
import type { ChatConfig } from './config.ts';
import { chatMetrics } from './metrics.ts';
import { ChatService } from './service.ts';

export interface ChatOptions {
  config: ChatConfig;
  store: ChatStore;
  auctions: Pick<AuctionQueries, 'spec'>;
  /** The marketplace's inbox, for members not following a room live. */
  inbox?: Pick<Inbox, 'addInbox' | 'deleteInbox'>;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  /** The gateway's chat stats, once it is attached. */
  gateway: () => ChatGatewayStats | null;
}

export function createChat(o: ChatOptions): ChatService {
  const chat = new ChatService({ store: o.store, auctions: o.auctions, config: o.config, clock: o.clock, log: o.log, ...(o.inbox !== undefined ? { inbox: o.inbox } : {}) });
  chatMetrics(o.metrics, chat, o.gateway);
  return chat;
}
