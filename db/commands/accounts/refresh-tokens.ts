import { randomUUID } from "node:crypto";
import type { Knex } from "knex";
import { hashToken, randomToken } from "../../../lib/tokens";
import { User } from "../../models";
import { recordAudit } from "../record";

export interface IssueRefreshTokenProps {
  trx: Knex.Transaction;
  userId: string;
  /** The family (login session) the token continues; a login starts a new one. */
  familyId?: string;
  ttlSeconds: number;
}

/** Stores a new refresh token (only its hash) and returns the token itself. */
export async function issueRefreshToken({ trx, userId, familyId, ttlSeconds }: IssueRefreshTokenProps): Promise<string> {
  const token = randomToken();
  await trx("refresh_tokens").insert({
    userId,
    familyId: familyId ?? randomUUID(),
    tokenHash: hashToken(token),
    expiresAt: trx.raw("now() + ?::int * interval '1 second'", [ttlSeconds]),
  });
  return token;
}

export interface RotateRefreshTokenProps {
  db: Knex;
  token: string;
  ttlSeconds: number;
  ip: string;
}

export type RotateRefreshTokenResult =
  | { ok: true; user: User; refreshToken: string }
  | { ok: false; reason: "invalid" | "reused" };

/**
 * Spends a refresh token and issues its successor in the same family. A token that was already
 * spent means it leaked (or two clients share it): the whole family is revoked, so the newest token
 * stops working too. Unknown, expired, revoked tokens and tokens of disabled users are "invalid".
 */
export async function rotateRefreshToken({ db, token, ttlSeconds, ip }: RotateRefreshTokenProps): Promise<RotateRefreshTokenResult> {
  const tokenHash = hashToken(token);
  return db.transaction(async (trx) => {
    const [spent] = await trx("refresh_tokens")
      .where({ tokenHash })
      .whereNull("usedAt")
      .whereNull("revokedAt")
      .where("expiresAt", ">", trx.fn.now())
      .update({ usedAt: trx.fn.now() }, ["userId", "familyId"]);
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
    if (!user || user.disabledAt) {
      await revokeFamily(trx, spent.familyId);
      return { ok: false, reason: "invalid" } as const;
    }
    const refreshToken = await issueRefreshToken({ trx, userId: user.id, familyId: spent.familyId, ttlSeconds });
    return { ok: true, user, refreshToken } as const;
  });
}

/** Logout: revokes the token's whole family (that login session). False when the token is unknown. */
export async function revokeRefreshToken({ db, token }: { db: Knex; token: string }): Promise<boolean> {
  return db.transaction(async (trx) => {
    const known = await trx("refresh_tokens").where({ tokenHash: hashToken(token) }).first("familyId");
    if (!known) return false;
    await revokeFamily(trx, known.familyId);
    return true;
  });
}

/** Revokes every live refresh token of a user (on disable); returns how many. */
export async function revokeUserRefreshTokens(trx: Knex.Transaction, userId: string): Promise<number> {
  return trx("refresh_tokens").where({ userId }).whereNull("revokedAt").update({ revokedAt: trx.fn.now() });
}

async function revokeFamily(trx: Knex.Transaction, familyId: string): Promise<number> {
  return trx("refresh_tokens").where({ familyId }).whereNull("revokedAt").update({ revokedAt: trx.fn.now() });
}
