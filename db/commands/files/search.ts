import type { Knex } from "knex";
import { LISTED_STATUSES } from "../../../lib/file-status";

export interface SearchCursor {
  name: string;
  id: string;
}

export interface SearchHit {
  kind: "file" | "folder";
  id: string;
  name: string;
  /** The folder it is in; null for the root. */
  folderId: string | null;
  status: string | null;
  sizeBytes: number | null;
  mimeType: string | null;
  updatedAt: Date;
  /** Breadcrumbs of the folder it is in, from the top down. */
  path: { id: string; name: string }[];
}

/** `text` as a LIKE pattern that matches it anywhere, its own %, _ and \ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

interface HitRow {
  kind: "file" | "folder";
  id: string;
  name: string;
  folder_id: string | null;
  status: string | null;
  size_bytes: string | null;
  mime_type: string | null;
  updated_at: Date;
}

/**
 * One page of the user's live folders and files whose name contains `text` (case-insensitive),
 * ordered by name then id; failed uploads and trashed items never match.
 */
export async function searchNames(db: Knex, ownerId: string, text: string, limit: number, after?: SearchCursor) {
  const pattern = containsPattern(text);
  const { rows } = await db.raw<{ rows: HitRow[] }>(
    `SELECT * FROM (
       SELECT 'folder' AS kind, id, name, parent_id AS folder_id, NULL AS status, NULL::bigint AS size_bytes, NULL AS mime_type, updated_at
         FROM folders WHERE owner_id = ? AND trashed_at IS NULL AND lower(name) LIKE ? ESCAPE '\\'
       UNION ALL
       SELECT 'file', id, name, folder_id, status, size_bytes, mime_type, updated_at
         FROM files WHERE owner_id = ? AND trashed_at IS NULL AND status = ANY(?) AND lower(name) LIKE ? ESCAPE '\\'
     ) hits
     WHERE ${after ? "(name, id) > (?, ?::uuid)" : "true"}
     ORDER BY name, id
     LIMIT ?`,
    [ownerId, pattern, ownerId, LISTED_STATUSES, pattern, ...(after ? [after.name, after.id] : []), limit + 1],
  );
  const page = rows.slice(0, limit);
  const paths = await folderPaths(db, [
    ...new Set(page.map((r) => r.folder_id).filter((id): id is string => id !== null)),
  ]);
  const last = page[page.length - 1];
  return {
    results: page.map((row): SearchHit => ({
      kind: row.kind,
      id: row.id,
      name: row.name,
      folderId: row.folder_id,
      status: row.status,
      sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
      mimeType: row.mime_type,
      updatedAt: row.updated_at,
      path: row.folder_id ? (paths.get(row.folder_id) ?? []) : [],
    })),
    nextCursor: rows.length > limit && last ? { name: last.name, id: last.id } : null,
  };
}

/** Breadcrumbs (top folder first) of each folder, in one walk up the tree. */
async function folderPaths(db: Knex, folderIds: string[]): Promise<Map<string, { id: string; name: string }[]>> {
  const paths = new Map<string, { id: string; name: string }[]>();
  if (folderIds.length === 0) return paths;
  const { rows } = await db.raw<{ rows: { start_id: string; id: string; name: string }[] }>(
    `WITH RECURSIVE up AS (
       SELECT id AS start_id, id, parent_id, name, 0 AS depth FROM folders WHERE id IN (${folderIds.map(() => "?").join(", ")})
       UNION ALL
       SELECT up.start_id, f.id, f.parent_id, f.name, up.depth + 1 FROM folders f JOIN up ON f.id = up.parent_id
     )
     SELECT start_id, id, name FROM up ORDER BY start_id, depth DESC`,
    folderIds,
  );
  for (const { start_id, id, name } of rows) paths.set(start_id, [...(paths.get(start_id) ?? []), { id, name }]);
  return paths;
}
