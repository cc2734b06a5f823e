import type { FileStatus } from "../../lib/file-status";
import { BaseModel } from "./base-model";

export type { FileStatus };

export class File extends BaseModel {
  static override tableName = "files";

  id!: string;
  ownerId!: string;
  folderId!: string | null;
  name!: string;
  sizeBytes!: number;
  mimeType!: string;
  s3Key!: string;
  status!: FileStatus;
  statusReason!: string | null;
  uploadId!: string | null;
  lastHeartbeatAt!: Date | null;
  sha256!: string | null;
  scanSignature!: string | null;
  scannedAt!: Date | null;
  thumbnailKey!: string | null;
  /** The type the scan detected from the bytes (lib/type-detection); downloads are sent with it. */
  detectedMimeType!: string | null;
  /** How the scan covered the bytes: in one stream, or in overlapping windows (LARGE_FILE_SCAN=windowed). */
  scanCoverage!: "full" | "windowed" | null;
  /** A windowed scan's INSTREAM session size (CLAMAV_MAX_BYTES then) and the bytes each window repeats of the one before. */
  scanWindowBytes!: number | null;
  scanOverlapBytes!: number | null;
  /** A ready file's larger WebP preview (images, video poster frames, a PDF's first page). */
  previewKey!: string | null;
  trashedAt!: Date | null;
  /** The file or folder whose deletion put this one in the trash. */
  trashRootId!: string | null;
}
