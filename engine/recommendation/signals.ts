// What a signal weighs (SPEC §8, as the seed had it): a wish says less about a taste than a bid.
export const SIGNAL_WEIGHTS = { wish: 1, bid: 2 } as const;
export type SignalKind = keyof typeof SIGNAL_WEIGHTS;

export function weightOf(kind: SignalKind): number {
  return SIGNAL_WEIGHTS[kind];
}
