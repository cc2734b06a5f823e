import type { Knex } from "knex";
import type { QueryBuilder } from "objection";
import { DomainError, nameTaken } from "../../../lib/domain-errors";
import { statusRule } from "../../../lib/file-status";
import type { Storage } from "../../../lib/s3";
import { File, Folder, Share } from "../../models";
import { recordAudit } from "../record";
import { findLiveFolder, isNameTaken, lockOwnedFile } from "./find";
import { freeName } from "./free-name";
import { type ObjectDeletion, carryOutObjectDeletions, recordObjectDeletions } from "./object-deletions";
import { shiftBytes } from "./quota";

export interface UpdateFileProps {
  db: Knex;
  ownerId: string;
  fileId: string;
  name?: string;
  /** Target folder; null for the root, undefined to stay. */
  folderId?: string | null;
}

/** Renames and/or moves a live file; 409 name_taken on a clash. */
export async function updateFile({ db, ownerId, fileId, name, folderId }: UpdateFileProps): Promise<File> {
  return db.transaction(async (trx) => {
    const file = await lockOwnedFile(trx, ownerId, fileId);
    if (file.trashedAt) throw new DomainError("file_trashed", "Restore the file from the trash first.");
    if (folderId) await findLiveFolder(trx, ownerId, folderId);
    const patch = { ...(name === undefined ? {} : { name }), ...(folderId === undefined ? {} : { folderId }) };
    if (Object.keys(patch).length === 0) return file;
    return file
      .$query(trx)
      .patchAndFetch(patch)
      .catch((error: unknown) => {
        if (isNameTaken(error)) throw nameTaken();
        throw error;
      });
  });
}

/** Moves a file to the trash; it keeps counting against the quota until purged. */
export async function trashFile(db: Knex, ownerId: string, fileId: string): Promise<File> {
  return db.transaction(async (trx) => {
    const file = await lockOwnedFile(trx, ownerId, fileId);
    if (file.trashedAt) return file;
    if (file.status === "uploading") throw new DomainError("upload_open", "Abort the upload instead of trashing it.");
    const trashed = await file.$query(trx).patchAndFetch({ trashedAt: new Date(), trashRootId: file.id });
    await recordAudit(trx, { actorId: ownerId, action: "file.trashed", targetType: "file", targetId: fileId });
    return trashed;
  });
}

/**
 * Brings a file the user trashed back to its folder (or the root when that folder is gone), as
 * "name (1)" when its name was taken meanwhile.
 */
export async function restoreFile(db: Knex, ownerId: string, fileId: string): Promise<File> {
  return db.transaction(async (trx) => {
    const file = await lockOwnedFile(trx, ownerId, fileId);
    if (!file.trashedAt) return file;
    if (file.status === "quarantined") throw new DomainError("quarantined", "An infected file cannot be restored.");
    if (file.trashRootId !== file.id)
      throw new DomainError("in_trashed_folder", "Restore the folder this file was trashed with.");
    const folder = file.folderId ? await Folder.query(trx).findById(file.folderId) : undefined;
    const folderId = folder && !folder.trashedAt ? folder.id : null;
    const name = await freeName(trx, "file", ownerId, folderId, file.name);
    const restored = await file.$query(trx).patchAndFetch({ trashedAt: null, trashRootId: null, folderId, name });
    await recordAudit(trx, { actorId: ownerId, action: "file.restored", targetType: "file", targetId: fileId });
    return restored;
  });
}

export interface DeleteFileProps {
  db: Knex;
  storage: Storage;
  fileId: string;
  /** Restricts the delete to this owner's file (routes); housekeeping passes none. */
  ownerId?: string;
  actorId: string | null;
  reason: string;
  /**
   * Further conditions the row must still meet when it is deleted (housekeeping: still past its
   * retention), so a file restored a moment earlier is left alone. Added to the delete with AND
   * (`where`, never `orWhere`).
   */
  onlyWhere?: (query: QueryBuilder<File, number>) => void;
}

/**
 * Deletes a file for good: row gone, its shares revoked, the bytes it still held released (used for
 * processing/ready, reserved for an open upload), and, in the same transaction, its object,
 * thumbnail, preview and any open multipart upload recorded for deletion. Those are then removed
 * from S3, or later by housekeeping while S3 is away: once the row is gone nothing here throws for
 * storage. Returns false when there was nothing to delete.
 */
export async function deleteFilePermanently({
  db,
  storage,
  fileId,
  ownerId,
  actorId,
  reason,
  onlyWhere,
}: DeleteFileProps): Promise<boolean> {
  const deleted = await db.transaction(async (trx) => {
    const query = File.query(trx).delete().where({ id: fileId });
    if (ownerId) query.where({ ownerId });
    if (onlyWhere) onlyWhere(query);
    const [file] = await query.returning("*");
    if (!file) return null;
    // The delete already set the file's shares' file_id to NULL (ON DELETE SET NULL): find them by that.
    await Share.query(trx)
      .patch({ revokedAt: new Date() })
      .where({ ownerId: file.ownerId })
      .whereNull("fileId")
      .whereNull("revokedAt");
    const counter = statusRule(file.status).countsAgainstQuota;
    if (counter === "reserved_bytes") await shiftBytes(trx, file.ownerId, { reserved: -file.sizeBytes });
    if (counter === "used_bytes") await shiftBytes(trx, file.ownerId, { used: -file.sizeBytes });
    await recordAudit(trx, {
      actorId,
      action: "file.deleted",
      targetType: "file",
      targetId: fileId,
      details: { reason, ownerId: file.ownerId, sizeBytes: file.sizeBytes, status: file.status },
    });
    const objects: ObjectDeletion[] = [{ key: file.s3Key, uploadId: file.uploadId, reason: "file_deleted" }];
    for (const key of [file.thumbnailKey, file.previewKey]) if (key) objects.push({ key, reason: "file_deleted" });
    return recordObjectDeletions(trx, objects);
  });
  if (!deleted) return false;
  // The row is gone for good: S3 being away now only delays the objects (housekeeping finishes them).
  await carryOutObjectDeletions(db, storage, deleted);
  return true;
}

/** What the user put in the trash themselves (not the content of trashed folders), newest first. */
export async function listTrash(db: Knex, ownerId: string, limit: number) {
  const [folders, files] = await Promise.all([
    Folder.query(db)
      .where({ ownerId })
      .whereNotNull("trashedAt")
      .whereColumn("trashRootId", "id")
      .orderBy("trashedAt", "desc")
      .limit(limit),
    File.query(db)
      .where({ ownerId })
      .whereNotNull("trashedAt")
      .whereColumn("trashRootId", "id")
      .orderBy("trashedAt", "desc")
      .limit(limit),
  ]);
  return { folders, files };
}

export function assertPartNumbers(partNumbers: number[], partCount: number): void {
  const outside = partNumbers.filter((n) => n > partCount);
  if (outside.length)
    throw new DomainError("bad_request", `This upload has ${partCount} parts.`, { partNumbers: outside });
}
