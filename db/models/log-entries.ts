import { Model } from "objection";

/** Append-only rows: no updated_at, `at` set by the database. */
class Entry extends Model {}

export class AuditEntry extends Entry {
  static override tableName = "audit_log";

  id!: number;
  actorId!: string | null;
  action!: string;
  targetType!: string | null;
  targetId!: string | null;
  ip!: string | null;
  details!: Record<string, unknown>;
  at!: Date;
}

export type UploadEventType =
  "initiated" | "completed" | "failed" | "scanned_clean" | "scanned_infected" | "scan_error";

export class UploadEvent extends Entry {
  static override tableName = "upload_events";

  id!: number;
  fileId!: string;
  userId!: string;
  type!: UploadEventType;
  mimeType!: string | null;
  bytes!: number | null;
  reason!: string | null;
  at!: Date;
}

export class ShareDownload extends Entry {
  static override tableName = "share_downloads";

  id!: number;
  shareId!: string;
  ip!: string | null;
  userAgent!: string | null;
  bytes!: number;
  redirected!: boolean;
  at!: Date;
}

export class LoginAttempt extends Entry {
  static override tableName = "login_attempts";

  id!: number;
  email!: string;
  ip!: string;
  succeeded!: boolean;
  at!: Date;
}
