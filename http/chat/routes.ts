// Chat over HTTP (SPEC §7): open or find a room, my rooms, history by cursor, block, unblock, report;
// admins read the reports.
// Only members reach a room; anyone else gets 404 NOT_FOUND, as if it did not exist.
import { Router } from '@koa/router';
import type { Context } from 'koa';
import type { ChatApi } from '../../engine/chat/api.ts';
import type { ChatMessage, RoomSummary } from '../../engine/chat/model.ts';
import type { Authenticator } from '../../engine/accounts/identity.ts';
import { requireUser } from '../auth.ts';
import { noBody, readBody } from '../body.ts';
import { identity, me, queryInt } from '../market/common.ts';
import { OpenRoomBody, ReportBody } from './schemas.ts';

export interface ChatHttpDeps {
  chat: ChatApi;
  auth: Authenticator;
  bodyLimitBytes: number;
}

const SEQ_MAX = Number.MAX_SAFE_INTEGER;

const messageOut = (m: ChatMessage) => ({ room: m.room, seq: m.seq, id: `${m.room}.${m.seq}`, from: m.from, text: m.text, at: m.at, ...(m.auction !== undefined ? { auction: m.auction } : {}) });
const summaryOut = (s: RoomSummary) => ({
  id: s.room.id, members: s.room.members, auctionId: s.room.auctionId, createdAt: s.room.createdAt,
  other: s.other, last: s.last === null ? null : messageOut(s.last), unread: s.unread, readSeq: s.readSeq, blocking: s.blocking,
});

export function chatRoutes(d: ChatHttpDeps): Router {
  const router = new Router();
  const auth = requireUser(d.auth);
  const { chat } = d;
  const room = (ctx: Context) => String(ctx.params.id);

  router.post('/chat/rooms', auth, async (ctx) => {
    const b = await readBody(ctx, OpenRoomBody, d.bodyLimitBytes);
    const { room: r, created } = await chat.openRoom(me(ctx), b.auctionId);
    ctx.status = created ? 201 : 200;
    ctx.body = { id: r.id, members: r.members, auctionId: r.auctionId, createdAt: r.createdAt, created };
  });

  router.get('/chat/rooms', auth, async (ctx) => {
    ctx.body = { items: (await chat.rooms(me(ctx))).map(summaryOut) };
  });

  router.get('/chat/rooms/:id/messages', auth, async (ctx) => {
    const before = queryInt(ctx, 'before', 1, SEQ_MAX);
    const after = queryInt(ctx, 'after', 0, SEQ_MAX);
    const limit = queryInt(ctx, 'limit', 1, chat.pageSize);
    const items = await chat.history(me(ctx), room(ctx), { ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}), ...(limit !== undefined ? { limit } : {}) });
    ctx.body = { items: items.map(messageOut) };
  });

  router.post('/chat/rooms/:id/block', auth, async (ctx) => {
    await noBody(ctx, d.bodyLimitBytes);
    await chat.block(me(ctx), room(ctx));
    ctx.status = 204;
  });

  router.delete('/chat/rooms/:id/block', auth, async (ctx) => {
    await noBody(ctx, d.bodyLimitBytes);
    await chat.unblock(me(ctx), room(ctx));
    ctx.status = 204;
  });

  router.post('/chat/rooms/:id/reports', auth, async (ctx) => {
    const b = await readBody(ctx, ReportBody, d.bodyLimitBytes);
    ctx.status = 201;
    ctx.body = await chat.report(me(ctx), room(ctx), b.seq, b.reason);
  });

  router.get('/admin/chat/reports', auth, async (ctx) => {
    const { userId, role } = identity(ctx);
    const items = await chat.reports({ userId, role }, queryInt(ctx, 'limit', 1, 200) ?? 50);
    ctx.body = { items: items.map((r) => ({ id: r.id, room: r.room, seq: r.seq, by: r.by, reason: r.reason, at: r.at, message: r.message === null ? null : messageOut(r.message) })) };
  });

  return router;
}
