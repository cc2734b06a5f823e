import type { Knex } from "knex";
import { type FileStatus, statusesWhere, USED_BYTES_STATUSES } from "../../../lib/file-status";
import { verifyPassword } from "../../../lib/passwords";
import type { User } from "../../models";
import { recordAudit } from "../record";
import { wrongPassword } from "./password";

export interface RequestAccountDeletionProps {
  db: Knex;
  user: User;
  password: string;
  ip: string;
}

export interface AccountDeletionRequested {
  /** False when the account was already marked (asking twice is harmless). */
  firstRequest: boolean;
  sessionsEnded: number;
}

/**
 * DELETE /me: after the password, the account is locked at once (disabled, marked for deletion,
 * every session revoked, every share link revoked), in one transaction; the AccountDeletion workflow
 * removes the rest. Asking twice is harmless: only the first request marks and audits. A wrong
 * password fails with wrong_password.
 */
export async function requestAccountDeletion({
  db,
  user,
  password,
  ip,
}: RequestAccountDeletionProps): Promise<AccountDeletionRequested> {
  if (!(await verifyPassword(user.passwordHash, password))) throw wrongPassword();
  return db.transaction(async (trx) => {
    const marked = await trx("users")
      .where({ id: user.id })
      .whereNull("deletionRequestedAt")
      .update({
        deletionRequestedAt: trx.fn.now(),
        disabledAt: trx.raw("coalesce(disabled_at, now())"),
        updatedAt: trx.fn.now(),
      });
    const ended = await trx("refresh_tokens")
      .where({ userId: user.id })
      .whereNull("revokedAt")
      .update({ revokedAt: trx.fn.now() }, ["familyId"]);
    const sessionsEnded = new Set(ended.map((row: { familyId: string }) => row.familyId)).size;
    const sharesRevoked = await trx("shares")
      .where({ ownerId: user.id })
      .whereNull("revokedAt")
      .update({ revokedAt: trx.fn.now() });
    if (marked)
      await recordAudit(trx, {
        actorId: user.id,
        action: "user.deletion_requested",
        targetType: "user",
        targetId: user.id,
        ip,
        details: { sessionsEnded, sharesRevoked },
      });
    return { firstRequest: marked > 0, sessionsEnded };
  });
}

/** Whether the account is marked for deletion, already gone, or not to be deleted at all. */
export type AccountState = "marked" | "gone" | "active";

export async function accountDeletionState(db: Knex, userId: string): Promise<AccountState> {
  const user = await db("users").where({ id: userId }).first("deletionRequestedAt");
  if (!user) return "gone";
  return user.deletionRequestedAt ? "marked" : "active";
}

/** Users marked for deletion, oldest request first, after `after` (for restarting their workflows). */
export async function findAccountsBeingDeleted(
  db: Knex,
  { after, limit }: { after: string | null; limit: number },
): Promise<string[]> {
  const query = db("users").whereNotNull("deletionRequestedAt").orderBy("id").limit(limit).pluck("id");
  if (after) query.where("id", ">", after);
  return query;
}

/** A page of a user's files as S3 sees them: every key they may have written, and open multipart uploads. */
export interface OwnedFile {
  id: string;
  s3Key: string;
  uploadId: string | null;
  thumbnailKey: string | null;
  status: FileStatus;
}

/** The next `limit` files of a user, in id order (deleted as they go, so the next call gets the next). */
export async function findOwnedFiles(db: Knex, userId: string, limit: number): Promise<OwnedFile[]> {
  return db("files")
    .where({ ownerId: userId })
    .orderBy("id")
    .limit(limit)
    .select("id", "s3Key", "uploadId", "thumbnailKey", "status");
}

const RESERVED_BYTES_STATUSES = statusesWhere((rule) => rule.countsAgainstQuota === "reserved_bytes");

/**
 * Deletes these files' rows and gives their bytes back in the same statement, so the user's counters
 * stay equal to their files at every moment (SPEC §11 #3) even if the deletion stops here.
 */
export async function deleteOwnedFileRows(db: Knex, userId: string, fileIds: string[]): Promise<number> {
  if (fileIds.length === 0) return 0;
  const result = await db.raw(
    `WITH gone AS (
       DELETE FROM files WHERE owner_id = ? AND id = ANY(?::uuid[]) RETURNING status, size_bytes
     ), freed AS (
       SELECT coalesce(sum(size_bytes) FILTER (WHERE status = ANY(?)), 0) AS used,
              coalesce(sum(size_bytes) FILTER (WHERE status = ANY(?)), 0) AS reserved,
              count(*) AS rows
       FROM gone
     ), shifted AS (
       UPDATE users SET used_bytes = used_bytes - freed.used, reserved_bytes = reserved_bytes - freed.reserved
       FROM freed WHERE users.id = ? AND freed.rows > 0
     )
     SELECT rows FROM freed`,
    [userId, fileIds, USED_BYTES_STATUSES, RESERVED_BYTES_STATUSES, userId],
  );
  return Number((result.rows as { rows: string }[])[0]?.rows ?? 0);
}

/** The user's rows besides files, each table deleted page by page; the user row goes last. */
export const ownedTables = [
  { table: "shares", column: "owner_id" },
  { table: "folders", column: "owner_id" },
  { table: "upload_events", column: "user_id" },
  { table: "email_verifications", column: "user_id" },
  { table: "password_resets", column: "user_id" },
  { table: "refresh_tokens", column: "user_id" },
] as const;

/**
 * Deletes up to `limit` rows of the user from one table; returns how many. A folder's delete
 * cascades to its subfolders (all the user's; their files are gone by then).
 */
export async function deleteOwnedRows(
  db: Knex,
  { userId, table, limit }: { userId: string; table: (typeof ownedTables)[number]["table"]; limit: number },
): Promise<number> {
  const { column } = ownedTables.find((owned) => owned.table === table)!;
  return db(table).whereIn("ctid", db(table).select("ctid").where(column, userId).limit(limit)).delete();
}

/**
 * The last step: the user row goes (anything still pointing at it by a cascading key with it) and
 * one `user.deleted` entry stays in the audit log. A rerun after it finds no row and records
 * nothing, so there is exactly one entry. Returns whether this call deleted the row.
 */
export async function deleteUserRow(
  db: Knex,
  { userId, details }: { userId: string; details: Record<string, unknown> },
): Promise<boolean> {
  return db.transaction(async (trx) => {
    const [gone] = await trx("users")
      .where({ id: userId })
      .whereNotNull("deletionRequestedAt")
      .delete(["email", "deletionRequestedAt"]);
    if (!gone) return false;
    await recordAudit(trx, {
      actorId: null,
      action: "user.deleted",
      targetType: "user",
      targetId: userId,
      details: { ...details, email: gone.email, requestedAt: gone.deletionRequestedAt },
    });
    return true;
  });
}
