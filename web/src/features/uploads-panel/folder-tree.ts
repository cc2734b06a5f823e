import { ApiError, api, unwrap } from "../../lib/api/client";
import type { NewUpload } from "../../uploads";

/** The folder `name` inside `parentId` (null: the root), read from the listing page by page. */
async function findFolder(parentId: string | null, name: string): Promise<string | null> {
  let cursor: string | undefined;
  do {
    const query = { cursor, limit: 200 };
    const page = unwrap(
      parentId === null
        ? await api.GET("/folders/root", { params: { query } })
        : await api.GET("/folders/{id}", { params: { path: { id: parentId }, query } }),
    );
    const found = page.folders.find((folder) => folder.name.normalize("NFC") === name.normalize("NFC"));
    if (found) return found.id;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return null;
}

/** Creates folder `name` inside `parentId`, or reuses the one already there. */
async function ensureFolder(parentId: string | null, name: string): Promise<string> {
  const created = await api.POST("/folders", { body: { name, parentId } });
  if (created.response.ok) return unwrap(created).folder.id;
  try {
    unwrap(created);
  } catch (error) {
    if (!(error instanceof ApiError && error.code === "name_taken")) throw error;
  }
  const existing = await findFolder(parentId, name);
  if (!existing) throw new ApiError(409, "name_taken", `“${name}” exists but is not a folder.`);
  return existing;
}

/**
 * The uploads for picked or dropped files: a folder's files (webkitRelativePath "a/b/c.txt") go into
 * the same tree under `folderId`, made first (existing folders are reused); loose files go into `folderId`.
 */
export async function withFolderTree(files: readonly File[], folderId: string | null): Promise<NewUpload[]> {
  const ids = new Map<string, string | null>([["", folderId]]);
  const folderOf = async (directory: string): Promise<string | null> => {
    const known = ids.get(directory);
    if (known !== undefined) return known;
    const slash = directory.lastIndexOf("/");
    const parent = await folderOf(slash < 0 ? "" : directory.slice(0, slash));
    const id = await ensureFolder(parent, directory.slice(slash + 1));
    ids.set(directory, id);
    return id;
  };
  const uploads: NewUpload[] = [];
  for (const file of files) {
    const path = file.webkitRelativePath ?? "";
    const slash = path.lastIndexOf("/");
    uploads.push({ file, folderId: slash < 0 ? folderId : await folderOf(path.slice(0, slash)) });
  }
  return uploads;
}
