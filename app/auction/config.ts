// The auction section of the configuration: the journal's group commit and snapshots.
import { z } from 'zod';
import { int, type EnvOf } from '../config-env.ts';

export const auctionEnv = {
  JOURNAL_MAX_PENDING: int(100_000, 1, 10_000_000),
  JOURNAL_LANES: z.coerce.number().int().min(1).max(64).optional(),
  SNAPSHOT_EVERY: int(256, 1, 1_000_000),
};

export interface AuctionConfig {
  /** lanes: group committers in parallel (app/auction/lanes.ts); null picks by store (SQLite 2, MySQL 4). */
  journal: { maxPending: number; snapshotEvery: number; lanes: number | null };
}

export function auctionConfig(e: EnvOf<typeof auctionEnv>): AuctionConfig {
  return { journal: { maxPending: e.JOURNAL_MAX_PENDING, snapshotEvery: e.SNAPSHOT_EVERY, lanes: e.JOURNAL_LANES ?? null } };
}
