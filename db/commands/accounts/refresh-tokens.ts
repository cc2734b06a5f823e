import { randomUUID } from "node:crypto";
import type { Knex } from "knex";
import { hashToken, randomToken } from "../../../lib/tokens";
import { User } from "../../models";
import { recordAudit } from "../record";

export interface IssueRefreshTokenProps {
  trx: Knex | Knex.Transaction;
  userId: string;
  /** The family (login session) the token continues; a login starts a new one. */
  familyId?: string;
  ttlSeconds: number;
  /** Where and when the session began; every token of the family carries it, so the session list survives pruning. */
  session: SessionOrigin;
}

/** What a session list shows of where a session began. */
export interface SessionOrigin {
  ip: string | null;
  userAgent: string | null;
  /** When the login happened; a new session: now. */
  createdAt?: Date;
}

/** Stores a new refresh token (only its hash) and returns the token itself. */
export async function issueRefreshToken({
  trx,
  userId,
  familyId,
  ttlSeconds,
  session,
}: IssueRefreshTokenProps): Promise<string> {
  const token = randomToken();
  await trx("refresh_tokens").insert({
    userId,
    familyId: familyId ?? randomUUID(),
    tokenHash: hashToken(token),
    expiresAt: trx.raw("now() + ?::int * interval '1 second'", [ttlSeconds]),
    ip: session.ip,
    userAgent: session.userAgent,
    sessionCreatedAt: session.createdAt ?? trx.fn.now(),
    lastUsedAt: trx.fn.now(),
  });
  return token;
}

export interface StartSessionProps {
  db: Knex | Knex.Transaction;
  userId: string;
  ttlSeconds: number;
  /** The client that logged in (shown in the session list); scripts and tests may leave it out. */
  ip?: string | null;
  userAgent?: string | null;
}

/** A new login session: a refresh-token family whose id the access tokens carry as `sid`. */
export async function startSession({
  db,
  userId,
  ttlSeconds,
  ip,
  userAgent,
}: StartSessionProps): Promise<{ sessionId: string; refreshToken: string }> {
  const sessionId = randomUUID();
  const refreshToken = await issueRefreshToken({
    trx: db,
    userId,
    familyId: sessionId,
    ttlSeconds,
    session: { ip: ip ?? null, userAgent: userAgent ?? null },
  });
  return { sessionId, refreshToken };
}

/**
 * The user an access token names, in one query: only while they exist, are not disabled or being
 * deleted, and the token's session still stands (some token of its family is not revoked).
 * Undefined otherwise. Logout, reuse detection, disabling the user and every "end sessions" action
 * revoke families, so access tokens of that session stop at their next request.
 */
export async function findSessionUser(
  db: Knex,
  { userId, sessionId }: { userId: string; sessionId: string },
): Promise<User | undefined> {
  return User.query(db)
    .findById(userId)
    .whereNull("disabledAt")
    .whereNull("deletionRequestedAt")
    .whereExists(
      db("refresh_tokens").where({ familyId: sessionId, userId }).whereNull("revokedAt").select(db.raw("1")),
    );
}

export interface RotateRefreshTokenProps {
  db: Knex;
  token: string;
  ttlSeconds: number;
  ip: string;
}

export type RotateRefreshTokenResult =
  { ok: true; user: User; refreshToken: string; sessionId: string } | { ok: false; reason: "invalid" | "reused" };

/**
 * Spends a refresh token and issues its successor in the same family. A token that was already
 * spent means it leaked (or two clients share it): the whole family is revoked, so the newest token
 * stops working too. Unknown, expired, revoked tokens and tokens of disabled users are "invalid".
 */
export async function rotateRefreshToken({
  db,
  token,
  ttlSeconds,
  ip,
}: RotateRefreshTokenProps): Promise<RotateRefreshTokenResult> {
  const tokenHash = hashToken(token);
  return db.transaction(async (trx) => {
    const [spent] = await trx("refresh_tokens")
      .where({ tokenHash })
      .whereNull("usedAt")
      .whereNull("revokedAt")
      .where("expiresAt", ">", trx.fn.now())
      .update({ usedAt: trx.fn.now() }, ["userId", "familyId", "ip", "userAgent", "sessionCreatedAt"]);
    if (!spent) {
      const known = await trx("refresh_tokens").where({ tokenHash }).first("userId", "familyId", "usedAt");
      if (!known?.usedAt) return { ok: false, reason: "invalid" } as const;
      const revoked = await revokeFamily(trx, known.familyId);
      await recordAudit(trx, {
        actorId: null,
        action: "user.refresh_token_reused",
        targetType: "user",
        targetId: known.userId,
        ip,
        details: { familyId: known.familyId, tokensRevoked: revoked },
      });
      return { ok: false, reason: "reused" } as const;
    }
    const user = await User.query(trx).findById(spent.userId);
    if (!user || user.disabledAt || user.deletionRequestedAt) {
      await revokeFamily(trx, spent.familyId);
      return { ok: false, reason: "invalid" } as const;
    }
    const refreshToken = await issueRefreshToken({
      trx,
      userId: user.id,
      familyId: spent.familyId,
      ttlSeconds,
      session: { ip: spent.ip, userAgent: spent.userAgent, createdAt: spent.sessionCreatedAt ?? undefined },
    });
    return { ok: true, user, refreshToken, sessionId: spent.familyId } as const;
  });
}

/** Logout: revokes the token's whole family (that login session). False when the token is unknown. */
export async function revokeRefreshToken({ db, token }: { db: Knex; token: string }): Promise<boolean> {
  return db.transaction(async (trx) => {
    const known = await trx("refresh_tokens")
      .where({ tokenHash: hashToken(token) })
      .first("familyId");
    if (!known) return false;
    await revokeFamily(trx, known.familyId);
    return true;
  });
}

/** Logout with an access token: revokes the family of its session. */
export async function revokeSession(
  db: Knex,
  { userId, sessionId }: { userId: string; sessionId: string },
): Promise<void> {
  await db("refresh_tokens")
    .where({ familyId: sessionId, userId })
    .whereNull("revokedAt")
    .update({ revokedAt: db.fn.now() });
}

/** Revokes every live refresh token of a user (on disable); returns how many. */
export async function revokeUserRefreshTokens(trx: Knex.Transaction, userId: string): Promise<number> {
  return trx("refresh_tokens").where({ userId }).whereNull("revokedAt").update({ revokedAt: trx.fn.now() });
}

async function revokeFamily(trx: Knex.Transaction, familyId: string): Promise<number> {
  return trx("refresh_tokens").where({ familyId }).whereNull("revokedAt").update({ revokedAt: trx.fn.now() });
}
