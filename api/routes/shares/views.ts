import type { File, Share, ShareDownload } from "../../../db/models";
import { downloadsRemaining, shareState, shareUrl } from "../../../lib/share-rules";

/** A share as its owner sees it; `state` says whether the link works and, if not, why. */
export function shareView(share: Share, file: File | null, apiUrl: string, now = new Date()) {
  return {
    id: share.id,
    fileId: share.fileId,
    file: file ? { id: file.id, name: file.name, status: file.status, trashedAt: file.trashedAt } : null,
    url: shareUrl(apiUrl, share.token),
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
