// Recommendation rules (SPEC §8): groups, decay, co-bid similarity, ranking. Pure: no I/O, no clock.
export * from './group.ts';
export * from './signals.ts';
export * from './decay.ts';
export { DecayedScores } from './decayed-scores.ts';
export * from './similarity.ts';
export * from './tag-index.ts';
export * from './rank.ts';
export { topK, type Order } from './top.ts';
