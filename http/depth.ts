// How deep a request body or a socket frame may nest arrays and objects. The deepest the API takes is
// two levels ({softClose: {...}}, {tags: [...]}, a sub frame's since); far deeper is only ever an attack
// on recursive code (JSON.stringify, structuredClone and MessagePack readers overflow the stack), so it
// is refused where it comes in, before anything serializes, fingerprints or stores it.
export const MAX_DEPTH = 32;

/** True when `value` nests arrays or objects more than `max` deep ({} and [] are 1 deep). Iterative: never overflows. */
export function deeperThan(value: unknown, max: number): boolean {
  const values: unknown[] = [value];
  const depths: number[] = [0];
  while (values.length > 0) {
    const v = values.pop();
    const above = depths.pop() as number;
    // Bytes (a MessagePack bin) are a leaf, however long.
    if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) continue;
    if (above + 1 > max) return true;
    for (const child of Object.values(v)) {
      if (typeof child !== 'object' || child === null) continue; // a scalar adds no depth
      values.push(child);
      depths.push(above + 1);
    }
  }
  return false;
}
