import { BaseModel } from "./base-model";

export type FileStatus = "uploading" | "processing" | "ready" | "quarantined" | "failed" | "rejected";

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
  trashedAt!: Date | null;
  /** The file or folder whose deletion put this one in the trash. */
  trashRootId!: string | null;
}
