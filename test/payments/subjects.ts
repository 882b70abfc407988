// The PaymentGateway adapters the contract suite runs over, each with the simulated Toss behind it, a
// clock the test moves, and the two ways a test steers the next call: a fault, or a Toss test code.
import { randomUUID } from 'node:crypto';
import type { Test } from 'tap';
import { MemoryPayments } from '../../storage/payments/memory.ts';
import type { PaymentGateway } from '../../storage/payments/ports.ts';
import type { Fault, SimulatedToss } from '../../storage/payments/simulated-toss.ts';
import { TossPayments } from '../../storage/payments/toss.ts';
import { FakeToss, TEST_SECRET_KEY } from '../fakes/toss.ts';

/** Monday 5 January 2026, 12:00 in Seoul. */
export const T0 = Date.UTC(2026, 0, 5, 3, 0, 0);
export const MINUTE = 60_000;

/** Toss's confirm and cancel deadline in these tests: long enough for a busy machine, short enough to wait out. */
export const WRITE_TIMEOUT_MS = 500;

export interface Clock { now(): number; advance(ms: number): void }

export function clock(start = T0): Clock {
  let at = start;
  return { now: () => at, advance: (ms) => { at += ms; } };
}

export interface Subject {
  gateway: PaymentGateway;
  /** The same payments, each call answered with that documented error (TossPayments-Test-Code). */
  withTestCode(code: string): PaymentGateway;
  failNext(fault: Fault): void;
  toss: SimulatedToss;
  clock: Clock;
}

export interface SubjectFactory {
  name: string;
  open(t: Test): Promise<Subject>;
}

export const subjects: SubjectFactory[] = [
  {
    name: 'memory',
    async open() {
      const c = clock();
      const gateway = new MemoryPayments({ now: c.now });
      return { gateway, withTestCode: (code) => gateway.withTestCode(code), failNext: (f) => gateway.failNext(f), toss: gateway.toss, clock: c };
    },
  },
  {
    name: 'toss against the loopback fake',
    async open(t) {
      const c = clock();
      const fake = await FakeToss.start({ now: c.now });
      t.teardown(() => fake.close());
      const gateway = new TossPayments({ secretKey: TEST_SECRET_KEY, baseUrl: fake.baseUrl, timeoutMs: WRITE_TIMEOUT_MS });
      return { gateway, withTestCode: (code) => gateway.withTestCode(code), failNext: (f) => fake.failNext(f), toss: fake.toss, clock: c };
    },
  },
];

/** An order id Toss accepts (6 to 64 of [A-Za-z0-9_-]). */
export const orderId = (): string => `ord_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
export const idempotencyKey = (): string => randomUUID();
