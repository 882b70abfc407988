// A typed event emitter of one argument per event, for browsers and Node alike. A listener that throws
// does not break the emitter's caller (the socket's state machine): its error is rethrown on its own,
// where the environment reports uncaught errors.

export type Listener<T> = (event: T) => void;

export class Emitter<E extends object> {
  private readonly listeners = new Map<keyof E, Set<Listener<never>>>();

  /** Listen; returns the function that stops listening. */
  on<K extends keyof E>(name: K, fn: Listener<E[K]>): () => void {
    let set = this.listeners.get(name);
    if (set === undefined) this.listeners.set(name, (set = new Set()));
    set.add(fn as Listener<never>);
    return () => this.off(name, fn);
  }

  off<K extends keyof E>(name: K, fn: Listener<E[K]>): void {
    this.listeners.get(name)?.delete(fn as Listener<never>);
  }

  /** The next event of this name. */
  once<K extends keyof E>(name: K): Promise<E[K]> {
    return new Promise((resolve) => {
      const stop = this.on(name, (e) => {
        stop();
        resolve(e);
      });
    });
  }

  protected emit<K extends keyof E>(name: K, event: E[K]): void {
    const set = this.listeners.get(name);
    if (set === undefined) return;
    for (const fn of [...set]) {
      try {
        (fn as Listener<E[K]>)(event);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}
