import { reservePasswordGuess, refundPasswordGuess } from "../../../db/commands/shares/password-guesses";
import { recordAudit } from "../../../db/commands/record";
import type { Share } from "../../../db/models";
import { AppError, tooManyRequests } from "../../../lib/errors";
import { verifyPassword } from "../../../lib/passwords";
import type { AppContext } from "../../context";
import { clientIp } from "../../middleware/rate-limit";

/**
 * Lets a download of a password-protected link through only with the right password: 401
 * `password_required` without one (not counted), 401 `wrong_password` for a wrong one, and once an
 * IP has tried SHARE_PASSWORD_MAX_FAILURES wrong ones on this link within the window, 429
 * `too_many_password_attempts` until the window ends, even for the right password.
 */
export async function checkSharePassword(ctx: AppContext, share: Share, password: string | undefined): Promise<void> {
  if (!share.passwordHash) return;
  if (!password) throw new AppError(401, "password_required", "This link is protected by a password.");
  const { db, config } = ctx.deps;
  const ip = clientIp(ctx);
  const key = { shareId: share.id, ip };
  const limit = {
    maxFailures: config.SHARE_PASSWORD_MAX_FAILURES,
    windowSeconds: config.SHARE_PASSWORD_WINDOW_SECONDS,
  };
  const reservation = await reservePasswordGuess(db, key, limit);
  if (!reservation.allowed) {
    const seconds = reservation.retryAfterSeconds;
    throw tooManyRequests(
      "too_many_password_attempts",
      `Too many wrong passwords for this link; retry in ${seconds} s.`,
      seconds,
    );
  }
  if (await verifyPassword(share.passwordHash, password)) {
    await refundPasswordGuess(db, key);
    return;
  }
  if (reservation.attempt >= limit.maxFailures) {
    await recordAudit(db, {
      actorId: null,
      action: "share.password_locked",
      targetType: "share",
      targetId: share.id,
      ip,
      details: { failures: reservation.attempt, windowSeconds: limit.windowSeconds },
    });
  }
  throw new AppError(401, "wrong_password", "The password is wrong.");
}
