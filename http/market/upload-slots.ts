// Uploads being received at once, capped per user and per process: each holds sockets, parser and
// stream buffers, a temporary file and disk bandwidth until it ends, so without a cap enough concurrent
// uploads exhaust the server. Past a cap the upload is refused before its body is read.
import { OkjError, type UserId } from '../../engine/index.ts';

export class UploadSlots {
  private total = 0;
  private readonly byUser = new Map<UserId, number>();

  constructor(private readonly max: number, private readonly maxPerUser: number) {}

  /** A slot for `user`, or TOO_MANY_UPLOADS / UPLOADS_BUSY; the returned function gives it back (once). */
  take(user: UserId): () => void {
    const mine = this.byUser.get(user) ?? 0;
    if (mine >= this.maxPerUser) throw new OkjError('TOO_MANY_UPLOADS', `at most ${this.maxPerUser} uploads in progress per user`);
    if (this.total >= this.max) throw new OkjError('UPLOADS_BUSY', `the server is receiving ${this.max} uploads already`);
    this.total++;
    this.byUser.set(user, mine + 1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.total--;
      const left = (this.byUser.get(user) ?? 1) - 1;
      if (left === 0) this.byUser.delete(user);
      else this.byUser.set(user, left);
    };
  }
}
