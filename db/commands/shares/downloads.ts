import type { Knex } from "knex";
import { SERVABLE_STATUSES, sqlStatusList } from "../../../lib/file-status";
import { ShareDownload } from "../../models";

/** The link's owner is not disabled (an account being deleted is disabled too): a disabled owner's links stop. */
export const SHARE_OWNER_ACTIVE_SQL =
  "EXISTS (SELECT 1 FROM users u WHERE u.id = s.owner_id AND u.disabled_at IS NULL)";

/**
 * The live-link rule of lib/share-rules shareState() in SQL, over `shares s` joined to `files f`:
 * not revoked, not expired, below its limit, the file ready and out of the trash, and its owner
 * not disabled.
 */
export const LIVE_SHARE_SQL = `s.revoked_at IS NULL
  AND (s.expires_at IS NULL OR s.expires_at > now())
  AND (s.max_downloads IS NULL OR s.download_count < s.max_downloads)
  AND f.status IN (${sqlStatusList(SERVABLE_STATUSES)}) AND f.trashed_at IS NULL
  AND ${SHARE_OWNER_ACTIVE_SQL}`;

/** What a counted download streams. */
export interface CountedDownload {
  s3Key: string;
  name: string;
  sizeBytes: number;
  mimeType: string;
  downloadCount: number;
  /** The link's limit as this count found it: null (no limit) redirects, a limit streams. */
  maxDownloads: number | null;
}

/**
 * Counts one download of a live link in a single conditional UPDATE (SPEC §5): the row lock makes
 * parallel requests take turns and each re-checks the limit on the row the previous one left, so a
 * link allowed N downloads is counted at most N times. Null when the link is gone (nothing counted).
 */
export async function countShareDownload(db: Knex, shareId: string): Promise<CountedDownload | null> {
  const { rows } = await db.raw<{ rows: CountedDownload[] }>(
    `UPDATE shares s SET download_count = s.download_count + 1, updated_at = now()
       FROM files f
      WHERE s.id = ? AND f.id = s.file_id AND ${LIVE_SHARE_SQL}
      RETURNING f.s3_key AS "s3Key", f.name, f.size_bytes AS "sizeBytes", COALESCE(f.detected_mime_type, 'application/octet-stream') AS "mimeType",
                s.download_count AS "downloadCount", s.max_downloads AS "maxDownloads"`,
    [shareId],
  );
  return rows[0] ?? null;
}

/** Gives back a download that was counted but never started (the object could not be opened). */
export async function refundShareDownload(db: Knex, shareId: string): Promise<void> {
  await db.raw("UPDATE shares SET download_count = download_count - 1 WHERE id = ? AND download_count > 0", [shareId]);
}

export interface ShareDownloadEntry {
  shareId: string;
  ip: string | null;
  userAgent: string | null;
  /**
   * Bytes handed to the connection, which is less than the file when the client went away; for a
   * redirected download, the file's size (storage sends the bytes, the API does not see them).
   */
  bytes: number;
  /** Answered with a redirect to a presigned GET (a link with no download limit). */
  redirected?: boolean;
}

/** Appends to the link's access log; nothing happens when the share was deleted meanwhile (cleanup). */
export async function recordShareDownload(db: Knex, entry: ShareDownloadEntry): Promise<void> {
  await db.raw(
    `INSERT INTO share_downloads (share_id, ip, user_agent, bytes, redirected)
     SELECT id, ?, ?, ?, ? FROM shares WHERE id = ?`,
    [entry.ip, entry.userAgent, entry.bytes, entry.redirected ?? false, entry.shareId],
  );
}

/** The newest entries of a link's access log, older than `beforeId` when given. */
export async function listShareDownloads(
  db: Knex,
  shareId: string,
  limit: number,
  beforeId?: number,
): Promise<ShareDownload[]> {
  const query = ShareDownload.query(db).where({ shareId }).orderBy("id", "desc").limit(limit);
  if (beforeId !== undefined) query.where("id", "<", beforeId);
  return query;
}

/** Links that work right now, for the shares_active_total gauge. */
export async function countActiveShares(db: Knex): Promise<number> {
  const { rows } = await db.raw<{ rows: { count: number }[] }>(
    `SELECT count(*)::int AS count FROM shares s JOIN files f ON f.id = s.file_id WHERE ${LIVE_SHARE_SQL}`,
  );
  return rows[0]?.count ?? 0;
}
