// A FIFO ring buffer for an actor's mailbox, after undici's fixed-queue.
//
//   head ->[ a | b | c |   |   ]<- tail        size = (tail - head) & mask
//
// Invariants: capacity is a power of two; one slot stays empty so head === tail means empty;
// it grows by doubling when full, and is allocated only when first needed, so an idle actor costs nothing.
export class Mailbox<T> {
  private buf: (T | undefined)[] | null = null;
  private head = 0;
  private tail = 0;

  get size(): number {
    return this.buf === null ? 0 : (this.tail - this.head) & (this.buf.length - 1);
  }

  push(item: T): void {
    if (this.buf === null) this.buf = new Array<T | undefined>(8);
    const mask = this.buf.length - 1;
    if (((this.tail + 1) & mask) === this.head) this.grow();
    this.buf[this.tail] = item;
    this.tail = (this.tail + 1) & (this.buf.length - 1);
  }

  shift(): T | undefined {
    if (this.buf === null || this.head === this.tail) return undefined;
    const item = this.buf[this.head];
    this.buf[this.head] = undefined; // let the command be collected
    this.head = (this.head + 1) & (this.buf.length - 1);
    return item;
  }

  private grow(): void {
    const old = this.buf as (T | undefined)[];
    const next = new Array<T | undefined>(old.length * 2);
    let n = 0;
    for (let i = this.head; i !== this.tail; i = (i + 1) & (old.length - 1)) next[n++] = old[i];
    this.buf = next;
    this.head = 0;
    this.tail = n;
  }
}
