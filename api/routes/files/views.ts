import { z } from "zod";
import type { File, Folder } from "../../../db/models";
import { FILE_STATUSES } from "../../../lib/file-status";
import { timestamp, uuid } from "../../schemas";

export const FileView = z.object({
  id: uuid,
  name: z.string(),
  folderId: uuid.nullable().describe("null: the root folder."),
  sizeBytes: z.number().int(),
  mimeType: z.string().describe("The type declared at upload."),
  detectedMimeType: z
    .string()
    .nullable()
    .describe("The type the scan detected from the bytes; downloads are sent with it. null until scanned."),
  status: z.enum(FILE_STATUSES).meta({
    description:
      "uploading → processing (scanning) → ready, or quarantined (malware), rejected (not scannable), failed (aborted or lost)",
  }),
  statusReason: z.string().nullable().describe("Why a file is quarantined, rejected or failed."),
  sha256: z.string().nullable().describe("Hex SHA-256 of the bytes, once scanned."),
  scannedAt: timestamp.nullable(),
  scanCoverage: z
    .enum(["full", "windowed"])
    .nullable()
    .describe("full: scanned as one stream; windowed: past the scanner's limit, in overlapping windows."),
  scanWindow: z
    .object({
      windowBytes: z.number().int().describe("Bytes of each INSTREAM session: the scanner's limit."),
      overlapBytes: z.number().int().describe("Bytes each window repeats of the one before."),
    })
    .nullable()
    .describe("With scanCoverage windowed: the windows the bytes were scanned in; else null."),
  hasThumbnail: z.boolean(),
  hasPreview: z.boolean().describe("GET /files/{id}/preview has a larger image of it."),
  trashedAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const FolderView = z.object({
  id: uuid,
  name: z.string(),
  parentId: uuid.nullable().describe("null: in the root."),
  trashedAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** A file as clients see it. */
export function fileView(file: File) {
  return {
    id: file.id,
    name: file.name,
    folderId: file.folderId,
    sizeBytes: file.sizeBytes,
    mimeType: file.mimeType,
    detectedMimeType: file.detectedMimeType,
    status: file.status,
    statusReason: file.statusReason,
    sha256: file.sha256,
    scannedAt: file.scannedAt,
    scanCoverage: file.scanCoverage,
    scanWindow:
      file.scanWindowBytes !== null && file.scanOverlapBytes !== null
        ? { windowBytes: file.scanWindowBytes, overlapBytes: file.scanOverlapBytes }
        : null,
    hasThumbnail: file.thumbnailKey !== null,
    hasPreview: file.previewKey !== null,
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
