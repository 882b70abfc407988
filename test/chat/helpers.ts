// Chat's stores for the contract suite: memory, and SQL over every database subject.
import { MemoryChat } from '../../storage/chat/memory.ts';
import type { ChatStore } from '../../storage/chat/ports.ts';
import { SqlChat } from '../../storage/chat/sql.ts';
import { pairOf } from '../../engine/chat/rules.ts';
import type { ChatMessage, Room } from '../../engine/chat/model.ts';
import { sqlDatabaseSubjects, type Subject } from '../helpers/stores.ts';

export function chatSubjects(): Subject<ChatStore>[] {
  return [
    { name: 'memory', open: async () => new MemoryChat() },
    ...sqlDatabaseSubjects().map((s) => ({
      name: s.name,
      open: async (t: Parameters<typeof s.open>[0]) => {
        const db = await s.open(t);
        return db === null ? null : new SqlChat(db);
      },
    })),
  ];
}

export function roomOf(id: string, a: string, b: string, at = 1000): Room {
  return { id, members: pairOf(a, b), auctionId: 'a1', openedBy: a, createdAt: at };
}

export function msg(room: string, seq: number, from: string, rid = `${from}-${room}-${seq}`, at = 2000 + seq): ChatMessage {
  return { room, seq, from, rid, text: `m${seq} from ${from}`, at };
}
