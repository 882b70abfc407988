// Snapshots in memory. A state is copied in and out (participants included), and never replaces a newer one.
import type { AuctionId, AuctionState } from '../../engine/index.ts';
import { MemoryLifecycle } from '../lifecycle.ts';
import type { SnapshotStore } from './ports.ts';

export class MemorySnapshots extends MemoryLifecycle implements SnapshotStore {
  constructor() {
    super('the memory snapshot store');
  }

  private readonly states = new Map<AuctionId, AuctionState>();

  async put(states: readonly AuctionState[]): Promise<void> {
    this.assertOpen();
    for (const s of states) {
      const old = this.states.get(s.spec.id);
      if (old === undefined || s.seq > old.seq) this.states.set(s.spec.id, structuredClone(s));
    }
  }

  async get(ids: readonly AuctionId[]): Promise<Map<AuctionId, AuctionState>> {
    this.assertOpen();
    const out = new Map<AuctionId, AuctionState>();
    for (const id of ids) {
      const s = this.states.get(id);
      if (s !== undefined) out.set(id, structuredClone(s));
    }
    return out;
  }
}
