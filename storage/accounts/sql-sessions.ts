// Sessions and their refresh tokens on SQL, over the shared database handle (storage/sql/database.ts):
// reads on its connection, every write through write(). A refresh token is spent by a write that expects
// its conditional UPDATE (`spent_at IS NULL`) to take, so of two rotations of one token exactly one wins;
// the other reads again and sees a reuse.
import type { Millis, UserId } from '../../engine/index.ts';
import type { RotateResult, Session, SessionStore } from './ports.ts';
import type { SqlDatabase } from '../sql/database.ts';
import { TABLES } from '../sql/tables.ts';
import { statement } from '../sql/write.ts';
import { guarded, retried } from './sql-errors.ts';

function sessionFromRow(r: Record<string, unknown>): Session {
  return {
    id: r.id as string,
    userId: r.user_id as string,
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    revokedAt: r.revoked_at === null || r.revoked_at === undefined ? null : Number(r.revoked_at),
  };
}

export class SqlSessions implements SessionStore {
  constructor(private readonly db: SqlDatabase) {}

  private get q(): SqlDatabase['builder'] {
    return this.db.builder;
  }

  open(session: Session, tokenHash: string, tokenExpiresAt: Millis): Promise<void> {
    return guarded('session open', async () => {
      await this.db.write([
        statement(this.q(TABLES.sessions).insert({
          id: session.id, user_id: session.userId, created_at: session.createdAt, expires_at: session.expiresAt, revoked_at: session.revokedAt,
        })),
        statement(this.q(TABLES.refreshTokens).insert({ token_hash: tokenHash, session_id: session.id, expires_at: tokenExpiresAt, spent_at: null })),
      ]);
    });
  }

  rotate(oldHash: string, newHash: string, now: Millis, newExpiresAt: Millis): Promise<RotateResult> {
    // Read, decide, then write with the token's spend expected to take (exactly one of two rotations
    // of one token does): the one that finds it spent reads again and sees a reuse.
    return guarded('rotate', () => retried(async (): Promise<RotateResult> => {
      const [token] = await this.db.read(this.q(TABLES.refreshTokens).where({ token_hash: oldHash }).first());
      if (token === undefined) return { kind: 'invalid' };
      const [row] = await this.db.read(this.q(TABLES.sessions).where({ id: token.session_id }).first());
      const session = row === undefined ? null : sessionFromRow(row);
      const spendable = token.spent_at === null && Number(token.expires_at) > now;
      if (!spendable) {
        if (session === null || session.revokedAt !== null || token.spent_at === null) return { kind: 'invalid' }; // gone, revoked, or unspent but expired
        // Spent before (or by a rotation that won the race): reuse, and the family is revoked.
        await this.db.write([statement(this.q(TABLES.sessions).where({ id: session.id }).whereNull('revoked_at').update({ revoked_at: now }))]);
        return { kind: 'reused', session: { ...session, revokedAt: now } };
      }
      const spend = statement(this.q(TABLES.refreshTokens).where({ token_hash: oldHash }).whereNull('spent_at').where('expires_at', '>', now)
        .update({ spent_at: now }), { exactly: 1 });
      // A token of a session that is gone, revoked or past its end is spent all the same, and nothing is issued.
      if (session === null || session.revokedAt !== null || session.expiresAt <= now) {
        await this.db.write([spend]);
        return { kind: 'invalid' };
      }
      await this.db.write([
        spend,
        // The session still stands as read (a revocation in between makes this write a conflict).
        statement(this.q(TABLES.sessions).where({ id: session.id }).whereNull('revoked_at').update({ revoked_at: null }), { exactly: 1 }),
        statement(this.q(TABLES.refreshTokens).insert({
          token_hash: newHash, session_id: session.id, expires_at: Math.min(newExpiresAt, session.expiresAt), spent_at: null,
        })),
      ]);
      return { kind: 'rotated', session };
    }));
  }

  revoke(sessionId: string, at: Millis): Promise<boolean> {
    return guarded('revoke', async () => {
      const [n] = await this.db.write([statement(this.q(TABLES.sessions).where({ id: sessionId }).whereNull('revoked_at').update({ revoked_at: at }))]);
      return n > 0;
    });
  }

  revokeAllOf(userId: UserId, at: Millis, keep?: string): Promise<string[]> {
    // A read, then one write: a session revoked by someone else in between is reported too, which costs nothing.
    return guarded('revoke all', async () => {
      const q = this.q(TABLES.sessions).select('id').where({ user_id: userId }).whereNull('revoked_at');
      if (keep !== undefined) q.whereNot({ id: keep });
      const ids = (await this.db.read<{ id: string }>(q)).map((r) => r.id);
      if (ids.length > 0) await this.db.write([statement(this.q(TABLES.sessions).whereIn('id', ids).whereNull('revoked_at').update({ revoked_at: at }))]);
      return ids;
    });
  }

  get(sessionId: string): Promise<Session | null> {
    return guarded('session read', async () => {
      const [r] = await this.db.read(this.q(TABLES.sessions).where({ id: sessionId }).first());
      return r === undefined ? null : sessionFromRow(r);
    });
  }
}
