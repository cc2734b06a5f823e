import type { Knex } from "knex";
import { fileKey, quarantineKey } from "../../../lib/object-keys";
import type { Storage } from "../../../lib/s3";
import { File, Share } from "../../models";
import { recordAudit, recordUploadEvent } from "../record";
import { deleteFilePermanently } from "./manage";
import { shiftBytes } from "./quota";

/** processing → ready with its checksum; the ready file, or null when it is gone or no longer processing. */
export async function markFileReady(db: Knex, fileId: string, sha256: string): Promise<File | null> {
  return db.transaction(async (trx) => {
    const [file] = await File.query(trx)
      .patch({ status: "ready", sha256, scannedAt: new Date() })
      .where({ id: fileId, status: "processing" })
      .returning("*");
    if (!file) return null;
    await recordUploadEvent(trx, {
      fileId,
      userId: file.ownerId,
      type: "scanned_clean",
      mimeType: file.mimeType,
      bytes: file.sizeBytes,
    });
    await recordAudit(trx, {
      actorId: null,
      action: "file.ready",
      targetType: "file",
      targetId: fileId,
      details: { sha256 },
    });
    return file;
  });
}

/**
 * processing → quarantined: the object moves under quarantine/, the file goes to the trash, its
 * bytes are refunded and its shares revoked; then the owner's quarantine is trimmed to
 * `maxQuarantinedBytes` (trimQuarantine). Each step is safe to repeat: the copy is skipped once
 * the row says quarantined, the refund happens only in the transition, the delete of the original
 * tolerates a missing object, the trim deletes only what is still over the cap. Returns whether
 * this call made the transition, and the files the trim deleted.
 */
export async function quarantineFile(
  db: Knex,
  storage: Storage,
  props: { fileId: string; signature: string; sha256: string | null; maxQuarantinedBytes: number },
): Promise<{ quarantined: boolean; trimmed: string[] }> {
  const { fileId, signature, sha256 } = props;
  const file = await File.query(db).findById(fileId);
  if (!file) return { quarantined: false, trimmed: [] };
  const originalKey = fileKey(file);
  const target = quarantineKey(file);
  if (file.status === "processing") await storage.copyObject(originalKey, target);

  const transitioned = await db.transaction(async (trx) => {
    const [moved] = await File.query(trx)
      .patch({
        status: "quarantined",
        s3Key: target,
        scanSignature: signature,
        sha256,
        scannedAt: new Date(),
        trashedAt: new Date(),
        trashRootId: fileId,
      })
      .where({ id: fileId, status: "processing" })
      .returning("*");
    if (!moved) return false;
    await shiftBytes(trx, moved.ownerId, { used: -moved.sizeBytes });
    await Share.query(trx).patch({ revokedAt: new Date() }).where({ fileId }).whereNull("revokedAt");
    await recordUploadEvent(trx, {
      fileId,
      userId: moved.ownerId,
      type: "scanned_infected",
      mimeType: moved.mimeType,
      bytes: moved.sizeBytes,
      reason: signature,
    });
    await recordAudit(trx, {
      actorId: null,
      action: "file.quarantined",
      targetType: "file",
      targetId: fileId,
      details: { signature, ownerId: moved.ownerId, sizeBytes: moved.sizeBytes },
    });
    return true;
  });
  const now = await File.query(db).findById(fileId);
  if (now?.status !== "quarantined") return { quarantined: transitioned, trimmed: [] };
  await storage.deleteObject(originalKey);
  return {
    quarantined: transitioned,
    trimmed: await trimQuarantine(db, storage, now.ownerId, props.maxQuarantinedBytes),
  };
}

/**
 * Deletes the owner's oldest quarantined files until the bytes left in quarantine fit `maxBytes`
 * (counted newest first; a file larger than the cap on its own goes too), so repeated infected
 * uploads cannot grow storage: quarantined files hold no quota. Each goes through
 * deleteFilePermanently (row, object, audit `file.deleted` with reason `quarantine_cap`) like the
 * retention purge does, so no quarantined row is ever left without its object. Returns their ids.
 */
export async function trimQuarantine(db: Knex, storage: Storage, ownerId: string, maxBytes: number): Promise<string[]> {
  const { rows } = await db.raw<{ rows: { id: string }[] }>(
    `SELECT id FROM (
       SELECT id, sum(size_bytes) OVER (ORDER BY trashed_at DESC, id DESC) AS kept
         FROM files WHERE owner_id = ? AND status = 'quarantined'
     ) AS newest_first
     WHERE kept > ?`,
    [ownerId, maxBytes],
  );
  const deleted: string[] = [];
  for (const { id } of rows) {
    const gone = await deleteFilePermanently({
      db,
      storage,
      fileId: id,
      actorId: null,
      reason: "quarantine_cap",
      onlyWhere: (query) => query.where("status", "quarantined"),
    });
    if (gone) deleted.push(id);
  }
  return deleted;
}

/**
 * processing → rejected (the scanner cannot take a file this large): never served, object deleted,
 * bytes refunded. Safe to repeat.
 */
export async function rejectFile(db: Knex, storage: Storage, fileId: string, reason: string): Promise<boolean> {
  const transitioned = await db.transaction(async (trx) => {
    const [file] = await File.query(trx)
      .patch({ status: "rejected", statusReason: reason })
      .where({ id: fileId, status: "processing" })
      .returning("*");
    if (!file) return false;
    await shiftBytes(trx, file.ownerId, { used: -file.sizeBytes });
    await recordUploadEvent(trx, {
      fileId,
      userId: file.ownerId,
      type: "scan_error",
      mimeType: file.mimeType,
      bytes: file.sizeBytes,
      reason,
    });
    await recordAudit(trx, {
      actorId: null,
      action: "file.rejected",
      targetType: "file",
      targetId: fileId,
      details: { reason },
    });
    return true;
  });
  const file = await File.query(db).findById(fileId);
  if (file?.status === "rejected") await storage.deleteObject(file.s3Key);
  return transitioned;
}

/** Records a preview for a file that is still ready (false: deleted or no longer ready meanwhile). */
export async function setPreview(db: Knex, fileId: string, key: string): Promise<boolean> {
  return (await File.query(db).patch({ previewKey: key }).where({ id: fileId, status: "ready" })) > 0;
}

/** What the scan pass found besides the verdict, recorded while the file is still processing. */
export async function recordScanFindings(
  db: Knex,
  fileId: string,
  findings: Pick<File, "detectedMimeType" | "scanCoverage" | "scanWindowBytes" | "scanOverlapBytes">,
): Promise<void> {
  await File.query(db).patch(findings).where({ id: fileId, status: "processing" });
}

/**
 * processing → failed with its reason (the object is gone, so it can never be scanned): never
 * served, bytes refunded, the upload event and audit entry written. Safe to repeat.
 */
export async function failFile(db: Knex, fileId: string, reason: string): Promise<boolean> {
  return db.transaction(async (trx) => {
    const [file] = await File.query(trx)
      .patch({ status: "failed", statusReason: reason })
      .where({ id: fileId, status: "processing" })
      .returning("*");
    if (!file) return false;
    await shiftBytes(trx, file.ownerId, { used: -file.sizeBytes });
    await recordUploadEvent(trx, {
      fileId,
      userId: file.ownerId,
      type: "scan_error",
      mimeType: file.mimeType,
      bytes: file.sizeBytes,
      reason,
    });
    await recordAudit(trx, {
      actorId: null,
      action: "file.failed",
      targetType: "file",
      targetId: fileId,
      details: { reason },
    });
    return true;
  });
}

/** Records a thumbnail for a file that still exists. */
export async function setThumbnail(db: Knex, fileId: string, key: string): Promise<boolean> {
  return (await File.query(db).patch({ thumbnailKey: key }).where({ id: fileId })) > 0;
}
