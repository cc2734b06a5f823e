import type { Knex } from "knex";
import { DomainError } from "../../../lib/domain-errors";
import { hashPassword } from "../../../lib/passwords";
import { Share } from "../../models";
import { recordAudit } from "../record";
import { findOwnedShare } from "./find";

/** What PATCH /shares/:id may change; undefined leaves a field alone, null removes it. */
export interface ShareChanges {
  password?: string | null;
  expiresAt?: Date | null;
  maxDownloads?: number | null;
}

export interface UpdateShareProps {
  db: Knex;
  ownerId: string;
  shareId: string;
  changes: ShareChanges;
  ip?: string;
}

/**
 * Changes a share's password, expiry or download limit in one conditional UPDATE: a new limit must
 * not be below the downloads already counted, and the row lock makes a download counted at the
 * same moment either come first (and be checked) or see the new limit. 404 for another user's
 * share, 409 `share_revoked` (a revoked link stays revoked), 400 `below_download_count`.
 */
export async function updateShare({ db, ownerId, shareId, changes, ip }: UpdateShareProps): Promise<Share> {
  const patch: Record<string, unknown> = {};
  if (changes.password !== undefined)
    patch.password_hash = changes.password === null ? null : await hashPassword(changes.password);
  if (changes.expiresAt !== undefined) patch.expires_at = changes.expiresAt;
  if (changes.maxDownloads !== undefined) patch.max_downloads = changes.maxDownloads;
  return db.transaction(async (trx) => {
    const rows: Record<string, unknown>[] = await trx("shares")
      .update({ ...patch, updated_at: trx.fn.now() })
      .where({ id: shareId, owner_id: ownerId })
      .whereNull("revoked_at")
      .where((q) => {
        if (changes.maxDownloads != null) q.where("download_count", "<=", changes.maxDownloads);
      })
      .returning("*");
    if (rows.length === 0) throw await whyNotEditable(trx, ownerId, shareId, changes);
    const share = Share.fromDatabaseJson(rows[0]!);
    await recordAudit(trx, {
      actorId: ownerId,
      action: "share.updated",
      targetType: "share",
      targetId: shareId,
      ip,
      details: {
        ...(changes.password !== undefined && { hasPassword: changes.password !== null }),
        ...(changes.expiresAt !== undefined && { expiresAt: changes.expiresAt }),
        ...(changes.maxDownloads !== undefined && { maxDownloads: changes.maxDownloads }),
      },
    });
    return share;
  });
}

async function whyNotEditable(trx: Knex.Transaction, ownerId: string, shareId: string, changes: ShareChanges) {
  const share = await findOwnedShare(trx, ownerId, shareId);
  if (share.revokedAt) return new DomainError("share_revoked", "A revoked link cannot be changed; create a new one.");
  return new DomainError(
    "below_download_count",
    `This link was already downloaded ${share.downloadCount} times; the limit cannot be ${changes.maxDownloads}.`,
    { downloadCount: share.downloadCount },
  );
}
