// The chat routes (http/chat/) in the OpenAPI document.
import { fromZod } from '../openapi-zod.ts';
import { bearer, idParam, json, millis, P400, P401, P404, P409, P503, problem, ref, type ApiFragment } from '../openapi-kit.ts';
import { OpenRoomBody, ReportBody } from './schemas.ts';

const roomId = idParam('the room id');
const seqQuery = (name: string, description: string) => ({ name, in: 'query', required: false, schema: { type: 'integer', minimum: 0 }, description });
const common = { 401: P401, 503: P503 };

export function chatApi(): ApiFragment {
  return {
    schemas: {
      ChatMessage: {
        type: 'object', required: ['room', 'seq', 'id', 'from', 'text', 'at'],
        properties: {
          room: { type: 'string' }, seq: { type: 'integer', minimum: 1 }, id: { type: 'string' }, from: { type: 'string' }, text: { type: 'string' }, at: millis,
          auction: { type: 'string', description: 'the auction the message is about, when its sender named one' },
        },
      },
      ChatRoom: {
        type: 'object', required: ['id', 'members', 'auctionId', 'createdAt'],
        properties: {
          id: { type: 'string' }, members: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2 },
          auctionId: { type: ['string', 'null'] }, createdAt: millis, created: { type: 'boolean', description: 'true when this request opened it' },
        },
      },
      ChatRoomSummary: {
        type: 'object', required: ['id', 'members', 'auctionId', 'createdAt', 'other', 'last', 'unread', 'readSeq', 'blocking'],
        properties: {
          id: { type: 'string' }, members: { type: 'array', items: { type: 'string' } }, auctionId: { type: ['string', 'null'] }, createdAt: millis,
          other: { type: 'string', description: 'the other member' },
          last: { oneOf: [ref('ChatMessage'), { type: 'null' }] },
          unread: { type: 'integer', minimum: 0, description: 'messages after my read position' },
          readSeq: { type: 'integer', minimum: 0 },
          blocking: { type: 'boolean', description: 'whether I block the other member' },
        },
      },
    },
    paths: {
      '/api/v1/chat/rooms': {
        post: {
          summary: 'open, or find, the room between me and the seller of an auction (one room per pair)', tags: ['chat'], security: bearer,
          requestBody: { required: true, content: { 'application/json': { schema: fromZod(OpenRoomBody) } } },
          responses: {
            200: json(ref('ChatRoom'), 'the pair already had this room'), 201: json(ref('ChatRoom'), 'opened'),
            400: problem('invalid request, or my own auction (CHAT_OWN_AUCTION)'), 404: problem('no such auction (NOT_FOUND)'),
            409: problem('I opened CHAT_MAX_ROOMS_PER_USER rooms already (CHAT_TOO_MANY_ROOMS)'), ...common,
          },
        },
        get: {
          summary: 'my rooms, latest activity first, with the last message and the unread count', tags: ['chat'], security: bearer,
          responses: { 200: json({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: ref('ChatRoomSummary') } } }), ...common },
        },
      },
      '/api/v1/chat/rooms/{id}/messages': {
        get: {
          summary: 'history by cursor, in seq order: after `after` (oldest first), else the latest before `before`', tags: ['chat'], security: bearer,
          parameters: [
            roomId, seqQuery('before', 'only seqs below this'), seqQuery('after', 'only seqs above this'),
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1 }, description: 'at most CHAT_PAGE_SIZE (the default)' },
          ],
          responses: { 200: json({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: ref('ChatMessage') } } }), 400: P400, 404: problem('no such room, or not a member (NOT_FOUND)'), ...common },
        },
      },
      '/api/v1/chat/rooms/{id}/block': {
        post: {
          summary: "block the other member: their messages are refused with BLOCKED", tags: ['chat'], security: bearer, parameters: [roomId],
          responses: { 204: { description: 'done' }, 404: problem('no such room, or not a member (NOT_FOUND)'), ...common },
        },
        delete: {
          summary: 'unblock the other member', tags: ['chat'], security: bearer, parameters: [roomId],
          responses: { 204: { description: 'done' }, 404: problem('no such room, or not a member (NOT_FOUND)'), ...common },
        },
      },
      '/api/v1/chat/rooms/{id}/reports': {
        post: {
          summary: 'report a message of the room to the admins (again: the first report stays)', tags: ['chat'], security: bearer, parameters: [roomId],
          requestBody: { required: true, content: { 'application/json': { schema: fromZod(ReportBody) } } },
          responses: {
            201: json({ type: 'object', required: ['id'], properties: { id: { type: 'string' } } }), 400: P400,
            404: problem('no such room or message, or not a member (NOT_FOUND)'), 409: P409, ...common,
          },
        },
      },
      '/api/v1/admin/chat/reports': {
        get: {
          summary: 'admins: the latest reports, newest first, each with the message it names', tags: ['chat', 'admin'], security: bearer,
          parameters: [{ name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } }],
          responses: {
            200: json({
              type: 'object', required: ['items'],
              properties: {
                items: {
                  type: 'array',
                  items: {
                    type: 'object', required: ['id', 'room', 'seq', 'by', 'reason', 'at', 'message'],
                    properties: {
                      id: { type: 'string' }, room: { type: 'string' }, seq: { type: 'integer' }, by: { type: 'string' }, reason: { type: 'string' },
                      at: { type: 'integer' }, message: { anyOf: [ref('ChatMessage'), { type: 'null' }] },
                    },
                  },
                },
              },
            }),
            400: P400, 403: problem('not an admin (FORBIDDEN)'), ...common,
          },
        },
      },
    },
  };
}
