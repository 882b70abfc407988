// Chat's server frames, built from the service's records.
import type { ChatAck, ChatMessage } from '../../engine/chat/model.ts';
import type { ChatAckFrame, ChatMsgFrame } from '../protocol.ts';

export function chatMsgOf(m: ChatMessage): ChatMsgFrame {
  const f: ChatMsgFrame = { t: 'chat.msg', room: m.room, seq: m.seq, id: `${m.room}.${m.seq}`, from: m.from, text: m.text, at: m.at };
  if (m.auction !== undefined) f.auction = m.auction;
  return f;
}

export function chatAckOf(a: ChatAck): ChatAckFrame {
  return a.ok ? { t: 'chat.ack', rid: a.rid, ok: true, room: a.room, seq: a.seq, at: a.at } : { t: 'chat.ack', rid: a.rid, ok: false, code: a.code, message: a.message };
}
