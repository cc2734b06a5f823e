import type { Knex } from "knex";
import { User } from "../../models";
import { countHeldFiles } from "../files/quota";
import { planLimitsOf } from "../plans/plans";

export interface QuotaSummary {
  usedBytes: number;
  reservedBytes: number;
  quotaBytes: number;
  availableBytes: number;
  filesCount: number;
  /** The plan's file limit; null without a plan. */
  maxFiles: number | null;
  /** The largest file an upload may declare: PUBLIC_MAX_BYTES or the plan's smaller limit. */
  maxFileBytes: number;
  /** The plan's name; null without a plan. */
  plan: string | null;
}

/**
 * The account and its quota for GET /me, or null when the user is gone. filesCount counts every
 * file that holds or will hold bytes: uploading, processing and ready, trashed ones included (they
 * still use quota); quarantined, failed and rejected files do not count. The plan's limits come
 * along (PUBLIC_MAX_BYTES, `maxFileBytes`, caps the plan's largest file).
 */
export async function getAccountSummary(
  db: Knex,
  userId: string,
  maxFileBytes: number,
): Promise<{ user: User; quota: QuotaSummary } | null> {
  const user = await User.query(db).findById(userId);
  if (!user) return null;
  const [filesCount, plan] = await Promise.all([countHeldFiles(db, userId), planLimitsOf(db, user.planId)]);
  return {
    user,
    quota: {
      usedBytes: user.usedBytes,
      reservedBytes: user.reservedBytes,
      quotaBytes: user.quotaBytes,
      availableBytes: Math.max(0, user.quotaBytes - user.usedBytes - user.reservedBytes),
      filesCount,
      maxFiles: plan?.maxFiles ?? null,
      maxFileBytes: Math.min(maxFileBytes, plan?.maxFileBytes ?? Infinity),
      plan: plan?.name ?? null,
    },
  };
}
