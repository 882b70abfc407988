// Price prediction's pure rules (SPEC §8): no I/O, no clock; time is passed in.
export * from './types.ts';
export * from './rules.ts';
export * from './normalize.ts';
export * from './stats.ts';
export * from './sanity.ts';
export * from './fallback.ts';
export * from './decide.ts';
