import type { Knex } from "knex";
import { File, User } from "../../models";

export interface StaleUpload {
  id: string;
  ownerId: string;
  sizeBytes: number;
}

/** One batch of open uploads with no heartbeat since `idleSince`, in id order after `after`. */
export async function findStaleUploads(
  db: Knex,
  props: { idleSince: Date; after: string | null; limit: number },
): Promise<StaleUpload[]> {
  const query = File.query(db)
    .select("id", "ownerId", "sizeBytes")
    .where({ status: "uploading" })
    .whereRaw("coalesce(last_heartbeat_at, created_at) < ?", [props.idleSince])
    .orderBy("id")
    .limit(props.limit);
  if (props.after) query.where("id", ">", props.after);
  return query;
}

/** One batch of ids of files waiting in processing, in id order after `after`. */
export async function findProcessingFileIds(
  db: Knex,
  props: { after: string | null; limit: number },
): Promise<string[]> {
  const query = File.query(db).select("id").where({ status: "processing" }).orderBy("id").limit(props.limit);
  if (props.after) query.where("id", ">", props.after);
  return (await query).map((file) => file.id);
}

/** True while the file waits in processing. */
export async function isProcessing(db: Knex, fileId: string): Promise<boolean> {
  return (await File.query(db).findOne({ id: fileId, status: "processing" })) !== undefined;
}

/** Which of these S3 upload ids belong to an upload that is still open. */
export async function openUploadIds(db: Knex, uploadIds: string[]): Promise<Set<string>> {
  if (uploadIds.length === 0) return new Set();
  const rows = await File.query(db).select("uploadId").whereIn("uploadId", uploadIds).where({ status: "uploading" });
  return new Set(rows.map((row) => row.uploadId!));
}

/** Which of these ids are users of this deployment. */
export async function existingUserIds(db: Knex, userIds: string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await User.query(db).select("id").whereIn("id", userIds);
  return new Set(rows.map((row) => row.id));
}
