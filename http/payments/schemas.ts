// Request bodies of the payments routes, as strict zod schemas (exactly the documented members): one
// source for parsing and for the OpenAPI document. Amounts are checked as whole won by the service too.
import { z } from 'zod';

const won = z.number().meta({ type: 'integer', minimum: 1, maximum: 1e12 });

export const ConfirmBody = z.strictObject({
  paymentKey: z.string().min(1).max(200).describe("the success redirect's paymentKey"),
  orderId: z.string().min(1).max(64).describe("the success redirect's orderId"),
  amount: won.describe("the success redirect's amount; must equal the order's"),
});

export const ShipBody = z.strictObject({
  carrier: z.string().trim().min(1).max(60),
  trackingNumber: z.string().trim().min(1).max(60),
});

export const RefundBody = z.strictObject({
  amount: won.optional().describe('default: all that is left to refund (an admin may refund part)'),
  reason: z.string().trim().min(1).max(200),
});
