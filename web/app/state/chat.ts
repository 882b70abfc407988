// The app's one chat stream on the shared socket: it resumes every joined room with `since` after a
// reconnect and re-sends unacknowledged messages with their rid (client/socket/chat.ts). `readUpTo`
// keeps what this page marked read, since the server tells only the other member: the room list
// clears a room's unread count without waiting for the next load.
import { ChatStream, newRid } from '../../../client/index.ts';
import { socket } from '../okj.ts';
import { store } from './store.ts';

export const chat = new ChatStream(socket, newRid);

export const readUpTo = store<ReadonlyMap<string, number>>(new Map());

/** Mark a room read up to `seq` (never back). */
export function markRead(room: string, seq: number): void {
  const held = readUpTo.get().get(room) ?? 0;
  if (seq <= held) return;
  chat.read(room, seq);
  readUpTo.set(new Map(readUpTo.get()).set(room, seq));
}
