// The one error registry: every domain's fragment (engine/<domain>/errors.ts) merged, each code once.
// A code is stable: never renamed, never reused once retired. docs/errors.md lists them all (a test
// holds it to this registry). A new domain adds its fragment to FRAGMENTS.
import { ACCOUNT_ERRORS } from './accounts/errors.ts';
import { AUCTION_ERRORS } from './auction/errors.ts';
import { CHAT_ERRORS } from './chat/errors.ts';
import { COMMON_ERRORS } from './common/errors.ts';
import type { CodeInfo, ErrorFragment } from './error-info.ts';
import { MARKET_ERRORS } from './market/errors.ts';
import { PAYMENT_ERRORS } from './payments/errors.ts';
import { SETTLEMENT_ERRORS } from './settlement/errors.ts';

export type { CodeInfo, ErrorFragment, SocketMeaning } from './error-info.ts';

/** Each domain's fragment by domain name; the order is the registry's order. */
export const FRAGMENTS = {
  common: COMMON_ERRORS,
  auction: AUCTION_ERRORS,
  accounts: ACCOUNT_ERRORS,
  market: MARKET_ERRORS,
  payments: PAYMENT_ERRORS,
  settlement: SETTLEMENT_ERRORS,
  chat: CHAT_ERRORS,
} as const;

type Fragments = typeof FRAGMENTS;
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
/** Every fragment's codes in one type: what ERRORS holds. */
type Merged = UnionToIntersection<Fragments[keyof Fragments]>;

/** Merge fragments; a code declared twice is a programming error, caught when the module loads. */
export function mergeFragments(fragments: Readonly<Record<string, ErrorFragment>>): Record<string, CodeInfo> {
  const out: Record<string, CodeInfo> = {};
  const owner = new Map<string, string>();
  for (const [domain, fragment] of Object.entries(fragments)) {
    for (const [code, info] of Object.entries(fragment)) {
      const had = owner.get(code);
      if (had !== undefined) throw new Error(`error code ${code} is declared by both ${had} and ${domain}`);
      owner.set(code, domain);
      out[code] = info;
    }
  }
  return out;
}

export const ERRORS = mergeFragments(FRAGMENTS) as unknown as Readonly<Merged>;

export type ErrorCode = keyof Merged & string;

export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

/** The domain that declares a code. */
export function domainOf(code: ErrorCode): keyof Fragments {
  for (const [domain, fragment] of Object.entries(FRAGMENTS)) if (Object.hasOwn(fragment, code)) return domain as keyof Fragments;
  throw new Error(`unknown error code ${code}`);
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERRORS, code);
}

/** An error carrying a registry code; thrown at boundaries (HTTP, config, storage), never inside rules. */
export class OkjError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? ERRORS[code].message);
    this.name = 'OkjError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = details;
  }
}
