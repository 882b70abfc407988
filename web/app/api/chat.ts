// Chat's HTTP routes (docs/chat.md), typed by the generated Paths: open or find a room, my rooms, history
// by cursor, block, unblock, report. Live messages go over the socket (state/chat.ts).
import type { Api } from '../../../client/index.ts';
import { api } from '../okj.ts';

export type ChatRoomSummary = Api.ChatRoomSummary;
export type ChatMessage = Api.ChatMessage;

/** The server's bound is CHAT_MAX_TEXT_CHARS, at most 1,000 code points (app/chat/config.ts). */
export const MAX_TEXT_CHARS = 1000;

const http = () => api.http;

export const chatApi = {
  open: (auctionId: string) => http().request('post', '/api/v1/chat/rooms', { body: { auctionId } }),
  rooms: async () => (await http().request('get', '/api/v1/chat/rooms', {})).items,
  messages: async (id: string, before?: number) =>
    (await http().request('get', '/api/v1/chat/rooms/{id}/messages', { path: { id }, query: before === undefined ? {} : { before } })).items,
  block: (id: string) => http().request('post', '/api/v1/chat/rooms/{id}/block', { path: { id } }),
  unblock: (id: string) => http().request('delete', '/api/v1/chat/rooms/{id}/block', { path: { id } }),
  report: (id: string, seq: number, reason: string) => http().request('post', '/api/v1/chat/rooms/{id}/reports', { path: { id }, body: { seq, reason } }),
};
