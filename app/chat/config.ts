// Chat's section of the configuration (docs/chat.md): the limits of SPEC §7.
import { int, type EnvOf } from '../config-env.ts';
import type { ChatLimits } from '../../engine/chat/rules.ts';

export const chatEnv = {
  CHAT_MAX_TEXT_CHARS: int(1000, 1, 1000),
  CHAT_MESSAGES_PER_SECOND: int(10, 1, 1_000_000),
  CHAT_MAX_ROOMS_PER_USER: int(200, 1, 1_000_000),
  CHAT_PAGE_SIZE: int(50, 1, 1000),
  CHAT_TYPING_INTERVAL_MS: int(1000, 0, 60_000),
  CHAT_MAX_PENDING: int(50_000, 1, 10_000_000),
};

export interface ChatConfig extends ChatLimits {
  /** Messages waiting to be durable before new ones are refused with OVERLOADED. */
  maxPending: number;
}

export function chatConfig(e: EnvOf<typeof chatEnv>): ChatConfig {
  return {
    maxTextChars: e.CHAT_MAX_TEXT_CHARS,
    messagesPerSecond: e.CHAT_MESSAGES_PER_SECOND,
    maxRoomsPerUser: e.CHAT_MAX_ROOMS_PER_USER,
    pageSize: e.CHAT_PAGE_SIZE,
    typingIntervalMs: e.CHAT_TYPING_INTERVAL_MS,
    maxPending: e.CHAT_MAX_PENDING,
  };
}

/** Defaults, for services built without the environment (tests, benchmarks). */
export const CHAT_DEFAULTS: ChatConfig = { maxTextChars: 1000, messagesPerSecond: 10, maxRoomsPerUser: 200, pageSize: 50, typingIntervalMs: 1000, maxPending: 50_000 };
