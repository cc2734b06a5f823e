import { BaseModel } from "./base-model";

export class Share extends BaseModel {
  static override tableName = "shares";

  id!: string;
  /** NULL once the file was permanently deleted (the link then answers 410). */
  fileId!: string | null;
  /** Set for a folder share (file_id is then null); NULL once the folder was deleted for good. */
  folderId!: string | null;
  ownerId!: string;
  token!: string;
  passwordHash!: string | null;
  expiresAt!: Date | null;
  maxDownloads!: number | null;
  downloadCount!: number;
  revokedAt!: Date | null;
}
