import type { Knex } from "knex";
import { CheckViolationError, type QueryBuilder } from "objection";
import type { PurgeKind, RowCursor } from "../../../lib/housekeeping";
import type { Storage } from "../../../lib/s3";
import { File, Folder } from "../../models";
import { deleteFilePermanently } from "../files/manage";
import { recordAudit } from "../record";

type FileQuery = QueryBuilder<File, File[]> | QueryBuilder<File, number>;

/**
 * What makes a file due for purging as `kind`: in the trash (not quarantined) since before the
 * cutoff; quarantined since before the cutoff; failed since before the cutoff.
 */
function purgeRule(kind: PurgeKind, before: Date) {
  return (query: FileQuery) => {
    switch (kind) {
      case "trash":
        query.where("trashedAt", "<", before).whereNot("status", "quarantined");
        break;
      case "quarantine":
        query.where("status", "quarantined").where("trashedAt", "<", before);
        break;
      case "failed":
        query.where("status", "failed").where("updatedAt", "<", before);
        break;
    }
  };
}

/** The column each kind is walked by; an index covers each walk. */
const walkColumn: Record<PurgeKind, string> = { trash: "trashed_at", quarantine: "trashed_at", failed: "updated_at" };

export interface PurgeCandidate {
  id: string;
  ownerId: string;
  sizeBytes: number;
  status: File["status"];
  /** The walk column as PostgreSQL text: exact to the microsecond, unlike a JS Date. */
  cursorAt: string;
}

/** One batch of files due for purging as `kind`, in (walk column, id) order after `after`. */
export async function findPurgeCandidates(
  db: Knex,
  props: { kind: PurgeKind; before: Date; after: RowCursor | null; limit: number },
): Promise<PurgeCandidate[]> {
  const column = walkColumn[props.kind];
  const query = File.query(db)
    .select("id", "ownerId", "sizeBytes", "status", File.raw(`${column}::text AS cursor_at`))
    .orderBy([{ column }, { column: "id" }])
    .limit(props.limit);
  purgeRule(props.kind, props.before)(query);
  if (props.after) query.whereRaw(`(${column}, id) > (?::timestamptz, ?::uuid)`, [props.after.at, props.after.id]);
  return query.castTo<PurgeCandidate[]>();
}

/** What became of one file the purge tried to delete. */
export type PurgeOutcome =
  | "deleted"
  /** Restored, changed or deleted meanwhile: no longer due. */
  | "spared"
  /**
   * Refused by the users_used_bytes_check constraint: the owner's used_bytes is lower than this
   * file's size (drift). Nothing changed; the reconcile later in the run sets the counter right
   * and the next run deletes the file.
   */
  | "counter_drift";

/**
 * Deletes one file for good (object, thumbnail, shares, row, bytes) if it is still due: a file
 * restored or changed since it was found stays.
 */
export async function purgeFile(
  db: Knex,
  storage: Storage,
  props: { kind: PurgeKind; before: Date; fileId: string },
): Promise<PurgeOutcome> {
  try {
    const deleted = await deleteFilePermanently({
      db,
      storage,
      fileId: props.fileId,
      actorId: null,
      reason: `${props.kind}_retention`,
      onlyWhere: purgeRule(props.kind, props.before),
    });
    return deleted ? "deleted" : "spared";
  } catch (error) {
    if (error instanceof CheckViolationError && error.constraint === "users_used_bytes_check") return "counter_drift";
    throw error;
  }
}

/** One batch of folders in the trash since before the cutoff, in (trashed_at, id) order after `after`. */
export async function findExpiredFolders(
  db: Knex,
  props: { before: Date; after: RowCursor | null; limit: number },
): Promise<{ id: string; cursorAt: string }[]> {
  const query = Folder.query(db)
    .select("id", Folder.raw("trashed_at::text AS cursor_at"))
    .where("trashedAt", "<", props.before)
    .orderBy([{ column: "trashed_at" }, { column: "id" }])
    .limit(props.limit);
  if (props.after) query.whereRaw("(trashed_at, id) > (?::timestamptz, ?::uuid)", [props.after.at, props.after.id]);
  return query.castTo<{ id: string; cursorAt: string }[]>();
}

/**
 * Deletes those of the folders that are still past their retention and hold nothing any more: no
 * file of any status and no subfolder. Deleting only empty folders means the cascades on
 * folders.parent_id and files.folder_id can never take a file row (and its bytes) with them;
 * a nested tree goes leaf first, over several passes. Returns the ids deleted.
 */
export async function deleteEmptyExpiredFolders(
  db: Knex,
  props: { folderIds: string[]; before: Date },
): Promise<string[]> {
  if (props.folderIds.length === 0) return [];
  return db.transaction(async (trx) => {
    const { rows } = await trx.raw<{ rows: { id: string; ownerId: string }[] }>(
      `DELETE FROM folders f
        WHERE f.id = ANY(?::uuid[]) AND f.trashed_at < ?
          AND NOT EXISTS (SELECT 1 FROM files WHERE files.folder_id = f.id)
          AND NOT EXISTS (SELECT 1 FROM folders c WHERE c.parent_id = f.id)
        RETURNING f.id, f.owner_id AS "ownerId"`,
      [props.folderIds, props.before],
    );
    for (const row of rows) {
      await recordAudit(trx, {
        actorId: null,
        action: "folder.deleted",
        targetType: "folder",
        targetId: row.id,
        details: { reason: "trash_retention", ownerId: row.ownerId },
      });
    }
    return rows.map((row) => row.id);
  });
}
