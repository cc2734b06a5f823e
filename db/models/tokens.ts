import { Model } from "objection";

class TokenRow extends Model {}

export class EmailVerification extends TokenRow {
  static override tableName = "email_verifications";

  id!: string;
  userId!: string;
  tokenHash!: string;
  expiresAt!: Date;
  usedAt!: Date | null;
  createdAt!: Date;
}

export class RefreshToken extends TokenRow {
  static override tableName = "refresh_tokens";

  id!: string;
  userId!: string;
  familyId!: string;
  tokenHash!: string;
  expiresAt!: Date;
  usedAt!: Date | null;
  revokedAt!: Date | null;
  createdAt!: Date;
  ip!: string | null;
  userAgent!: string | null;
  sessionCreatedAt!: Date | null;
  lastUsedAt!: Date | null;
}

export class PasswordReset extends TokenRow {
  static override tableName = "password_resets";

  id!: string;
  userId!: string;
  tokenHash!: string;
  expiresAt!: Date;
  usedAt!: Date | null;
  createdAt!: Date;
}
