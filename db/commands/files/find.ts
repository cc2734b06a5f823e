import type { Knex } from "knex";
import { notFound } from "../../../lib/domain-errors";
import { File, Folder } from "../../models";

/** Any file by id, or undefined: for workflows' activities, which act for no user. */
export async function findFile(db: Knex | Knex.Transaction, fileId: string): Promise<File | undefined> {
  return File.query(db).findById(fileId);
}

/** The user's file, trashed or not; another user's file is "not found". */
export async function findOwnedFile(db: Knex | Knex.Transaction, ownerId: string, fileId: string): Promise<File> {
  const file = await File.query(db).findOne({ id: fileId, ownerId });
  if (!file) throw notFound("file");
  return file;
}

/**
 * The user's file, row-locked until the transaction ends, for a change that depends on what the
 * row says now (a workflow may be moving it to quarantined at the same moment).
 */
export async function lockOwnedFile(trx: Knex.Transaction, ownerId: string, fileId: string): Promise<File> {
  const file = await File.query(trx).findOne({ id: fileId, ownerId }).forUpdate();
  if (!file) throw notFound("file");
  return file;
}

/** The user's folder, row-locked until the transaction ends. */
export async function lockOwnedFolder(trx: Knex.Transaction, ownerId: string, folderId: string): Promise<Folder> {
  const folder = await Folder.query(trx).findOne({ id: folderId, ownerId }).forUpdate();
  if (!folder) throw notFound("folder");
  return folder;
}

/** The user's folder, trashed or not; another user's folder is "not found". */
export async function findOwnedFolder(db: Knex | Knex.Transaction, ownerId: string, folderId: string): Promise<Folder> {
  const folder = await Folder.query(db).findOne({ id: folderId, ownerId });
  if (!folder) throw notFound("folder");
  return folder;
}

/** A folder new items may go into: the user's own and not in the trash. */
export async function findLiveFolder(db: Knex | Knex.Transaction, ownerId: string, folderId: string): Promise<Folder> {
  const folder = await findOwnedFolder(db, ownerId, folderId);
  if (folder.trashedAt) throw notFound("folder");
  return folder;
}

/** True for PostgreSQL's unique-violation on the live-name indexes. */
export function isNameTaken(error: unknown): boolean {
  const pg = error as { code?: string; constraint?: string; nativeError?: { code?: string; constraint?: string } };
  const code = pg.nativeError?.code ?? pg.code;
  const constraint = pg.nativeError?.constraint ?? pg.constraint ?? "";
  return code === "23505" && constraint.endsWith("_live_name_unique");
}
