import type { Knex } from "knex";
import type { Storage } from "../../../lib/s3";

/** An object (and maybe an open multipart upload) a committed delete still has to remove from S3. */
export interface ObjectDeletion {
  key: string;
  /** The open multipart upload to abort before the key is deleted. */
  uploadId?: string | null;
  reason: string;
}

interface DeletionRow {
  id: number;
  key: string;
  uploadId: string | null;
}

/**
 * Writes down, inside the transaction that deletes or closes rows, the objects that must go, so a
 * commit is never followed by a lost cleanup: should S3 be away when the caller then removes them,
 * the upload housekeeping schedule does it later. Returns their ids for carryOutObjectDeletions.
 */
export async function recordObjectDeletions(trx: Knex.Transaction, deletions: ObjectDeletion[]): Promise<number[]> {
  if (deletions.length === 0) return [];
  const rows: { id: number }[] = await trx("object_deletions")
    .insert(
      deletions.map((deletion) => ({
        key: deletion.key,
        upload_id: deletion.uploadId ?? null,
        reason: deletion.reason,
      })),
    )
    .returning("id");
  return rows.map((row) => row.id);
}

/**
 * Removes the recorded objects (aborting any open multipart upload first) and forgets each record
 * once its object is gone. A failure is written on the record (when the database answers), never thrown: the change that
 * asked for the deletion has committed and stands. Returns how many are still pending.
 */
export async function carryOutObjectDeletions(db: Knex, storage: Storage, ids: number[]): Promise<number> {
  if (ids.length === 0) return 0;
  let rows: DeletionRow[];
  try {
    rows = await db("object_deletions").select("id", "key", "upload_id AS uploadId").whereIn("id", ids).orderBy("id");
  } catch {
    return ids.length;
  }
  let pending = 0;
  for (const row of rows) {
    try {
      if (row.uploadId) await storage.abortMultipartUpload(row.key, row.uploadId);
      await storage.deleteObject(row.key);
      await db("object_deletions").where({ id: row.id }).delete();
    } catch (error) {
      pending += 1;
      await db("object_deletions")
        .where({ id: row.id })
        .update({ attempts: db.raw("attempts + 1"), last_error: String(error).slice(0, 500) })
        .catch(() => undefined);
    }
  }
  return pending;
}

/** One batch of recorded deletions in id order after `after` (housekeeping finishes them). */
export async function findObjectDeletionIds(
  db: Knex,
  props: { after: number | null; limit: number },
): Promise<number[]> {
  const query = db("object_deletions").select("id").orderBy("id").limit(props.limit);
  if (props.after !== null) query.where("id", ">", props.after);
  return (await query).map((row: { id: number }) => Number(row.id));
}

/** Those of `keys` a recorded deletion is still to remove (they are on their way out, not orphans). */
export async function pendingDeletionKeys(db: Knex, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows: { key: string }[] = await db("object_deletions").distinct("key").whereIn("key", keys);
  return new Set(rows.map((row) => row.key));
}
