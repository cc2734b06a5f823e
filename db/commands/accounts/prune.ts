import type { Knex } from "knex";

/** What the nightly prune removes, one kind per step. */
export type PruneKind = "refresh_tokens" | "email_verifications" | "password_resets" | "login_attempts" | "login_locks";

export const PRUNE_KINDS: PruneKind[] = [
  "refresh_tokens",
  "email_verifications",
  "password_resets",
  "login_attempts",
  "login_locks",
];

export interface PruneProps {
  kind: PruneKind;
  /** Records that stopped mattering before this moment go (the run's start less a grace period). */
  before: Date;
  /** The login throttle's window: attempts and locks it may still count are kept. */
  loginWindowSeconds: number;
  limit: number;
  dryRun: boolean;
}

/**
 * Which rows of a kind no longer matter:
 * * refresh tokens expired, or revoked, before `before`. A live session keeps its newest token (not
 *   expired, not revoked); spent tokens of a live session stay until they expire, so a copied one
 *   coming back is still recognised as reuse.
 * * verification and reset links used or expired before `before`;
 * * login attempts older than both `before` and the throttle window (older ones count for nothing);
 * * locks that ended more than a throttle window before `before` (a lock only matters to the count
 *   while failures before it could still be in the window).
 */
function whereStale(db: Knex, { kind, before, loginWindowSeconds }: PruneProps) {
  const windowAgo = db.raw("?::timestamptz - ?::int * interval '1 second'", [before, loginWindowSeconds]);
  switch (kind) {
    case "refresh_tokens":
      return db(kind).where((q) => q.where("expiresAt", "<", before).orWhere("revokedAt", "<", before));
    case "email_verifications":
    case "password_resets":
      return db(kind).where((q) => q.where("expiresAt", "<", before).orWhere("usedAt", "<", before));
    case "login_attempts":
      return db(kind).where("at", "<", windowAgo);
    case "login_locks":
      return db(kind).where("lockedUntil", "<", windowAgo);
  }
}

/**
 * Deletes up to `limit` stale rows of one kind; `more` while a full page went. A dry run counts all
 * of them in one query and deletes nothing.
 */
export async function pruneAccountRecords(db: Knex, props: PruneProps): Promise<{ count: number; more: boolean }> {
  if (props.dryRun) {
    const row = (await whereStale(db, props).count({ count: "*" }).first()) as { count: string | number };
    return { count: Number(row.count), more: false };
  }
  const count = await db(props.kind).whereIn("ctid", whereStale(db, props).select("ctid").limit(props.limit)).delete();
  return { count, more: count === props.limit };
}
