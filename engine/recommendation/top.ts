// The k best of many without sorting them all: a bounded heap whose root is the worst item kept, so
// ranking 10,000 candidates for a page of 20 costs n log k, not n log n.

/** Negative when `a` ranks before `b`. */
export type Order<T> = (a: T, b: T) => number;

export function topK<T>(items: Iterable<T>, k: number, order: Order<T>): T[] {
  if (!(k > 0)) return [];
  // heap[0] is the worst item kept: the one `order` puts last.
  const heap: T[] = [];
  const worse = (i: number, j: number): boolean => order(heap[i], heap[j]) > 0;
  const swap = (i: number, j: number): void => {
    const x = heap[i];
    heap[i] = heap[j];
    heap[j] = x;
  };
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < heap.length && worse(l, w)) w = l;
      if (r < heap.length && worse(r, w)) w = r;
      if (w === i) return;
      swap(i, w);
      i = w;
    }
  };
  for (const item of items) {
    if (heap.length < k) {
      heap.push(item);
      for (let i = heap.length - 1; i > 0; ) {
        const p = (i - 1) >> 1;
        if (!worse(i, p)) break;
        swap(i, p);
        i = p;
      }
    } else if (order(item, heap[0]) < 0) {
      heap[0] = item;
      down(0);
    }
  }
  return heap.sort(order);
}
