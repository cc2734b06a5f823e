import type { Knex } from "knex";
import { AuditEntry, UploadEvent, type UploadEventType } from "../models";

export interface AuditProps {
  actorId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  ip?: string | null;
  details?: Record<string, unknown>;
}

/** Appends one audit_log entry, inside the caller's transaction when given one. */
export async function recordAudit(db: Knex | Knex.Transaction, entry: AuditProps): Promise<void> {
  await AuditEntry.query(db).insert({ details: {}, ...entry });
}

export interface UploadEventProps {
  fileId: string;
  userId: string;
  type: UploadEventType;
  mimeType?: string | null;
  bytes?: number | null;
  reason?: string | null;
}

/** Appends one upload_events row (the admin analytics read these). */
export async function recordUploadEvent(db: Knex | Knex.Transaction, event: UploadEventProps): Promise<void> {
  await UploadEvent.query(db).insert(event);
}
