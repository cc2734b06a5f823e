import type { Knex } from "knex";
import { USED_BYTES_STATUSES } from "../../../lib/file-status";
import type { StorageFindings } from "../../../lib/housekeeping";
import { type FileStatus, User } from "../../models";
import { recordAudit } from "../record";

/** One batch of user ids in id order after `after`. */
export async function listUserIds(db: Knex, props: { after: string | null; limit: number }): Promise<string[]> {
  const query = User.query(db).select("id").orderBy("id").limit(props.limit);
  if (props.after) query.where("id", ">", props.after);
  return (await query).map((user) => user.id);
}

/** A file row seen through one of its S3 keys. */
export interface KeyedRow {
  id: string;
  ownerId: string;
  key: string;
  status: FileStatus;
  sizeBytes: number;
  updatedAt: Date;
}

const keyColumns = { s3Key: "s3_key", thumbnailKey: "thumbnail_key" } as const;

/**
 * The rows whose key (object or thumbnail) lies in (after, upTo], compared byte by byte as S3
 * sorts its listings (COLLATE "C", indexed), in that order, at most `limit`.
 */
export async function findRowsInKeyRange(
  db: Knex,
  props: { column: keyof typeof keyColumns; after: string; upTo: string; limit: number },
): Promise<KeyedRow[]> {
  const column = keyColumns[props.column];
  const { rows } = await db.raw<{ rows: KeyedRow[] }>(
    `SELECT id, owner_id AS "ownerId", ${column} AS key, status, size_bytes AS "sizeBytes", updated_at AS "updatedAt"
       FROM files
      WHERE ${column} COLLATE "C" > ? AND ${column} COLLATE "C" <= ?
      ORDER BY ${column} COLLATE "C"
      LIMIT ?`,
    [props.after, props.upTo, props.limit],
  );
  return rows;
}

export interface UsedBytesCheck {
  before: number;
  after: number;
  /** after − before: positive when the counter was too low. */
  drift: number;
}

const rightUsedBytes = `SELECT coalesce(sum(size_bytes), 0)::bigint AS total
  FROM files WHERE owner_id = ? AND status = ANY(?)`;

/**
 * Sets the user's used_bytes to the sum of their files in USED_BYTES_STATUSES (processing, ready) (trashed ones
 * included: they count until purged), in one UPDATE, and records drift and findings in the audit
 * log when there is anything to say. The user's row is locked first: every transaction that moves
 * the counter holds that lock from its own update to its commit, so the sum read after it is
 * consistent with the counter, and a move still in flight applies its delta on top of ours.
 * With dryRun nothing is written. Null when the user no longer exists.
 */
export async function reconcileUsedBytes(
  db: Knex,
  props: { userId: string; dryRun: boolean; findings: StorageFindings },
): Promise<UsedBytesCheck | null> {
  const { userId, dryRun, findings } = props;
  return db.transaction(async (trx) => {
    const user = dryRun ? await User.query(trx).findById(userId) : await User.query(trx).findById(userId).forUpdate();
    if (!user) return null;
    const before = user.usedBytes;
    let after = before;
    if (dryRun) {
      const { rows } = await trx.raw<{ rows: { total: number }[] }>(rightUsedBytes, [userId, USED_BYTES_STATUSES]);
      after = rows[0].total;
    } else {
      const { rows } = await trx.raw<{ rows: { usedBytes: number }[] }>(
        `UPDATE users SET used_bytes = right_value.total, updated_at = now()
           FROM (${rightUsedBytes}) AS right_value
          WHERE users.id = ? AND users.used_bytes <> right_value.total
          RETURNING users.used_bytes AS "usedBytes"`,
        [userId, USED_BYTES_STATUSES, userId],
      );
      if (rows.length) after = rows[0].usedBytes;
    }
    const check = { before, after, drift: after - before };
    const worthSaying = check.drift !== 0 || findings.orphanObjects > 0 || findings.missingObjects > 0;
    if (!dryRun && worthSaying) {
      await recordAudit(trx, {
        actorId: null,
        action: "storage.reconciled",
        targetType: "user",
        targetId: userId,
        details: { usedBytesBefore: before, usedBytesAfter: after, drift: check.drift, ...findings },
      });
    }
    return check;
  });
}
