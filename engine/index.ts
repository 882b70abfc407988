// The engine's public surface: pure auction rules, actors and their registry. No I/O.
export * from './types.ts';
export * from './errors.ts';
export * from './money.ts';
export * from './rules.ts';
export * from './actor.ts';
export * from './registry.ts';
export * from './replies.ts';
export * from './clock.ts';
export { Mailbox } from './mailbox.ts';
export * from './mask.ts';
