import type { Readable } from "node:stream";
import { ZipFile } from "../../../lib/zip-writer";
import { recordShareDownload } from "../../../db/commands/shares/downloads";
import { isShareOwnerActive } from "../../../db/commands/shares/find";
import {
  type CountedFolderDownload,
  countFolderShareDownload,
  findFolderShareByToken,
  listSharedFolderFiles,
} from "../../../db/commands/shares/folder-shares";
import type { Folder, Share } from "../../../db/models";
import { contentDisposition } from "../../../lib/content-disposition";
import { AppError } from "../../../lib/errors";
import { goneMessage, headerPassword, isShareToken, shareState } from "../../../lib/share-rules";
import type { AppContext } from "../../context";
import { clientIp } from "../../middleware/rate-limit";
import { takeDownloadSlot } from "./download-slots";
import { checkSharePassword } from "./share-password";
import { publicFolderShareView } from "./views";

/**
 * The folder share a link names when it works; undefined when the token names no folder share (the
 * file-share routes take it from there); 410 `share_gone` with the reason when it does not work.
 */
export async function liveFolderShare(
  ctx: AppContext,
  token: string,
): Promise<{ share: Share; folder: Folder } | undefined> {
  if (!isShareToken(token)) return undefined;
  const found = await findFolderShareByToken(ctx.deps.db, token);
  if (!found) return undefined;
  const { share } = found;
  // A disabled owner's link answers as if the folder were unavailable (it works again once enabled).
  const folder = (await isShareOwnerActive(ctx.deps.db, share.ownerId)) ? found.folder : null;
  const state = shareState(share, folder ? { status: "ready", trashedAt: folder.trashedAt } : null);
  if (state !== "active" || !folder) {
    const reason = state === "active" ? "file_unavailable" : state;
    throw new AppError(410, "share_gone", goneMessage(reason), { reason });
  }
  return { share, folder };
}

/** GET /s/:token of a folder link: its name and ready files. */
export async function showFolderShare(ctx: AppContext, share: Share, folder: Folder): Promise<void> {
  const files = await listSharedFolderFiles(ctx.deps.db, share.ownerId, folder.id);
  ctx.set("Cache-Control", "no-store");
  ctx.body = publicFolderShareView(share, folder, files);
}

/**
 * POST /s/:token/download of a folder link: the same password check, download slot and single
 * conditional count as a file link, then one ZIP of the folder's ready files streamed from S3.
 */
export async function downloadFolderShare(ctx: AppContext, share: Share, password: string | undefined): Promise<void> {
  const { db } = ctx.deps;
  await checkSharePassword(ctx, share, password || headerPassword(ctx.get("X-Share-Password")));
  // Before counting: a download refused for want of a slot must not use up the link.
  takeDownloadSlot(ctx);
  const download = await countFolderShareDownload(db, share.id);
  if (!download) {
    // Used up, expired, revoked or its folder gone since we looked: liveFolderShare() says which.
    await liveFolderShare(ctx, share.token);
    throw new AppError(410, "share_gone", goneMessage("consumed"), { reason: "consumed" });
  }
  await streamFolderZip(ctx, share.id, download);
}

/**
 * Streams the ZIP (yazl; docs/decisions.md): entries are stored, not deflated, so the archive's
 * size is known before the first byte and sent as Content-Length; ZIP64 records are written where
 * an entry or the archive passes 4 GiB. Each entry's S3 object is opened only when the archive
 * reaches it, and the pipe moves only as fast as the client reads, so one download holds one S3
 * stream and a few buffers whatever the folder's size — no temp files. A client that takes
 * nothing for SHARE_DOWNLOAD_STALL_SECONDS is cut; an object that fails mid-way cuts the
 * connection (the client sees a short body, never a corrupt "complete" ZIP). The access log gets
 * its entry when the response is over, with the bytes that went out.
 */
async function streamFolderZip(ctx: AppContext, shareId: string, download: CountedFolderDownload): Promise<void> {
  const { db, storage, logger, metrics, config } = ctx.deps;
  const files = await listSharedFolderFiles(db, download.ownerId, download.folderId);
  const zip = new ZipFile();
  const output = zip.outputStream as Readable;
  let current: Readable | null = null;
  let stopped = false;
  const stop = (reason: string, error?: unknown) => {
    if (stopped) return;
    stopped = true;
    if (error) logger.warn({ err: error, shareId, requestId: ctx.state.requestId }, `folder download ${reason}`);
    else logger.info({ shareId, requestId: ctx.state.requestId }, `folder download ${reason}`);
    current?.destroy();
    output.destroy();
    if (!ctx.res.writableFinished) ctx.res.destroy();
  };
  zip.on("error", (error: unknown) => stop("interrupted", error));

  for (const file of files) {
    zip.addReadStreamLazy(file.path, { size: file.sizeBytes, compress: false, mtime: file.updatedAt }, (callback) => {
      if (stopped) return;
      storage.getObjectForDownload(file.s3Key).then(
        ({ body }) => {
          current = body;
          body.once("error", (error: unknown) => stop("interrupted", error));
          callback(null, body);
        },
        (error: unknown) => stop("interrupted", error),
      );
    });
  }
  // yazl calls back with the archive's size (-1 when unknown); its typings leave the argument out.
  const totalBytes = await new Promise<number>((resolve) =>
    zip.end({ forceZip64Format: false, comment: "" }, (size?: number) => resolve(size ?? -1)),
  );

  let sentBytes = 0;
  const stall = setTimeout(() => stop("stalled; connection cut"), config.SHARE_DOWNLOAD_STALL_SECONDS * 1000);
  output.on("data", (chunk: Buffer) => {
    sentBytes += chunk.length;
    stall.refresh();
  });
  ctx.res.once("close", () => {
    clearTimeout(stall);
    if (!ctx.res.writableFinished) stop("ended by the client");
    const entry = { shareId, ip: clientIp(ctx), userAgent: ctx.get("User-Agent").slice(0, 512) || null };
    recordShareDownload(db, { ...entry, bytes: sentBytes }).catch((error: unknown) => {
      logger.error({ err: error, shareId }, "could not record a share download");
    });
  });

  ctx.set("Content-Type", "application/zip");
  ctx.set("Content-Disposition", contentDisposition(`${download.name}.zip`));
  ctx.set("Cache-Control", "private, no-store");
  ctx.set("X-Content-Type-Options", "nosniff");
  ctx.set("Content-Security-Policy", "default-src 'none'; sandbox");
  ctx.body = output;
  if (totalBytes >= 0) ctx.length = totalBytes;
  metrics.downloads.inc();
}
