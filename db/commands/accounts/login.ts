import type { Knex } from "knex";
import { verifyAgainstNothing, verifyPassword } from "../../../lib/passwords";
import { secondsUntil } from "../../../lib/tokens";
import type { User } from "../../models";
import { recordAudit } from "../record";
import { claimFirstLogin } from "./first-login";
import {
  lockLoginPair,
  loginLockedUntil,
  recordLoginFailure,
  recordLoginSuccess,
  type ThrottleSettings,
} from "./login-throttle";
import { startSession } from "./refresh-tokens";
import { emailKey, findUserByEmail } from "./users";

export interface AttemptLoginProps {
  db: Knex;
  email: string;
  password: string;
  ip: string;
  /** The client's User-Agent, kept with the session it starts. */
  userAgent: string | null;
  throttle: ThrottleSettings;
  refreshTtlSeconds: number;
}

export type LoginResult =
  | { outcome: "ok"; user: User; refreshToken: string; sessionId: string; firstLogin: boolean }
  | { outcome: "locked"; retryAfterSeconds: number }
  | { outcome: "bad_credentials" }
  | { outcome: "email_not_verified" }
  | { outcome: "disabled" };

/**
 * One login attempt under the throttle of SPEC §6: a locked email + IP pair is refused before the
 * password is looked at; a wrong password (or unknown e-mail) counts as a failure; a success resets
 * the count, claims the first login (Welcome folder) and starts a session (a refresh-token family).
 * Only a correct password learns that an account is unverified or disabled.
 */
export async function attemptLogin({
  db,
  email,
  password,
  ip,
  userAgent,
  throttle,
  refreshTtlSeconds,
}: AttemptLoginProps): Promise<LoginResult> {
  const key = { email: emailKey(email), ip };
  return db.transaction(async (trx) => {
    await lockLoginPair(trx, key);
    const lockedUntil = await loginLockedUntil(trx, key);
    if (lockedUntil) return { outcome: "locked", retryAfterSeconds: secondsUntil(lockedUntil) } as const;

    const user = await findUserByEmail(trx, key.email);
    const matches = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstNothing(password);
    if (!user || !matches) {
      await recordAudit(trx, {
        actorId: null,
        action: "user.login_failed",
        ...(user ? { targetType: "user", targetId: user.id } : {}),
        ip,
        details: { email: key.email, reason: user ? "wrong_password" : "unknown_email" },
      });
      const lockEnd = await recordLoginFailure(trx, key, throttle);
      if (lockEnd) {
        await recordAudit(trx, {
          actorId: null,
          action: "user.login_locked",
          ...(user ? { targetType: "user", targetId: user.id } : {}),
          ip,
          details: { email: key.email, lockedUntil: lockEnd.toISOString() },
        });
      }
      return { outcome: "bad_credentials" } as const;
    }
    // An account being deleted stays locked even if an admin enables it again.
    if (user.disabledAt || user.deletionRequestedAt) return { outcome: "disabled" } as const;
    if (!user.emailVerifiedAt) return { outcome: "email_not_verified" } as const;

    await recordLoginSuccess(trx, key);
    const firstLogin = await claimFirstLogin(trx, user.id);
    const { sessionId, refreshToken } = await startSession({
      db: trx,
      userId: user.id,
      ttlSeconds: refreshTtlSeconds,
      ip,
      userAgent,
    });
    await recordAudit(trx, {
      actorId: user.id,
      action: "user.login_succeeded",
      targetType: "user",
      targetId: user.id,
      ip,
      details: firstLogin ? { firstLogin } : {},
    });
    return { outcome: "ok", user, refreshToken, sessionId, firstLogin } as const;
  });
}
