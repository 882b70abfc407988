// A value that components can follow: the app's few pieces of shared state (the session, the
// language, the location, the toasts) are each one of these.
import { useEffect, useState } from 'preact/hooks';

export interface Store<T> {
  get(): T;
  set(value: T): void;
  /** Listen; returns the function that stops listening. */
  subscribe(fn: (value: T) => void): () => void;
}

export function store<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<(value: T) => void>();
  return {
    get: () => value,
    set(next) {
      if (Object.is(next, value)) return;
      value = next;
      for (const fn of [...listeners]) fn(value);
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}

/** The store's value, re-rendering the component when it changes. */
export function useStore<T>(s: Store<T>): T {
  const value = s.get();
  const [, bump] = useState(0);
  useEffect(() => {
    const changed = () => bump((n) => n + 1);
    // A change between this render and the effect (which runs later) would otherwise be missed.
    if (!Object.is(s.get(), value)) changed();
    return s.subscribe(changed);
  }, [s]);
  return value;
}
