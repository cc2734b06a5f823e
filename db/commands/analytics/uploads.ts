import type { Knex } from "knex";
import { USED_BYTES_STATUSES, statusesWhere } from "../../../lib/file-status";

export interface Range {
  from: Date;
  to: Date;
}

const count = (value: unknown) => Number(value ?? 0);

// Raw queries return snake_case columns: knexSnakeCaseMappers maps query-builder rows only.

/**
 * Upload analytics over [from, to) from upload_events (each served by the (type, at) index) plus the
 * current storage total. Definitions (docs/observability.md): an upload is an `initiated` event; it
 * succeeded when `completed`, failed when `failed`; successRate = completed / (completed + failed).
 */
export async function uploadAnalytics(db: Knex, { from, to }: Range) {
  // Counting events, not distinct files: each file gets at most one completed, scanned_clean or
  // scanned_infected event (written in the transition that happens once).
  // Four independent queries, run at once on the pool.
  const [{ rows: byType }, { rows: byMime }, { rows: byStatus }, { rows: storage }] = await Promise.all([
    db.raw<{ rows: { type: string; events: string; bytes: string | null }[] }>(
      `SELECT type, count(*) AS events, sum(bytes) AS bytes
         FROM upload_events WHERE at >= ? AND at < ? GROUP BY type`,
      [from, to],
    ),
    db.raw<{ rows: { mime_type: string | null; uploads: string }[] }>(
      `SELECT mime_type, count(*) AS uploads FROM upload_events
        WHERE type = 'initiated' AND at >= ? AND at < ? GROUP BY mime_type ORDER BY count(*) DESC LIMIT 50`,
      [from, to],
    ),
    db.raw<{ rows: { status: string; files: string }[] }>(
      `SELECT status, count(*) AS files FROM files WHERE created_at >= ? AND created_at < ? GROUP BY status`,
      [from, to],
    ),
    db.raw<{ rows: { used: string | null }[] }>("SELECT sum(used_bytes) AS used FROM users"),
  ]);
  const of = (type: string) => byType.find((row) => row.type === type);
  const completed = of("completed");
  const successful = count(completed?.events);
  const failed = count(of("failed")?.events);
  const clean = count(of("scanned_clean")?.events);
  const infected = count(of("scanned_infected")?.events);
  const scanFailed = count(of("scan_error")?.events);
  return {
    from,
    to,
    totalUploads: count(of("initiated")?.events),
    successfulUploads: successful,
    failedUploads: failed,
    successRate: successful + failed === 0 ? null : successful / (successful + failed),
    averageFileSize: successful === 0 ? null : Math.round(count(completed?.bytes) / successful),
    totalStorageUsed: count(storage[0]?.used),
    byMimeType: Object.fromEntries(byMime.map((row) => [row.mime_type ?? "unknown", count(row.uploads)])),
    byStatus: Object.fromEntries(byStatus.map((row) => [row.status, count(row.files)])),
    virusScans: { total: clean + infected + scanFailed, clean, infected, failed: scanFailed },
  };
}

const DAY = 24 * 3600 * 1000;
const dayOf = (at: Date) => at.toISOString().slice(0, 10);

/**
 * Upload outcomes per UTC day of [from, to), every day of the range listed (quiet days with zeros),
 * with the same definitions as uploadAnalytics. One pass over the (at) covering index.
 */
export async function dailyUploadOutcomes(db: Knex, { from, to }: Range) {
  const { rows } = await db.raw<{ rows: { day: string; initiated: string; completed: string; failed: string }[] }>(
    `SELECT to_char(date_trunc('day', at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
            count(*) FILTER (WHERE type = 'initiated') AS initiated,
            count(*) FILTER (WHERE type = 'completed') AS completed,
            count(*) FILTER (WHERE type = 'failed') AS failed
       FROM upload_events
      WHERE at >= ? AND at < ? AND type IN ('initiated', 'completed', 'failed')
      GROUP BY 1`,
    [from, to],
  );
  const byDay = new Map(rows.map((row) => [row.day, row]));
  const days = [];
  for (let at = Date.parse(dayOf(from)); at < to.getTime(); at += DAY) {
    const day = dayOf(new Date(at));
    const row = byDay.get(day);
    const completed = count(row?.completed);
    const failed = count(row?.failed);
    days.push({
      day,
      initiated: count(row?.initiated),
      completed,
      failed,
      successRate: completed + failed === 0 ? null : completed / (completed + failed),
    });
  }
  return days;
}

/** Failed uploads in [from, to) by reason (aborted, stale, size_mismatch …). */
export async function uploadFailures(db: Knex, { from, to }: Range): Promise<Record<string, number>> {
  const { rows } = await db.raw<{ rows: { reason: string | null; failures: string }[] }>(
    `SELECT reason, count(*) AS failures FROM upload_events
      WHERE type = 'failed' AND at >= ? AND at < ? GROUP BY reason ORDER BY count(*) DESC`,
    [from, to],
  );
  return Object.fromEntries(rows.map((row) => [row.reason ?? "unknown", count(row.failures)]));
}

/** The users who completed the most bytes in [from, to). */
export async function topUploaders(db: Knex, { from, to }: Range, limit: number) {
  const { rows } = await db.raw<{ rows: { user_id: string; email: string; uploads: string; bytes: string }[] }>(
    `SELECT e.user_id, u.email, e.uploads, e.bytes
       FROM (SELECT user_id, count(*) AS uploads, coalesce(sum(bytes), 0) AS bytes FROM upload_events
              WHERE type = 'completed' AND at >= ? AND at < ? GROUP BY user_id
              ORDER BY sum(bytes) DESC NULLS LAST LIMIT ?) e
       JOIN users u ON u.id = e.user_id
      ORDER BY e.bytes DESC`,
    [from, to, limit],
  );
  return rows.map((row) => ({
    userId: row.user_id,
    email: row.email,
    uploads: count(row.uploads),
    bytes: count(row.bytes),
  }));
}

/** Files waiting: open uploads, and files in processing (scan not finished). */
export async function uploadQueue(db: Knex) {
  const { rows } = await db.raw<{ rows: { status: string; files: string }[] }>(
    `SELECT status, count(*) AS files FROM files WHERE status = ANY(?) GROUP BY status`,
    [statusesWhere((rule) => !rule.terminal)],
  );
  const of = (status: string) => count(rows.find((row) => row.status === status)?.files);
  return { pending: of("uploading"), processing: of("processing") };
}

/** Counts for GET /admin/health. */
export async function storageCounts(db: Knex) {
  const { rows } = await db.raw<{ rows: { users: string; files: string; total_bytes: string | null }[] }>(
    `SELECT (SELECT count(*) FROM users) AS users,
            (SELECT count(*) FROM files WHERE status = ANY(?)) AS files,
            (SELECT sum(used_bytes) FROM users) AS total_bytes`,
    [USED_BYTES_STATUSES],
  );
  return { users: count(rows[0].users), files: count(rows[0].files), totalBytes: count(rows[0].total_bytes) };
}
