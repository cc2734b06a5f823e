import { z } from "zod";
import type { SharedFolderFile } from "../../../db/commands/shares/folder-shares";
import type { File, Folder, Share, ShareDownload } from "../../../db/models";
import { downloadsRemaining, type SharedFileFacts, shareState, shareUrl } from "../../../lib/share-rules";
import { timestamp, uuid } from "../../schemas";
import { FileView } from "../files/views";

/** Entries a folder link's page lists; the ZIP holds them all. */
export const PUBLIC_LISTING_MAX = 1000;

const remaining = z.number().int().nullable().describe("null: no download limit.");

export const ShareView = z.object({
  id: uuid,
  kind: z.enum(["file", "folder"]).describe("A file link, or a folder link downloaded as one ZIP."),
  fileId: uuid.nullable().describe("null once the file was deleted for good, and for a folder share."),
  file: FileView.pick({ id: true, name: true, status: true, trashedAt: true }).nullable(),
  folderId: uuid
    .nullable()
    .describe("The shared folder; null for a file share or once the folder was deleted for good."),
  folder: z.object({ id: uuid, name: z.string(), trashedAt: timestamp.nullable() }).nullable(),
  url: z.string().describe("The public link: give it to the people you share with."),
  requiresPassword: z.boolean(),
  expiresAt: timestamp.nullable(),
  maxDownloads: z.number().int().nullable(),
  downloadCount: z.number().int(),
  downloadsRemaining: remaining,
  state: z
    .enum(["active", "revoked", "expired", "consumed", "file_unavailable"])
    .describe("Whether the link works and, if not, why."),
  revokedAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const ShareDownloadView = z.object({
  id: z.number().int(),
  at: timestamp,
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  bytes: z
    .number()
    .int()
    .describe(
      "Bytes sent; fewer than the file's size when the client went away. For a redirected download, the file's size.",
    ),
  redirected: z
    .boolean()
    .describe("Answered with a redirect to storage (a link with no download limit): storage sent the bytes."),
});

export const PublicShareView = z.object({
  kind: z.enum(["file", "folder"]).describe("A folder link downloads one ZIP of `files`."),
  name: z.string(),
  sizeBytes: z.number().int().describe("For a folder: the sum of its files (the ZIP adds a few bytes per entry)."),
  mimeType: z.string(),
  requiresPassword: z.boolean(),
  expiresAt: timestamp.nullable(),
  downloadsRemaining: remaining,
  files: z
    .array(
      z.object({
        path: z.string().describe("Relative to the shared folder, `/`-separated."),
        sizeBytes: z.number().int(),
      }),
    )
    .optional()
    .describe(`A folder's ready files, by path (at most ${PUBLIC_LISTING_MAX} of them); absent for a file.`),
  fileCount: z.number().int().optional().describe("A folder's ready files in all (the ZIP holds every one)."),
});

/** What decides whether the link's target can be downloaded: the file, or for a folder share its folder (ready unless trashed). */
export function targetFacts(share: Share, file: File | null, folder: Folder | null): SharedFileFacts | null {
  if (share.folderId !== null) return folder ? { status: "ready", trashedAt: folder.trashedAt } : null;
  return file;
}

/** A share as its owner sees it; `state` says whether the link works and, if not, why. */
export function shareView(
  share: Share,
  file: File | null,
  appUrl: string,
  now = new Date(),
  folder: Folder | null = null,
) {
  return {
    id: share.id,
    kind: share.folderId !== null ? ("folder" as const) : ("file" as const),
    fileId: share.fileId,
    file: file ? { id: file.id, name: file.name, status: file.status, trashedAt: file.trashedAt } : null,
    folderId: share.folderId,
    folder: folder ? { id: folder.id, name: folder.name, trashedAt: folder.trashedAt } : null,
    url: shareUrl(appUrl, share.token),
    requiresPassword: share.passwordHash !== null,
    expiresAt: share.expiresAt,
    maxDownloads: share.maxDownloads,
    downloadCount: share.downloadCount,
    downloadsRemaining: downloadsRemaining(share),
    state: shareState(share, targetFacts(share, file, folder), now),
    revokedAt: share.revokedAt,
    createdAt: share.createdAt,
    updatedAt: share.updatedAt,
  };
}

/** One entry of a link's access log. */
export function shareDownloadView(entry: ShareDownload) {
  return {
    id: entry.id,
    at: entry.at,
    ip: entry.ip,
    userAgent: entry.userAgent,
    bytes: entry.bytes,
    redirected: entry.redirected,
  };
}

/** What anyone holding the link may see (SPEC §6 GET /s/:token). */
export function publicShareView(share: Share, file: File) {
  return {
    kind: "file" as const,
    name: file.name,
    sizeBytes: file.sizeBytes,
    mimeType: file.mimeType,
    requiresPassword: share.passwordHash !== null,
    expiresAt: share.expiresAt,
    downloadsRemaining: downloadsRemaining(share),
  };
}

/** What anyone holding a folder link may see: the folder's name and its ready files. */
export function publicFolderShareView(share: Share, folder: Folder, files: SharedFolderFile[]) {
  return {
    kind: "folder" as const,
    name: folder.name,
    sizeBytes: files.reduce((sum, file) => sum + file.sizeBytes, 0),
    mimeType: "application/zip",
    requiresPassword: share.passwordHash !== null,
    expiresAt: share.expiresAt,
    downloadsRemaining: downloadsRemaining(share),
    files: files.slice(0, PUBLIC_LISTING_MAX).map((file) => ({ path: file.path, sizeBytes: file.sizeBytes })),
    fileCount: files.length,
  };
}
