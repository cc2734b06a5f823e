import type { Knex } from "knex";
import { recordAudit } from "../record";
import { endSessions } from "./password";

export interface SessionRow {
  /** The refresh-token family's id: what access tokens carry as `sid`. */
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  ip: string | null;
  userAgent: string | null;
}

/**
 * The user's live sessions, most recently used first: one per refresh-token family whose newest
 * token is neither spent, revoked nor expired (rotation leaves exactly one such token per family).
 */
export async function listSessions(db: Knex, userId: string): Promise<SessionRow[]> {
  const rows = await db("refresh_tokens")
    .where({ userId })
    .whereNull("usedAt")
    .whereNull("revokedAt")
    .where("expiresAt", ">", db.fn.now())
    .orderBy([
      { column: "lastUsedAt", order: "desc" },
      { column: "familyId", order: "asc" },
    ])
    .limit(1000)
    .select("familyId", "ip", "userAgent", "sessionCreatedAt", "lastUsedAt", "createdAt");
  return rows.map((row) => ({
    id: row.familyId,
    createdAt: row.sessionCreatedAt ?? row.createdAt,
    lastUsedAt: row.lastUsedAt ?? row.createdAt,
    ip: row.ip,
    userAgent: row.userAgent,
  }));
}

export interface EndSessionProps {
  db: Knex;
  userId: string;
  sessionId: string;
  ip: string;
}

/** Ends one of the user's sessions (its family revoked); false when the user has no such live session. */
export async function endSession({ db, userId, sessionId, ip }: EndSessionProps): Promise<boolean> {
  return db.transaction(async (trx) => {
    const revoked = await trx("refresh_tokens")
      .where({ userId, familyId: sessionId })
      .whereNull("revokedAt")
      .update({ revokedAt: trx.fn.now() });
    if (!revoked) return false;
    await recordAudit(trx, {
      actorId: userId,
      action: "user.session_ended",
      targetType: "user",
      targetId: userId,
      ip,
      details: { sessionId },
    });
    return true;
  });
}

/** Ends every session of the user but `keep` (the caller's); returns how many ended. */
export async function endOtherSessions({
  db,
  userId,
  keep,
  ip,
}: {
  db: Knex;
  userId: string;
  keep: string;
  ip: string;
}): Promise<number> {
  return db.transaction(async (trx) => {
    const ended = await endSessions(trx, userId, keep);
    if (ended)
      await recordAudit(trx, {
        actorId: userId,
        action: "user.sessions_ended",
        targetType: "user",
        targetId: userId,
        ip,
        details: { sessionsEnded: ended },
      });
    return ended;
  });
}
