/**
 * What decides whether a public link still works (SPEC §6 "Shares"), as pure functions. The
 * database applies the same rule in one conditional UPDATE (db/commands/shares/downloads.ts); these
 * say why a link is gone and what the owner sees.
 */
import { type FileStatus, statusRule } from "./file-status";

/** Why a link works or not; anything but "active" answers 410 share_gone. */
export type ShareState = "active" | "revoked" | "expired" | "consumed" | "file_unavailable";

export interface ShareFacts {
  revokedAt: Date | null;
  expiresAt: Date | null;
  maxDownloads: number | null;
  downloadCount: number;
}

/** The shared file as far as the link cares; null once the file was deleted for good. */
export interface SharedFileFacts {
  status: FileStatus;
  trashedAt: Date | null;
}

/**
 * The link's state. Revocation wins (quarantine and permanent deletion revoke too), then expiry,
 * then the download limit; a file that is trashed or not ready makes an otherwise live link
 * unavailable for as long as that lasts.
 */
export function shareState(share: ShareFacts, file: SharedFileFacts | null, now = new Date()): ShareState {
  if (share.revokedAt) return "revoked";
  if (share.expiresAt && share.expiresAt.getTime() <= now.getTime()) return "expired";
  if (share.maxDownloads !== null && share.downloadCount >= share.maxDownloads) return "consumed";
  if (!file || !statusRule(file.status).servable || file.trashedAt) return "file_unavailable";
  return "active";
}

/** Downloads left, or null for a link without a limit. */
export function downloadsRemaining(share: Pick<ShareFacts, "maxDownloads" | "downloadCount">): number | null {
  return share.maxDownloads === null ? null : Math.max(0, share.maxDownloads - share.downloadCount);
}

/** The public link of a share: `${APP_URL}/s/<token>`, the web client's page for it. */
export function shareUrl(appUrl: string, token: string): string {
  return `${appUrl.replace(/\/+$/, "")}/s/${token}`;
}

/** What a share token looks like (lib/tokens randomToken: 256 bits, base64url). Anything else is unknown. */
export function isShareToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{22,128}$/.test(value);
}

/** The user-facing sentence for a 410. */
export function goneMessage(state: Exclude<ShareState, "active">): string {
  switch (state) {
    case "revoked":
      return "This link was revoked by its owner.";
    case "expired":
      return "This link has expired.";
    case "consumed":
      return "This link has reached its download limit.";
    case "file_unavailable":
      return "The shared file is no longer available.";
  }
}

/**
 * HTTP header values reach Node as latin1; a client sends a UTF-8 password in X-Share-Password, so
 * its bytes are read back as UTF-8.
 */
export function headerPassword(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return Buffer.from(value, "latin1").toString("utf8");
}
