// Values nested far deeper than anything the API takes: what an attacker sends to make a recursive
// JSON.stringify (or structuredClone, or a MessagePack reader) overflow the stack. Built iteratively.

/** Arrays nested `depth` deep: [[[...]]]. */
export function deepArray(depth: number): unknown[] {
  let v: unknown[] = [];
  for (let i = 1; i < depth; i++) v = [v];
  return v;
}

/** The JSON text of deepArray(depth), without building it. */
export const deepJson = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

/** Deep enough to overflow the stack of every recursive serializer Node has (JSON, structuredClone, msgpackr). */
export const OVERFLOWING = 100_000;
