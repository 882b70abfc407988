// What every domain shares: identities, money, time. Plain types only.

export type UserId = string;
/** Epoch milliseconds on the server's clock. */
export type Millis = number;
/** Whole won. KRW has no minor unit. */
export type Won = number;

/** The only way rules read time, so tests drive it and never sleep. */
export interface Clock {
  now(): Millis;
}
