import { z } from "zod";
import type { File, Share, ShareDownload } from "../../../db/models";
import { downloadsRemaining, shareState, shareUrl } from "../../../lib/share-rules";
import { timestamp, uuid } from "../../schemas";
import { FileView } from "../files/views";

const remaining = z.number().int().nullable().describe("null: no download limit.");

export const ShareView = z.object({
  id: uuid,
  fileId: uuid.nullable().describe("null once the file was deleted for good."),
  file: FileView.pick({ id: true, name: true, status: true, trashedAt: true }).nullable(),
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
  bytes: z.number().int().describe("Bytes sent; fewer than the file's size when the client went away."),
});

export const PublicShareView = z.object({
  name: z.string(),
  sizeBytes: z.number().int(),
  mimeType: z.string(),
  requiresPassword: z.boolean(),
  expiresAt: timestamp.nullable(),
  downloadsRemaining: remaining,
});

/** A share as its owner sees it; `state` says whether the link works and, if not, why. */
export function shareView(share: Share, file: File | null, appUrl: string, now = new Date()) {
  return {
    id: share.id,
    fileId: share.fileId,
    file: file ? { id: file.id, name: file.name, status: file.status, trashedAt: file.trashedAt } : null,
    url: shareUrl(appUrl, share.token),
    requiresPassword: share.passwordHash !== null,
    expiresAt: share.expiresAt,
    maxDownloads: share.maxDownloads,
    downloadCount: share.downloadCount,
    downloadsRemaining: downloadsRemaining(share),
    state: shareState(share, file, now),
    revokedAt: share.revokedAt,
    createdAt: share.createdAt,
    updatedAt: share.updatedAt,
  };
}

/** One entry of a link's access log. */
export function shareDownloadView(entry: ShareDownload) {
  return { id: entry.id, at: entry.at, ip: entry.ip, userAgent: entry.userAgent, bytes: entry.bytes };
}

/** What anyone holding the link may see (SPEC §6 GET /s/:token). */
export function publicShareView(share: Share, file: File) {
  return {
    name: file.name,
    sizeBytes: file.sizeBytes,
    mimeType: file.mimeType,
    requiresPassword: share.passwordHash !== null,
    expiresAt: share.expiresAt,
    downloadsRemaining: downloadsRemaining(share),
  };
}
