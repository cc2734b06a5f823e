import type { Knex } from "knex";
import { countShareDownload, refundShareDownload } from "../../../db/commands/shares/downloads";
import { findShareByToken, isShareOwnerActive, type SharedFile } from "../../../db/commands/shares/find";
import { notFound } from "../../../lib/domain-errors";
import { AppError } from "../../../lib/errors";
import { goneMessage, headerPassword, shareState } from "../../../lib/share-rules";
import type { AppContext } from "../../context";
import { operation } from "../../route-table";
import { takeDownloadSlot } from "./download-slots";
import { downloadFolderShare, liveFolderShare, showFolderShare } from "./folder-share-download";
import { redirectShareDownload, streamShareDownload } from "./share-download";
import { emitShareDownloaded } from "./share-events";
import { checkSharePassword } from "./share-password";
import * as T from "./shares.schema";
import { PublicShareView, publicShareView } from "./views";

/** The link's share and file when it works; 404 for a token we never gave out, 410 `share_gone` with the reason otherwise. */
async function liveShare(db: Knex, token: string): Promise<SharedFile & { file: NonNullable<SharedFile["file"]> }> {
  const found = await findShareByToken(db, token);
  if (!found) throw notFound("share");
  // A disabled owner's link answers as if the file were unavailable (it works again once enabled).
  const file = (await isShareOwnerActive(db, found.share.ownerId)) ? found.file : null;
  const state = shareState(found.share, file);
  if (state !== "active" || !file) {
    const reason = state === "active" ? "file_unavailable" : state;
    throw new AppError(410, "share_gone", goneMessage(reason), { reason });
  }
  return { share: found.share, file };
}

/** A slot for a download already counted (its link gained a limit after we looked); none free → the count is given back. */
async function takeSlotForCounted(ctx: AppContext, db: Knex, shareId: string) {
  try {
    takeDownloadSlot(ctx);
  } catch (error) {
    await refundShareDownload(db, shareId);
    throw error;
  }
}

const gone = [
  410,
  "share_gone",
  "Expired, used up, revoked, or the file is no longer ready: details.reason says which",
] as const;

/** Public links (SPEC §6): no auth, limited per IP by rateLimit("public"). */
export const publicShareRoutes = [
  operation({
    operationId: "getPublicShare",
    method: "get",
    path: "/s/:token",
    summary: "What a link shares: name, size, whether it needs a password, downloads left",
    tag: "public shares",
    auth: "public",
    rateLimit: "public",
    input: T.PublicShareSchema,
    responses: { 200: { description: "The shared file", body: PublicShareView } },
    errors: [[404, "not_found", "No such link"], gone],
    handler: async (ctx) => {
      const folderShare = await liveFolderShare(ctx, ctx.input.params.token);
      if (folderShare) return showFolderShare(ctx, folderShare.share, folderShare.folder);
      const { share, file } = await liveShare(ctx.deps.db, ctx.input.params.token);
      ctx.set("Cache-Control", "no-store");
      ctx.body = publicShareView(share, file);
    },
  }),
  operation({
    operationId: "downloadPublicShare",
    method: "post",
    path: "/s/:token/download",
    summary: "Download the shared file (counted; the password in the body, a form field or X-Share-Password)",
    description:
      "A link with no download limit answers 303 to a short-lived presigned GET of the file (attachment name and type fixed by its signature), so the bytes come from storage; the download is counted and logged then. A limited link streams the file as an attachment through the API. Each 200 or 303 counts one download, exactly: a link with maxDownloads=1 answers 200 once however many ask at once.",
    tag: "public shares",
    auth: "public",
    rateLimit: "public",
    acceptsForm: true,
    framedBySameOrigin: true,
    input: T.PublicDownloadSchema,
    responses: {
      200: {
        description: "The file's bytes (a link with a download limit)",
        mediaType: "application/octet-stream",
        headers: { "Content-Disposition": "attachment with the file's name" },
      },
      303: {
        description: "A link with no download limit: GET the file from storage at Location",
        headers: { Location: "A presigned GET, valid SHARE_DOWNLOAD_URL_SECONDS" },
      },
    },
    errors: [
      [401, "password_required"],
      [401, "wrong_password", "Not counted"],
      [404, "not_found", "No such link"],
      gone,
      [429, "too_many_password_attempts", "Too many wrong passwords from this IP for this link"],
      [429, "too_many_downloads", "SHARE_DOWNLOADS_PER_IP downloads from this IP already running"],
      [429, "downloads_busy", "SHARE_DOWNLOADS_MAX downloads already running"],
    ],
    handler: async (ctx) => {
      const { db } = ctx.deps;
      const folderShare = await liveFolderShare(ctx, ctx.input.params.token);
      if (folderShare) return downloadFolderShare(ctx, folderShare.share, ctx.input.body.password);
      const { share } = await liveShare(db, ctx.input.params.token);
      await checkSharePassword(ctx, share, ctx.input.body.password || headerPassword(ctx.get("X-Share-Password")));
      // A limited link streams and holds a slot. Taken before counting: a download refused for want
      // of a slot must not use up the link. A link with no limit redirects and holds nothing.
      if (share.maxDownloads !== null) takeDownloadSlot(ctx);
      const download = await countShareDownload(db, share.id);
      if (!download) {
        // Used up, expired, revoked or its file gone since we looked: liveShare() says which.
        await liveShare(db, ctx.input.params.token);
        throw new AppError(410, "share_gone", goneMessage("consumed"), { reason: "consumed" });
      }
      emitShareDownloaded(ctx, share, download);
      // The count decides, not the read above: a limit set meanwhile streams (a URL could be reused).
      if (download.maxDownloads === null) return redirectShareDownload(ctx, share.id, download);
      if (share.maxDownloads === null) await takeSlotForCounted(ctx, db, share.id);
      await streamShareDownload(ctx, share.id, download);
    },
  }),
];
