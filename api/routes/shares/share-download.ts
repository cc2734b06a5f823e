import type { Readable } from "node:stream";
import { type CountedDownload, recordShareDownload, refundShareDownload } from "../../../db/commands/shares/downloads";
import { AppError } from "../../../lib/errors";
import { contentDisposition } from "../../../lib/content-disposition";
import { isMissing } from "../../../lib/s3";
import { goneMessage } from "../../../lib/share-rules";
import type { AppContext } from "../../context";
import { clientIp } from "../../middleware/rate-limit";

/**
 * Answers a counted download of a link with no download limit with a 303 to a presigned GET of its
 * object, so the bytes come from storage at its own speed and never pass through the API. The URL is
 * signed by the read-only credential, its signature allows a GET of this one key and nothing else,
 * it lives SHARE_DOWNLOAD_URL_SECONDS, and it fixes the attachment name and the detected type
 * (response-content-disposition and response-content-type), so a holder cannot change them. Whoever holds the URL may fetch the
 * object again until it expires: harmless for a link anyone may download without limit, which is why
 * only those redirect (docs/shares.md). The access log gets its entry now, marked redirected, with
 * the file's size: from here on storage sends the bytes and the API cannot see how many arrive. A
 * missing object gives the download back and answers 410, as a streamed one does.
 */
export async function redirectShareDownload(
  ctx: AppContext,
  shareId: string,
  download: CountedDownload,
): Promise<void> {
  const { db, storage, urls, metrics, config } = ctx.deps;
  if ((await storage.objectSize(download.s3Key)) === null) {
    await refundShareDownload(db, shareId);
    throw new AppError(410, "share_gone", goneMessage("file_unavailable"), { reason: "file_unavailable" });
  }
  const url = await urls.download(download.s3Key, config.SHARE_DOWNLOAD_URL_SECONDS, download.name, download.mimeType);
  await recordShareDownload(db, {
    shareId,
    ip: clientIp(ctx),
    userAgent: ctx.get("User-Agent").slice(0, 512) || null,
    bytes: download.sizeBytes,
    redirected: true,
  });
  metrics.downloads.inc();
  ctx.set("Cache-Control", "private, no-store");
  ctx.status = 303;
  ctx.redirect(url);
}

/**
 * Streams a counted download from S3 through the API: Koa pipes the object into the response, so
 * the S3 socket is read only as fast as the client takes the bytes (memory stays flat whatever the
 * size) and a client that goes away stops the S3 read. The object comes through the S3 client kept
 * for share downloads (its own socket pool), and a client that takes nothing for
 * SHARE_DOWNLOAD_STALL_SECONDS is cut. The access log gets its entry once the response is over,
 * with the bytes that went out. An object that cannot be opened gives the download back; a missing
 * one answers 410.
 */
export async function streamShareDownload(ctx: AppContext, shareId: string, download: CountedDownload): Promise<void> {
  const { db, storage, metrics, logger, config } = ctx.deps;
  let object: Awaited<ReturnType<typeof storage.getObjectForDownload>>;
  try {
    object = await storage.getObjectForDownload(download.s3Key);
  } catch (error) {
    await refundShareDownload(db, shareId);
    if (isMissing(error))
      throw new AppError(410, "share_gone", goneMessage("file_unavailable"), { reason: "file_unavailable" });
    throw error;
  }

  const { body } = object;
  let sentBytes = 0;
  const stall = cutWhenStalled(ctx, body, shareId, config.SHARE_DOWNLOAD_STALL_SECONDS);
  // Koa pipes the body into the response. Counting on that pipe's own "data" events (the listener
  // joins before the first chunk flows) costs nothing like a Transform stage would per chunk.
  ctx.res.once("pipe", (source: Readable) =>
    source.on("data", (chunk: Buffer) => {
      sentBytes += chunk.length;
      stall.refresh();
    }),
  );
  body.once("error", (error: NodeJS.ErrnoException) => {
    // Koa cannot send an error once the headers are out: cut the connection so the client sees a short body.
    if (ctx.res.headersSent && !ctx.res.writableFinished) ctx.res.destroy();
    logger.warn({ err: error, shareId, requestId: ctx.state.requestId }, "share download interrupted");
  });

  ctx.set("Content-Type", download.mimeType);
  ctx.set("Content-Disposition", contentDisposition(download.name));
  ctx.set("Cache-Control", "private, no-store");
  // The bytes are the uploader's: never let a browser run or sniff them under our origin.
  ctx.set("X-Content-Type-Options", "nosniff");
  ctx.set("Content-Security-Policy", "default-src 'none'; sandbox");
  ctx.body = body;
  ctx.length = object.sizeBytes;
  metrics.downloads.inc();

  const entry = { shareId, ip: clientIp(ctx), userAgent: ctx.get("User-Agent").slice(0, 512) || null };
  ctx.res.once("close", () => {
    recordShareDownload(db, { ...entry, bytes: sentBytes }).catch((error: unknown) => {
      logger.error({ err: error, shareId }, "could not record a share download");
    });
  });
}

/**
 * Cuts the download once no byte has gone out for `seconds`: the client stopped reading and the
 * socket's buffers are full, so the pipe waits. Destroying the response and the S3 stream frees
 * both sockets (and the download's slot). Returns the timer, to refresh on every chunk.
 */
function cutWhenStalled(ctx: AppContext, body: Readable, shareId: string, seconds: number): NodeJS.Timeout {
  const timer = setTimeout(() => {
    ctx.deps.logger.info(
      { shareId, requestId: ctx.state.requestId, stallSeconds: seconds },
      "share download stalled; connection cut",
    );
    ctx.res.destroy();
    body.destroy();
  }, seconds * 1000);
  const stop = () => clearTimeout(timer);
  ctx.res.once("finish", stop).once("close", stop);
  return timer;
}
