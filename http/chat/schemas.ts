// Request bodies of the chat routes, strict: one source for parsing and for the OpenAPI document.
import { z } from 'zod';

export const OpenRoomBody = z.strictObject({
  auctionId: z.string().min(1).max(64).describe('the auction the room is opened from; its seller is the other member'),
});

export const ReportBody = z.strictObject({
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).describe('the reported message'),
  reason: z.string().min(1).max(500),
});
