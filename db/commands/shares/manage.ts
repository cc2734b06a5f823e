import type { Knex } from "knex";
import { DomainError, notFound } from "../../../lib/domain-errors";
import { SERVABLE_STATUSES, statusRule } from "../../../lib/file-status";
import { hashPassword } from "../../../lib/passwords";
import { randomToken } from "../../../lib/tokens";
import { File, Share } from "../../models";
import { recordAudit } from "../record";
import { findOwnedFile } from "../files/find";
import { findOwnedShare } from "./find";

export interface CreateShareProps {
  db: Knex;
  ownerId: string;
  fileId: string;
  /** Stored as an argon2id hash; none means anyone with the link may download. */
  password?: string | null;
  expiresAt?: Date | null;
  maxDownloads?: number | null;
  ip?: string;
}

/** True for PostgreSQL's foreign-key violation (the file was deleted while we inserted). */
function isMissingReference(error: unknown): boolean {
  const pg = error as { code?: string; nativeError?: { code?: string } };
  return (pg.nativeError?.code ?? pg.code) === "23503";
}

/**
 * Shares a file of the user's that is ready and not in the trash, with a fresh 256-bit token. The
 * file's state is checked in the INSERT itself, so a file trashed or deleted meanwhile gets no
 * share. 404 for another user's file, 409 `not_ready` / `file_trashed` otherwise.
 */
export async function createShare(props: CreateShareProps): Promise<Share> {
  const { db, ownerId, fileId } = props;
  const passwordHash = props.password ? await hashPassword(props.password) : null;
  return db.transaction(async (trx) => {
    const inserted = await trx
      .raw<{ rows: { id: string }[] }>(
        `INSERT INTO shares (file_id, owner_id, token, password_hash, expires_at, max_downloads)
         SELECT id, owner_id, ?, ?, ?, ? FROM files
          WHERE id = ? AND owner_id = ? AND status = ANY(?) AND trashed_at IS NULL
         RETURNING id`,
        [
          randomToken(),
          passwordHash,
          props.expiresAt ?? null,
          props.maxDownloads ?? null,
          fileId,
          ownerId,
          SERVABLE_STATUSES,
        ],
      )
      .catch((error: unknown) => {
        if (isMissingReference(error)) throw notFound("file");
        throw error;
      });
    const id = inserted.rows[0]?.id;
    if (!id) throw await whyNotShareable(trx, ownerId, fileId);
    await recordAudit(trx, {
      actorId: ownerId,
      action: "share.created",
      targetType: "share",
      targetId: id,
      ip: props.ip,
      details: {
        fileId,
        hasPassword: passwordHash !== null,
        expiresAt: props.expiresAt ?? null,
        maxDownloads: props.maxDownloads ?? null,
      },
    });
    return (await Share.query(trx).findById(id))!;
  });
}

async function whyNotShareable(trx: Knex.Transaction, ownerId: string, fileId: string) {
  const file: File = await findOwnedFile(trx, ownerId, fileId);
  if (!statusRule(file.status).servable)
    return new DomainError("not_ready", `The file is ${file.status}; only ready files can be shared.`);
  return new DomainError("file_trashed", "Restore the file from the trash to share it.");
}

export interface RevokeShareProps {
  db: Knex;
  ownerId: string;
  shareId: string;
  ip?: string;
}

/**
 * Revokes the user's share: its link answers 410 from now on, whatever happens to the file (a
 * restore does not bring it back). Revoking twice is harmless; only the first is audited.
 */
export async function revokeShare({ db, ownerId, shareId, ip }: RevokeShareProps): Promise<Share> {
  return db.transaction(async (trx) => {
    const [revoked] = await Share.query(trx)
      .patch({ revokedAt: new Date() })
      .where({ id: shareId, ownerId })
      .whereNull("revokedAt")
      .returning("*");
    if (!revoked) return findOwnedShare(trx, ownerId, shareId);
    await recordAudit(trx, {
      actorId: ownerId,
      action: "share.revoked",
      targetType: "share",
      targetId: shareId,
      ip,
      details: { fileId: revoked.fileId, downloadCount: revoked.downloadCount },
    });
    return revoked;
  });
}
