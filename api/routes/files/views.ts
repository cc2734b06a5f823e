import type { File, Folder } from "../../../db/models";

/** A file as clients see it. */
export function fileView(file: File) {
  return {
    id: file.id,
    name: file.name,
    folderId: file.folderId,
    sizeBytes: file.sizeBytes,
    mimeType: file.mimeType,
    status: file.status,
    statusReason: file.statusReason,
    sha256: file.sha256,
    scannedAt: file.scannedAt,
    hasThumbnail: file.thumbnailKey !== null,
    trashedAt: file.trashedAt,
    createdAt: file.createdAt,
    updatedAt: file.updatedAt,
  };
}

/** A folder as clients see it. */
export function folderView(folder: Folder) {
  return {
    id: folder.id,
    name: folder.name,
    parentId: folder.parentId,
    trashedAt: folder.trashedAt,
    createdAt: folder.createdAt,
    updatedAt: folder.updatedAt,
  };
}
