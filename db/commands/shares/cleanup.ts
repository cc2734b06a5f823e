import type { Knex } from "knex";
import type { ShareCleanupInput, ShareCleanupKind } from "../../../lib/share-cleanup";

/**
 * Which rows of each kind are due, each matching an index (expires_at, shares_consumed_idx,
 * shares_revoked_at_idx, window_started_at) so every batch reads only what it deletes.
 */
function dueRows(kind: ShareCleanupKind, policy: ShareCleanupInput): { sql: string; bindings: number[] } {
  switch (kind) {
    case "expired":
      return { sql: "SELECT id FROM shares WHERE expires_at <= now()", bindings: [] };
    case "consumed":
      return {
        sql: "SELECT id FROM shares WHERE max_downloads IS NOT NULL AND download_count >= max_downloads",
        bindings: [],
      };
    case "revoked":
      return {
        sql: "SELECT id FROM shares WHERE revoked_at IS NOT NULL AND revoked_at <= now() - ?::int * interval '1 day'",
        bindings: [policy.revokedRetentionDays],
      };
    case "passwordGuesses":
      return {
        sql: "SELECT share_id, ip FROM share_password_guesses WHERE window_started_at <= now() - ?::int * interval '1 second'",
        bindings: [policy.guessWindowSeconds],
      };
  }
}

/**
 * Deletes at most `policy.batchSize` due rows of one kind in one statement and returns how many
 * went. Rows another transaction holds (a download being counted) are skipped for the next run.
 * Each call stands alone, so a cleanup can stop anywhere and start again.
 */
export async function deleteShareBatch(db: Knex, kind: ShareCleanupKind, policy: ShareCleanupInput): Promise<number> {
  const { sql, bindings } = dueRows(kind, policy);
  const table = kind === "passwordGuesses" ? "share_password_guesses" : "shares";
  const key = kind === "passwordGuesses" ? "(share_id, ip)" : "id";
  const result = await db.raw<{ rowCount: number }>(
    `DELETE FROM ${table} WHERE ${key} IN (${sql} LIMIT ? FOR UPDATE SKIP LOCKED)`,
    [...bindings, policy.batchSize],
  );
  return result.rowCount;
}
