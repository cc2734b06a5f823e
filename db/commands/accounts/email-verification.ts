import type { Knex } from "knex";
import { DomainError } from "../../../lib/domain-errors";
import { hashToken, randomToken } from "../../../lib/tokens";
import { User } from "../../models";
import { recordAudit } from "../record";
import { findUserByEmail } from "./users";

/** Stores a new single-use verification token for the user (only its hash) and returns the token. */
export async function createEmailVerification(
  trx: Knex.Transaction,
  userId: string,
  ttlSeconds: number,
): Promise<string> {
  const token = randomToken();
  await trx("email_verifications").insert({
    userId,
    tokenHash: hashToken(token),
    expiresAt: trx.raw("now() + ?::int * interval '1 second'", [ttlSeconds]),
  });
  return token;
}

export interface ResendVerificationProps {
  db: Knex;
  email: string;
  ttlSeconds: number;
}

/**
 * A fresh token for an enabled account that has not verified its address yet, or null when there
 * is no such account (the caller answers the same either way). Older tokens stay valid until they
 * expire.
 */
export async function resendVerification({ db, email, ttlSeconds }: ResendVerificationProps): Promise<{
  user: User;
  token: string;
} | null> {
  return db.transaction(async (trx) => {
    const user = await findUserByEmail(trx, email);
    if (!user || user.emailVerifiedAt || user.disabledAt) return null;
    return { user, token: await createEmailVerification(trx, user.id, ttlSeconds) };
  });
}

export interface VerifyEmailProps {
  db: Knex;
  token: string;
  ip: string;
}

/**
 * Uses up a verification token and marks its account verified. Fails with invalid_token when the
 * token is unknown, expired or already used: each token works exactly once, even under parallel requests.
 */
export async function verifyEmail({ db, token, ip }: VerifyEmailProps): Promise<User> {
  return db.transaction(async (trx) => {
    const [claimed] = await trx("email_verifications")
      .where({ tokenHash: hashToken(token) })
      .whereNull("usedAt")
      .where("expiresAt", ">", trx.fn.now())
      .update({ usedAt: trx.fn.now() }, ["userId"]);
    if (!claimed) throw new DomainError("invalid_token", "The verification link is invalid, expired or already used.");
    const [row] = await trx("users")
      .where({ id: claimed.userId })
      .update({ emailVerifiedAt: trx.raw("coalesce(email_verified_at, now())"), updatedAt: trx.fn.now() }, "*");
    const user = User.fromDatabaseJson(row);
    await recordAudit(trx, {
      actorId: user.id,
      action: "user.email_verified",
      targetType: "user",
      targetId: user.id,
      ip,
    });
    return user;
  });
}
