// The auction board in memory: one process's readers only. A view never replaces a newer one.
import type { AuctionId } from '../../engine/index.ts';
import { MemoryLifecycle } from '../lifecycle.ts';
import type { AuctionBoard, AuctionView } from './ports.ts';

export class MemoryBoard extends MemoryLifecycle implements AuctionBoard {
  constructor() {
    super('the memory board');
  }

  private readonly views = new Map<AuctionId, AuctionView>();

  async put(views: readonly AuctionView[]): Promise<void> {
    this.assertOpen();
    for (const v of views) {
      const old = this.views.get(v.auction);
      if (old === undefined || v.seq > old.seq) this.views.set(v.auction, { ...v });
    }
  }

  async get(ids: readonly AuctionId[]): Promise<Map<AuctionId, AuctionView>> {
    this.assertOpen();
    const out = new Map<AuctionId, AuctionView>();
    for (const id of ids) {
      const v = this.views.get(id);
      if (v !== undefined) out.set(id, { ...v });
    }
    return out;
  }
}
