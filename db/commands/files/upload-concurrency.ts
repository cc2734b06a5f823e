import type { Knex } from "knex";
import { notFound } from "../../../lib/domain-errors";
import type { Storage } from "../../../lib/s3";
import { User } from "../../models";
import { recordAudit } from "../record";
import { failUpload, listOpenUploads } from "./uploads";

export interface UserUploadSlots {
  userId: string;
  email: string;
  /** Open uploads: each holds one of the user's MAX_CONCURRENT_UPLOADS slots and its reservation. */
  open: number;
  reservedBytes: number;
  /** The least recent heartbeat among them (the upload housekeeping aborts first). */
  oldestHeartbeatAt: Date | null;
}

/** Users holding upload slots now, the most first. */
export async function uploadSlotsByUser(db: Knex): Promise<UserUploadSlots[]> {
  const { rows } = await db.raw<{ rows: UserUploadSlots[] }>(
    `SELECT u.id AS "userId", u.email, count(*)::int AS open, u.reserved_bytes AS "reservedBytes",
            min(coalesce(f.last_heartbeat_at, f.created_at)) AS "oldestHeartbeatAt"
       FROM files f JOIN users u ON u.id = f.owner_id
      WHERE f.status = 'uploading'
      GROUP BY u.id
      ORDER BY open DESC, u.email`,
  );
  return rows;
}

export interface ClearUploadSlotsProps {
  db: Knex;
  storage: Storage;
  actorId: string;
  userId: string;
  ip?: string;
}

/**
 * Aborts every open upload of a user ("clear stuck slots"): each goes through failUpload, so its
 * multipart upload is aborted and its reservation released exactly once, even when the user's own
 * cancel or the housekeeping runs at the same time. Audited once, with what it freed.
 */
export async function clearUploadSlots({ db, storage, actorId, userId, ip }: ClearUploadSlotsProps) {
  const user = await User.query(db).findById(userId);
  if (!user) throw notFound("user");
  let aborted = 0;
  let releasedBytes = 0;
  for (const upload of await listOpenUploads(db, userId)) {
    if (await failUpload({ db, storage, fileId: upload.id, reason: "cleared_by_admin", actorId })) {
      aborted++;
      releasedBytes += upload.sizeBytes;
    }
  }
  await recordAudit(db, {
    actorId,
    action: "uploads.slots_cleared",
    targetType: "user",
    targetId: userId,
    ip,
    details: { aborted, releasedBytes },
  });
  return { userId, aborted, releasedBytes };
}
