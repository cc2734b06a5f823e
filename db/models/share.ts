import { BaseModel } from "./base-model";

export class Share extends BaseModel {
  static override tableName = "shares";

  id!: string;
  fileId!: string;
  ownerId!: string;
  token!: string;
  passwordHash!: string | null;
  expiresAt!: Date | null;
  maxDownloads!: number | null;
  downloadCount!: number;
  revokedAt!: Date | null;
}
