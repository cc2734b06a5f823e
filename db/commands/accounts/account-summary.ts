import type { Knex } from "knex";
import { User } from "../../models";

export interface QuotaSummary {
  usedBytes: number;
  reservedBytes: number;
  quotaBytes: number;
  availableBytes: number;
  filesCount: number;
}

/**
 * The account and its quota for GET /me, or null when the user is gone. filesCount counts every
 * file that holds or will hold bytes: uploading, processing and ready, trashed ones included (they
 * still use quota); quarantined, failed and rejected files do not count.
 */
export async function getAccountSummary(db: Knex, userId: string): Promise<{ user: User; quota: QuotaSummary } | null> {
  const user = await User.query(db).findById(userId);
  if (!user) return null;
  const { count } = (await db("files")
    .where({ ownerId: userId })
    .whereNotIn("status", ["failed", "rejected", "quarantined"])
    .count({ count: "*" })
    .first()) as { count: string | number };
  return {
    user,
    quota: {
      usedBytes: user.usedBytes,
      reservedBytes: user.reservedBytes,
      quotaBytes: user.quotaBytes,
      availableBytes: Math.max(0, user.quotaBytes - user.usedBytes - user.reservedBytes),
      filesCount: Number(count),
    },
  };
}
