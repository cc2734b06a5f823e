import type { Knex } from "knex";
import { DomainError, nameTaken } from "../../../lib/domain-errors";
import { LISTED_STATUSES } from "../../../lib/file-status";
import { File, Folder } from "../../models";
import { recordAudit } from "../record";
import { findLiveFolder, findOwnedFolder, isNameTaken, lockOwnedFolder } from "./find";
import { freeName } from "./free-name";

export async function createFolder(db: Knex, ownerId: string, name: string, parentId: string | null): Promise<Folder> {
  return db.transaction(async (trx) => {
    if (parentId) await findLiveFolder(trx, ownerId, parentId);
    return Folder.query(trx)
      .insertAndFetch({ ownerId, parentId, name })
      .catch((error: unknown) => {
        if (isNameTaken(error)) throw nameTaken();
        throw error;
      });
  });
}

/** The folder's ancestors from the root down to the folder itself. */
export async function breadcrumbs(db: Knex, folderId: string): Promise<{ id: string; name: string }[]> {
  const { rows } = await db.raw<{ rows: { id: string; name: string; depth: number }[] }>(
    `WITH RECURSIVE up AS (
       SELECT id, parent_id, name, 0 AS depth FROM folders WHERE id = ?
       UNION ALL
       SELECT f.id, f.parent_id, f.name, up.depth + 1 FROM folders f JOIN up ON f.id = up.parent_id
     )
     SELECT id, name, depth FROM up ORDER BY depth DESC`,
    [folderId],
  );
  return rows.map(({ id, name }) => ({ id, name }));
}

/** True when `candidateId` is `folderId` itself or lies anywhere below it. */
async function isSelfOrDescendant(trx: Knex.Transaction, folderId: string, candidateId: string): Promise<boolean> {
  const { rows } = await trx.raw<{ rows: unknown[] }>(
    `WITH RECURSIVE down AS (
       SELECT id FROM folders WHERE id = ?
       UNION ALL
       SELECT f.id FROM folders f JOIN down ON f.parent_id = down.id
     )
     SELECT 1 FROM down WHERE id = ? LIMIT 1`,
    [folderId, candidateId],
  );
  return rows.length > 0;
}

export interface UpdateFolderProps {
  db: Knex;
  ownerId: string;
  folderId: string;
  name?: string;
  /** New parent; null for the root, undefined to stay. */
  parentId?: string | null;
}

/** Renames and/or moves a live folder; never into itself or one of its descendants. */
export async function updateFolder({ db, ownerId, folderId, name, parentId }: UpdateFolderProps): Promise<Folder> {
  return db.transaction(async (trx) => {
    const folder = await findOwnedFolder(trx, ownerId, folderId);
    if (folder.trashedAt) throw new DomainError("folder_trashed", "Restore the folder from the trash first.");
    if (parentId) {
      await findLiveFolder(trx, ownerId, parentId);
      // Serialise moves of this user's folders so two crossing moves cannot build a cycle.
      await trx.raw("SELECT pg_advisory_xact_lock(hashtext(?))", [`folders:${ownerId}`]);
      if (await isSelfOrDescendant(trx, folderId, parentId)) {
        throw new DomainError("bad_request", "A folder cannot move into itself or one of its subfolders.", {
          reason: "invalid_move",
        });
      }
    }
    const patch = { ...(name === undefined ? {} : { name }), ...(parentId === undefined ? {} : { parentId }) };
    if (Object.keys(patch).length === 0) return folder;
    return folder
      .$query(trx)
      .patchAndFetch(patch)
      .catch((error: unknown) => {
        if (isNameTaken(error)) throw nameTaken();
        throw error;
      });
  });
}

const subtree = `WITH RECURSIVE tree AS (
    SELECT id FROM folders WHERE id = ?
    UNION ALL
    SELECT f.id FROM folders f JOIN tree ON f.parent_id = tree.id WHERE f.trashed_at IS NULL
  )`;

/** Puts the folder and everything live below it in the trash, as one deletion. */
export async function trashFolder(db: Knex, ownerId: string, folderId: string): Promise<Folder> {
  return db.transaction(async (trx) => {
    const folder = await lockOwnedFolder(trx, ownerId, folderId);
    if (folder.trashedAt) return folder;
    const { rows: open } = await trx.raw<{ rows: unknown[] }>(
      `${subtree} SELECT 1 FROM files WHERE folder_id IN (SELECT id FROM tree) AND status = 'uploading' LIMIT 1`,
      [folderId],
    );
    if (open.length)
      throw new DomainError("upload_open", "Finish or abort the uploads in this folder before trashing it.");
    const now = new Date();
    // Files first: the subtree walks live folders only.
    await trx.raw(
      `${subtree} UPDATE files SET trashed_at = ?, trash_root_id = ?
        WHERE folder_id IN (SELECT id FROM tree) AND trashed_at IS NULL AND status <> 'uploading'`,
      [folderId, now, folderId],
    );
    await trx.raw(
      `${subtree} UPDATE folders SET trashed_at = ?, trash_root_id = ? WHERE id IN (SELECT id FROM tree) AND trashed_at IS NULL`,
      [folderId, now, folderId],
    );
    await recordAudit(trx, { actorId: ownerId, action: "folder.trashed", targetType: "folder", targetId: folderId });
    return findOwnedFolder(trx, ownerId, folderId);
  });
}

/**
 * Brings back a folder the user trashed with everything trashed along with it, into its old parent
 * (or the root when that is gone), as "name (1)" when its name was taken meanwhile.
 */
export async function restoreFolder(db: Knex, ownerId: string, folderId: string): Promise<Folder> {
  return db
    .transaction(async (trx) => {
      const folder = await lockOwnedFolder(trx, ownerId, folderId);
      if (!folder.trashedAt) return folder;
      if (folder.trashRootId !== folder.id)
        throw new DomainError("in_trashed_folder", "Restore the folder this one was trashed with.");
      const parent = folder.parentId ? await Folder.query(trx).findById(folder.parentId) : undefined;
      const parentId = parent && !parent.trashedAt ? parent.id : null;
      const name = await freeName(trx, "folder", ownerId, parentId, folder.name);
      await Folder.query(trx)
        .patch({ trashedAt: null, trashRootId: null })
        .where({ trashRootId: folderId })
        .whereNot({ id: folderId });
      await File.query(trx).patch({ trashedAt: null, trashRootId: null }).where({ trashRootId: folderId });
      const restored = await folder.$query(trx).patchAndFetch({ trashedAt: null, trashRootId: null, parentId, name });
      await recordAudit(trx, { actorId: ownerId, action: "folder.restored", targetType: "folder", targetId: folderId });
      return restored;
    })
    .catch((error: unknown) => {
      // Only the folder itself is renamed on a clash; an item inside may clash with one created meanwhile.
      if (isNameTaken(error))
        throw new DomainError("name_taken", "An item in this folder clashes with one created since; rename it first.");
      throw error;
    });
}

export interface ListingCursor {
  kind: "folder" | "file";
  name: string;
  id: string;
}

/**
 * One page of a folder's live content: subfolders first, then files, each by name then id.
 * `nextCursor` is set when there is more.
 */
export async function listFolderContent(
  db: Knex,
  ownerId: string,
  folderId: string | null,
  limit: number,
  after?: ListingCursor,
) {
  const folders: Folder[] = [];
  if (!after || after.kind === "folder") {
    const query = Folder.query(db)
      .where({ ownerId, parentId: folderId })
      .whereNull("trashedAt")
      .orderBy([{ column: "name" }, { column: "id" }])
      .limit(limit + 1);
    if (after) query.whereRaw("(name, id) > (?, ?::uuid)", [after.name, after.id]);
    folders.push(...(await query));
  }
  const files: File[] = [];
  const room = limit + 1 - folders.length;
  if (room > 0) {
    const query = File.query(db)
      .where({ ownerId, folderId })
      .whereNull("trashedAt")
      .whereIn("status", LISTED_STATUSES)
      .orderBy([{ column: "name" }, { column: "id" }])
      .limit(room);
    if (after?.kind === "file") query.whereRaw("(name, id) > (?, ?::uuid)", [after.name, after.id]);
    files.push(...(await query));
  }
  const items = [
    ...folders.map((f) => ({ kind: "folder" as const, item: f })),
    ...files.map((f) => ({ kind: "file" as const, item: f })),
  ];
  const page = items.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor: ListingCursor | null =
    items.length > limit && last ? { kind: last.kind, name: last.item.name, id: last.item.id } : null;
  return {
    folders: page.filter((i) => i.kind === "folder").map((i) => i.item as Folder),
    files: page.filter((i) => i.kind === "file").map((i) => i.item as File),
    nextCursor,
  };
}
