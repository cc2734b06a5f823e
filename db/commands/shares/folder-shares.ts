import type { Knex } from "knex";
import { DomainError } from "../../../lib/domain-errors";
import { SERVABLE_STATUSES, sqlStatusList } from "../../../lib/file-status";
import { hashPassword } from "../../../lib/passwords";
import { randomToken } from "../../../lib/tokens";
import { safeZipPath } from "../../../lib/zip-paths";
import { Folder, Share } from "../../models";
import { findOwnedFolder } from "../files/find";
import { SHARE_OWNER_ACTIVE_SQL } from "./downloads";
import { recordAudit } from "../record";

export interface CreateFolderShareProps {
  db: Knex;
  ownerId: string;
  folderId: string;
  password?: string | null;
  expiresAt?: Date | null;
  maxDownloads?: number | null;
  ip?: string;
}

/**
 * Shares a folder of the user's that is not in the trash: its link lists the folder's ready files
 * (subfolders included) and downloads them as one ZIP. The folder's state is checked in the INSERT
 * itself. 404 for another user's folder, 409 `folder_trashed` for a trashed one.
 */
export async function createFolderShare(props: CreateFolderShareProps): Promise<Share> {
  const { db, ownerId, folderId } = props;
  const passwordHash = props.password ? await hashPassword(props.password) : null;
  return db.transaction(async (trx) => {
    const inserted = await trx.raw<{ rows: { id: string }[] }>(
      `INSERT INTO shares (folder_id, owner_id, token, password_hash, expires_at, max_downloads)
       SELECT id, owner_id, ?, ?, ?, ? FROM folders
        WHERE id = ? AND owner_id = ? AND trashed_at IS NULL
       RETURNING id`,
      [randomToken(), passwordHash, props.expiresAt ?? null, props.maxDownloads ?? null, folderId, ownerId],
    );
    const id = inserted.rows[0]?.id;
    if (!id) {
      await findOwnedFolder(trx, ownerId, folderId);
      throw new DomainError("folder_trashed", "Restore the folder from the trash to share it.");
    }
    await recordAudit(trx, {
      actorId: ownerId,
      action: "share.created",
      targetType: "share",
      targetId: id,
      ip: props.ip,
      details: {
        folderId,
        hasPassword: passwordHash !== null,
        expiresAt: props.expiresAt ?? null,
        maxDownloads: props.maxDownloads ?? null,
      },
    });
    return (await Share.query(trx).findById(id))!;
  });
}

/** The folders of some shares, by id (deleted folders are simply absent). */
export async function foldersOfShares(db: Knex, shares: Share[]): Promise<Map<string, Folder>> {
  const ids = [...new Set(shares.map((s) => s.folderId).filter((id): id is string => id !== null))];
  const folders = ids.length ? await Folder.query(db).findByIds(ids) : [];
  return new Map(folders.map((folder) => [folder.id, folder]));
}

/** The share of a folder-share link with its folder; undefined when the token names no folder share. */
export async function findFolderShareByToken(
  db: Knex,
  token: string,
): Promise<{ share: Share; folder: Folder | null } | undefined> {
  const share = await Share.query(db).findOne({ token }).whereNotNull("folderId");
  if (!share) return undefined;
  const folder = (await Folder.query(db).findById(share.folderId!)) ?? null;
  return { share, folder };
}

/** One file of a shared folder: where it goes in the ZIP and where its bytes are. */
export interface SharedFolderFile {
  /** Relative to the shared folder, `/`-separated, safe as a ZIP entry name. */
  path: string;
  sizeBytes: number;
  s3Key: string;
  updatedAt: Date;
}

/**
 * The ready files under a folder, subfolders included, that are out of the trash, ordered by path.
 * A file whose path is not a safe relative path (lib/zip-paths) is left out, never renamed.
 */
export async function listSharedFolderFiles(db: Knex, ownerId: string, folderId: string): Promise<SharedFolderFile[]> {
  const { rows } = await db.raw<{ rows: { segments: string[]; sizeBytes: number; s3Key: string; updatedAt: Date }[] }>(
    `WITH RECURSIVE tree AS (
       SELECT id, ARRAY[]::text[] AS segments FROM folders WHERE id = ? AND owner_id = ? AND trashed_at IS NULL
       UNION ALL
       SELECT c.id, tree.segments || c.name FROM folders c JOIN tree ON c.parent_id = tree.id
        WHERE c.owner_id = ? AND c.trashed_at IS NULL
     )
     SELECT tree.segments || f.name AS segments, f.size_bytes AS "sizeBytes", f.s3_key AS "s3Key", f.updated_at AS "updatedAt"
       FROM files f JOIN tree ON f.folder_id = tree.id
      WHERE f.owner_id = ? AND f.status IN (${sqlStatusList(SERVABLE_STATUSES)}) AND f.trashed_at IS NULL`,
    [folderId, ownerId, ownerId, ownerId],
  );
  const files: SharedFolderFile[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const path = safeZipPath(row.segments);
    if (path === null || seen.has(path)) continue;
    seen.add(path);
    files.push({ path, sizeBytes: row.sizeBytes, s3Key: row.s3Key, updatedAt: row.updatedAt });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** What a counted folder download needs. */
export interface CountedFolderDownload {
  folderId: string;
  ownerId: string;
  name: string;
  downloadCount: number;
}

/**
 * Counts one download of a live folder link with the same single conditional UPDATE as a file link
 * (not revoked, not expired, below its limit, its owner not disabled), the folder out of the trash:
 * a link allowed N downloads gives N ZIPs however many ask at once. Null when the link is gone
 * (nothing counted).
 */
export async function countFolderShareDownload(db: Knex, shareId: string): Promise<CountedFolderDownload | null> {
  const { rows } = await db.raw<{ rows: CountedFolderDownload[] }>(
    `UPDATE shares s SET download_count = s.download_count + 1, updated_at = now()
       FROM folders fo
      WHERE s.id = ? AND fo.id = s.folder_id AND fo.trashed_at IS NULL
        AND s.revoked_at IS NULL
        AND (s.expires_at IS NULL OR s.expires_at > now())
        AND (s.max_downloads IS NULL OR s.download_count < s.max_downloads)
        AND ${SHARE_OWNER_ACTIVE_SQL}
      RETURNING fo.id AS "folderId", fo.owner_id AS "ownerId", fo.name, s.download_count AS "downloadCount"`,
    [shareId],
  );
  return rows[0] ?? null;
}
