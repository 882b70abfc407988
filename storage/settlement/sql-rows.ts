// Settlement's rows as the SQL adapters read them, and how their failures surface.
import { unavailable } from '../sql/errors.ts';

export type Row = Record<string, unknown>;

export const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));

/** Any failure as StoreUnavailableError (a WriteConflictError passes through). */
export async function guarded<R>(what: string, f: () => Promise<R>): Promise<R> {
  try {
    return await f();
  } catch (err) {
    throw unavailable('SQL settlement store', what, err);
  }
}
