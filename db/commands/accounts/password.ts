import type { Knex } from "knex";
import { DomainError } from "../../../lib/domain-errors";
import { hashPassword, verifyPassword } from "../../../lib/passwords";
import { hashToken, randomToken } from "../../../lib/tokens";
import { User } from "../../models";
import { recordAudit } from "../record";
import { findUserByEmail } from "./users";

export interface RequestPasswordResetProps {
  db: Knex;
  email: string;
  ttlSeconds: number;
}

/**
 * A fresh single-use reset token for the account with this address, or null when there is none
 * that may reset (unknown, disabled or being deleted). Known or not, the same work is done: a token
 * is made and hashed and one transaction runs, so the caller's answer and timing tell nothing.
 * Older reset links stay valid until they expire or one of them is used.
 */
export async function requestPasswordReset({
  db,
  email,
  ttlSeconds,
}: RequestPasswordResetProps): Promise<{ user: User; token: string } | null> {
  const token = randomToken();
  const tokenHash = hashToken(token);
  return db.transaction(async (trx) => {
    const user = await findUserByEmail(trx, email);
    if (!user || user.disabledAt || user.deletionRequestedAt) return null;
    await trx("password_resets").insert({
      userId: user.id,
      tokenHash,
      expiresAt: trx.raw("now() + ?::int * interval '1 second'", [ttlSeconds]),
    });
    return { user, token };
  });
}

export interface ResetPasswordProps {
  db: Knex;
  token: string;
  password: string;
  ip: string;
}

/**
 * Uses up a reset token and sets the new password; every session of the user ends and every other
 * reset link stops working. The link came by mail, so the address counts as verified from then on.
 * Fails with invalid_token when the token is unknown, used, expired, or its account is disabled or
 * being deleted: each token works exactly once, even under parallel requests.
 */
export async function resetPassword({
  db,
  token,
  password,
  ip,
}: ResetPasswordProps): Promise<{ user: User; sessionsEnded: number }> {
  // Hashed before the transaction (argon2 takes a while); an invalid token costs the same.
  const passwordHash = await hashPassword(password);
  return db.transaction(async (trx) => {
    const [claimed] = await trx("password_resets")
      .where({ tokenHash: hashToken(token) })
      .whereNull("usedAt")
      .where("expiresAt", ">", trx.fn.now())
      .whereExists((q) =>
        q
          .from("users")
          .whereRaw("users.id = password_resets.user_id")
          .whereNull("disabledAt")
          .whereNull("deletionRequestedAt"),
      )
      .update({ usedAt: trx.fn.now() }, ["userId"]);
    if (!claimed) throw new DomainError("invalid_token", "The reset link is invalid, expired or already used.");
    const [row] = await trx("users")
      .where({ id: claimed.userId })
      .update(
        {
          passwordHash,
          emailVerifiedAt: trx.raw("coalesce(email_verified_at, now())"),
          updatedAt: trx.fn.now(),
        },
        "*",
      );
    const user = User.fromDatabaseJson(row);
    const sessionsEnded = await endSessions(trx, user.id, null);
    await spendResetLinks(trx, user.id);
    await recordAudit(trx, {
      actorId: user.id,
      action: "user.password_reset",
      targetType: "user",
      targetId: user.id,
      ip,
      details: { sessionsEnded },
    });
    return { user, sessionsEnded };
  });
}

export interface ChangePasswordProps {
  db: Knex;
  user: User;
  /** The session asking: it stays; every other one ends. */
  sessionId: string;
  currentPassword: string;
  newPassword: string;
  ip: string;
}

/** The account's current password was not the one given. */
export const wrongPassword = () => new DomainError("wrong_password", "The password is not right.");

/**
 * Sets a new password for a user who proved the current one. The update is conditional on the hash
 * that was checked, so of two parallel changes only one wins; the other learns its "current"
 * password no longer is (wrong_password, as for a wrong one). Other sessions end and pending reset
 * links stop working.
 */
export async function changePassword({
  db,
  user,
  sessionId,
  currentPassword,
  newPassword,
  ip,
}: ChangePasswordProps): Promise<{ sessionsEnded: number }> {
  if (!(await verifyPassword(user.passwordHash, currentPassword))) throw wrongPassword();
  const passwordHash = await hashPassword(newPassword);
  return db.transaction(async (trx) => {
    const changed = await trx("users")
      .where({ id: user.id, passwordHash: user.passwordHash })
      .update({ passwordHash, updatedAt: trx.fn.now() });
    if (!changed) throw wrongPassword();
    const sessionsEnded = await endSessions(trx, user.id, sessionId);
    await spendResetLinks(trx, user.id);
    await recordAudit(trx, {
      actorId: user.id,
      action: "user.password_changed",
      targetType: "user",
      targetId: user.id,
      ip,
      details: { sessionsEnded },
    });
    return { sessionsEnded };
  });
}

/** Revokes every session (refresh-token family) of the user but `keep`; returns how many ended. */
export async function endSessions(trx: Knex.Transaction, userId: string, keep: string | null): Promise<number> {
  const query = trx("refresh_tokens").where({ userId }).whereNull("revokedAt");
  if (keep) query.whereNot({ familyId: keep });
  const ended = await query.update({ revokedAt: trx.fn.now() }, ["familyId"]);
  return new Set(ended.map((row: { familyId: string }) => row.familyId)).size;
}

async function spendResetLinks(trx: Knex.Transaction, userId: string): Promise<void> {
  await trx("password_resets").where({ userId }).whereNull("usedAt").update({ usedAt: trx.fn.now() });
}
