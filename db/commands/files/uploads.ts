import { randomUUID } from "node:crypto";
import type { Knex } from "knex";
import { DomainError, nameTaken, notFound } from "../../../lib/domain-errors";
import { fileKey } from "../../../lib/object-keys";
import { type Storage, isClientError, isMissing } from "../../../lib/s3";
import { type StoredPart, checkParts, planUpload } from "../../../lib/upload-plan";
import { File, User } from "../../models";
import { recordAudit, recordUploadEvent } from "../record";
import { findLiveFolder, findOwnedFile, isNameTaken } from "./find";
import { carryOutObjectDeletions, recordObjectDeletions } from "./object-deletions";
import { countHeldFiles, releaseReservation, shiftBytes } from "./quota";
import { planLimitsOf } from "../plans/plans";

export interface StartUploadProps {
  db: Knex;
  storage: Storage;
  ownerId: string;
  /** The owner's plan as the caller read it (the auth middleware's user): its file size limit is checked first. */
  planId: string | null;
  name: string;
  sizeBytes: number;
  mimeType: string;
  folderId: string | null;
  limits: { maxFileBytes: number; maxOpenUploads: number };
  ip?: string;
}

/**
 * Opens a multipart upload and reserves its size against the quota in one row-locked transaction:
 * the reserved sum can never pass the quota, nor the file count the plan's limit, whatever runs in
 * parallel. The largest file is the smaller of PUBLIC_MAX_BYTES and the plan's max file size.
 */
export async function startUpload(props: StartUploadProps): Promise<File & { uploadId: string }> {
  const { db, storage, ownerId, name, sizeBytes, mimeType, folderId, limits } = props;
  const plan = await planLimitsOf(db, props.planId);
  const maxFileBytes = Math.min(limits.maxFileBytes, plan?.maxFileBytes ?? Infinity);
  if (sizeBytes > maxFileBytes) {
    const details = { maxFileBytes, plan: plan?.name ?? null };
    throw new DomainError("file_too_large", `Files may be at most ${maxFileBytes} bytes.`, details);
  }
  const fileId = randomUUID();
  const s3Key = fileKey({ ownerId, id: fileId });
  const uploadId = await storage.createMultipartUpload(s3Key, mimeType);
  try {
    return await db.transaction(async (trx) => {
      const user = await User.query(trx).findById(ownerId).forUpdate();
      if (!user) throw notFound("user");
      if (folderId) await findLiveFolder(trx, ownerId, folderId);
      const open = await File.query(trx).where({ ownerId, status: "uploading" }).resultSize();
      if (open >= limits.maxOpenUploads) {
        throw new DomainError("too_many_uploads", `At most ${limits.maxOpenUploads} uploads may be open at once.`, {
          retryAfterSeconds: 60,
        });
      }
      // The user's row lock makes parallel inits count one after another, so the limit cannot be overshot.
      const maxFiles = (await planLimitsOf(trx, user.planId))?.maxFiles;
      if (maxFiles !== undefined && (await countHeldFiles(trx, ownerId)) >= maxFiles) {
        throw new DomainError("file_count_exceeded", `Your plan allows ${maxFiles} files.`, { maxFiles });
      }
      const reserved = await User.query(trx)
        .patch({ reservedBytes: User.raw("reserved_bytes + ?", [sizeBytes]) })
        .where("id", ownerId)
        .whereRaw("used_bytes + reserved_bytes + ? <= quota_bytes", [sizeBytes]);
      if (reserved === 0) throw new DomainError("quota_exceeded", "This file does not fit in your quota.");
      const file = await File.query(trx)
        .insert({
          id: fileId,
          ownerId,
          folderId,
          name,
          sizeBytes,
          mimeType,
          s3Key,
          status: "uploading",
          uploadId,
          lastHeartbeatAt: new Date(),
        })
        .returning("*")
        .catch((error: unknown) => {
          if (isNameTaken(error)) throw nameTaken();
          throw error;
        });
      await recordUploadEvent(trx, { fileId, userId: ownerId, type: "initiated", mimeType, bytes: sizeBytes });
      await recordAudit(trx, {
        actorId: ownerId,
        action: "upload.started",
        targetType: "file",
        targetId: fileId,
        ip: props.ip,
      });
      return Object.assign(file, { uploadId });
    });
  } catch (error) {
    await storage.abortMultipartUpload(s3Key, uploadId).catch(() => undefined);
    throw error;
  }
}

/** An upload of the user's that is still open, or 409. */
export async function findOpenUpload(db: Knex, ownerId: string, fileId: string): Promise<File & { uploadId: string }> {
  const file = await findOwnedFile(db, ownerId, fileId);
  if (file.status !== "uploading" || !file.uploadId) {
    throw new DomainError("upload_closed", "This upload is no longer open.");
  }
  return file as File & { uploadId: string };
}

/** The user's open uploads, oldest first. */
export async function listOpenUploads(db: Knex, ownerId: string): Promise<(File & { uploadId: string })[]> {
  const files = await File.query(db)
    .where({ ownerId, status: "uploading" })
    .whereNotNull("uploadId")
    .orderBy([{ column: "createdAt" }, { column: "id" }]);
  return files as (File & { uploadId: string })[];
}

/** Records that the client is still uploading; false when the upload is no longer open. */
export async function touchUpload(db: Knex, ownerId: string, fileId: string): Promise<boolean> {
  const updated = await File.query(db)
    .patch({ lastHeartbeatAt: new Date() })
    .where({ id: fileId, ownerId, status: "uploading" });
  return updated > 0;
}

export interface FailUploadProps {
  db: Knex;
  storage: Storage;
  fileId: string;
  reason: string;
  actorId: string | null;
  /** Housekeeping: close the upload only if it has had no heartbeat since this moment. */
  idleSince?: Date;
}

/**
 * Closes an open upload as failed: reservation released and, recorded in the same transaction, S3
 * multipart aborted and any object deleted (now, or by housekeeping while S3 is away). Only the call that moves the row out of "uploading" releases bytes, so repeating it is
 * harmless. Returns false when the upload was not open.
 */
export async function failUpload({
  db,
  storage,
  fileId,
  reason,
  actorId,
  idleSince,
}: FailUploadProps): Promise<boolean> {
  const closed = await db.transaction(async (trx) => {
    const query = File.query(trx)
      .patch({ status: "failed", statusReason: reason, lastHeartbeatAt: null })
      .where({ id: fileId, status: "uploading" });
    if (idleSince) query.whereRaw("coalesce(last_heartbeat_at, created_at) < ?", [idleSince]);
    const [file] = await query.returning("*");
    if (!file) return null;
    await releaseReservation(trx, file.ownerId, file.sizeBytes);
    await recordUploadEvent(trx, {
      fileId,
      userId: file.ownerId,
      type: "failed",
      mimeType: file.mimeType,
      bytes: file.sizeBytes,
      reason,
    });
    await recordAudit(trx, {
      actorId,
      action: "upload.failed",
      targetType: "file",
      targetId: fileId,
      details: { reason },
    });
    return recordObjectDeletions(trx, [{ key: file.s3Key, uploadId: file.uploadId, reason: "upload_failed" }]);
  });
  // Committed: S3 being away now only delays the cleanup (housekeeping finishes it), never fails the call.
  if (closed) await carryOutObjectDeletions(db, storage, closed);
  return closed !== null;
}

export interface CompletedPart {
  partNumber: number;
  etag: string;
}

export interface CompleteUploadProps {
  db: Knex;
  storage: Storage;
  ownerId: string;
  fileId: string;
  parts: CompletedPart[];
  /** UPLOAD_PART_BYTES: with the size it gives the plan the part URLs were signed for. */
  preferredPartBytes: number;
  ip?: string;
}

/**
 * Checks the parts S3 holds against the plan (a part of another length than its URL was signed for
 * fails the upload: only a forged request, such as a part copied from another object, makes one),
 * assembles them, checks the stored size against the declared one, and moves the file to
 * "processing", turning the reservation into used bytes. A file already past "uploading" is returned
 * as it is, so a repeated call is harmless. Returns the file and whether this call did the transition.
 */
export async function completeUpload(props: CompleteUploadProps): Promise<{ file: File; completedNow: boolean }> {
  const { db, storage, ownerId, fileId, parts } = props;
  const file = await findOwnedFile(db, ownerId, fileId);
  if (file.status !== "uploading") {
    if (file.status === "failed") throw new DomainError("upload_closed", "This upload was aborted.");
    return { file, completedNow: false };
  }
  const plan = planUpload(file.sizeBytes, props.preferredPartBytes);
  let stored: StoredPart[] | null;
  try {
    stored = await storage.listParts(file.s3Key, file.uploadId!);
  } catch (error) {
    // A previous call may have assembled the object and died before recording it: the size check below decides.
    if (!isMissing(error)) throw error;
    stored = null;
  }
  if (stored) {
    const check = checkParts(file.sizeBytes, plan, parts, stored);
    if (!check.ok && check.reason === "missing_parts") {
      const { missing, extra } = check;
      throw new DomainError("bad_request", `This upload has parts 1 to ${plan.partCount}.`, {
        reason: "missing_parts",
        missing,
        extra,
      });
    }
    if (!check.ok && check.reason === "size_mismatch") {
      await failUpload({ db, storage, fileId, reason: "size_mismatch", actorId: ownerId });
      throw new DomainError(
        "bad_request",
        "S3 holds parts of other lengths than this upload signed for; it was aborted.",
        {
          reason: "size_mismatch",
          partNumbers: check.partNumbers,
        },
      );
    }
    if (!check.ok)
      throw new DomainError("bad_request", "The parts do not match what was uploaded.", {
        reason: "invalid_parts",
        partNumbers: check.partNumbers,
      });
    try {
      await storage.completeMultipartUpload(file.s3Key, file.uploadId!, parts);
    } catch (error) {
      // The parts were checked, so S3 refusing them (4xx) means they changed meanwhile: the client's to
      // fix, unless a parallel call (on this API process or another) assembled the object first.
      if (isClientError(error) && !isMissing(error)) {
        if ((await storage.objectSize(file.s3Key)) !== file.sizeBytes)
          throw new DomainError("bad_request", "The parts do not match what was uploaded.", {
            reason: "invalid_parts",
          });
      } else if (!isMissing(error)) throw error;
    }
  }
  const storedBytes = await storage.objectSize(file.s3Key);
  if (storedBytes === null)
    throw new DomainError("bad_request", "The parts do not match what was uploaded.", { reason: "invalid_parts" });
  if (storedBytes !== file.sizeBytes) {
    await failUpload({ db, storage, fileId, reason: "size_mismatch", actorId: ownerId });
    throw new DomainError(
      "bad_request",
      `The upload holds ${storedBytes} bytes, not the declared ${file.sizeBytes}; it was aborted.`,
      {
        reason: "size_mismatch",
        storedBytes,
        declaredBytes: file.sizeBytes,
      },
    );
  }
  return db.transaction(async (trx) => {
    const [moved] = await File.query(trx)
      .patch({ status: "processing", uploadId: null, lastHeartbeatAt: null })
      .where({ id: fileId, status: "uploading" })
      .returning("*");
    if (!moved) return { file: await findOwnedFile(trx, ownerId, fileId), completedNow: false };
    await shiftBytes(trx, ownerId, { reserved: -moved.sizeBytes, used: moved.sizeBytes });
    await recordUploadEvent(trx, {
      fileId,
      userId: ownerId,
      type: "completed",
      mimeType: moved.mimeType,
      bytes: moved.sizeBytes,
    });
    await recordAudit(trx, {
      actorId: ownerId,
      action: "upload.completed",
      targetType: "file",
      targetId: fileId,
      ip: props.ip,
    });
    return { file: moved, completedNow: true };
  });
}
