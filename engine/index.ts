// The engine's public surface: what every domain shares (identities, money, time, the error registry)
// and the auction domain's rules, actors and registry. Pure: no I/O. Other domains are imported from
// their own folders (engine/<domain>/).
export * from './kernel.ts';
export * from './errors.ts';
export * from './money.ts';
export * from './clock.ts';
export * from './auction/model.ts';
export * from './auction/rules.ts';
export * from './auction/actor.ts';
export * from './auction/registry.ts';
export * from './auction/replies.ts';
export { Mailbox } from './auction/mailbox.ts';
export * from './auction/mask.ts';
export * from './auction/views.ts';
export * from './logger.ts';
export * from './auction/api.ts';
export * from './auction/best-bids.ts';
