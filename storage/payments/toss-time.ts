// Toss Payments writes times in Korea Standard Time (UTC+9, no daylight saving): with the offset in
// payment objects ("2022-01-01T11:31:51+09:00"), without it in the transaction query
// ("2022-01-01T00:00:00.000") and in webhook bodies ("2022-01-01T00:00:00.000000").
const KST_MS = 9 * 60 * 60 * 1000;

const local = (ms: number): string => new Date(ms + KST_MS).toISOString().slice(0, 23); // yyyy-MM-ddTHH:mm:ss.SSS

/** A payment object's time. */
export const tossDateTime = (ms: number): string => `${local(ms).slice(0, 19)}+09:00`;

/** A `startDate` / `endDate` of the transaction list. */
export const tossQueryDate = (ms: number): string => local(ms);

/** A webhook body's `createdAt`. */
export const tossWebhookTime = (ms: number): string => `${local(ms)}000`;

const QUERY_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?$/;

/** Reads a `startDate` / `endDate`; null when it is not one. */
export function parseTossQueryDate(text: string): number | null {
  if (!QUERY_DATE.test(text)) return null;
  const ms = Date.parse(`${text}+09:00`);
  return Number.isNaN(ms) ? null : ms;
}
