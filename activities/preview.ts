import { GetObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { log } from "@temporalio/activity";
import sharp from "sharp";
import { setPreview } from "../db/commands/files/lifecycle";
import { findFile } from "../db/commands/files/find";
import type { File } from "../db/models";
import { runMediaTool, type ToolLimits } from "../lib/media-tools";
import { previewKey } from "../lib/object-keys";
import { THUMBNAIL_MIME_TYPES } from "../lib/upload-plan";
import type { ActivityDeps } from "./deps";

/** Longest side of a preview, in pixels. */
export const PREVIEW_SIZE = 1600;
/** Images and PDFs above this size get no preview rather than a long decode. */
const MAX_DOCUMENT_BYTES = 100 * 1024 * 1024;
/** Decoded images above this many pixels are refused (a decompression bomb) rather than decoded. */
const MAX_INPUT_PIXELS = 100_000_000;

/** What a file's preview is made from, by the type its bytes showed. */
export type PreviewSource = "image" | "video" | "pdf";

export function previewSourceOf(type: string): PreviewSource | null {
  if (THUMBNAIL_MIME_TYPES.has(type)) return "image";
  if (type.startsWith("video/")) return "video";
  if (type === "application/pdf") return "pdf";
  return null;
}

/** Whether a ready file gets a preview: an image, video or PDF by its detected type, small enough where that matters. */
export function wantsPreview(file: Pick<File, "mimeType" | "detectedMimeType" | "sizeBytes">): boolean {
  const source = previewSourceOf(file.detectedMimeType ?? file.mimeType);
  return source !== null && (source === "video" || file.sizeBytes <= MAX_DOCUMENT_BYTES);
}

/**
 * A 1600 px WebP: rotated as its EXIF orientation says, every metadata block (EXIF, XMP, ICC
 * comments, GPS) left out — sharp writes none unless told to — within the time limit.
 */
async function toPreviewWebp(input: Buffer | NodeJS.ReadableStream, timeoutSeconds: number): Promise<Buffer> {
  const image = sharp({ animated: false, limitInputPixels: MAX_INPUT_PIXELS })
    .rotate()
    .resize(PREVIEW_SIZE, PREVIEW_SIZE, { fit: "inside", withoutEnlargement: true })
    .webp({ quality: 80 })
    .timeout({ seconds: timeoutSeconds });
  if (Buffer.isBuffer(input)) return image.end(input).toBuffer();
  input.pipe(image);
  return image.toBuffer();
}

/**
 * A larger WebP preview under previews/ for a ready image (sharp), video (a poster frame by
 * ffmpeg) or PDF (its first page by poppler's pdftoppm), chosen by the detected type. ffmpeg and
 * pdftoppm run as child processes with PREVIEW_TIMEOUT_MS and PREVIEW_MEMORY_BYTES (prlimit) as
 * limits; sharp has the same timeout and a pixel limit. A failure throws, and FileLifecycle logs it
 * and leaves the file ready without a preview. Returns whether one was made.
 */
export function createPreviewActivity(deps: ActivityDeps) {
  return async function createPreview(fileId: string): Promise<boolean> {
    const file = await findFile(deps.db, fileId);
    if (!file || file.status !== "ready") return false;
    if (!wantsPreview(file)) return false;
    const source = previewSourceOf(file.detectedMimeType ?? file.mimeType)!;

    const limits: ToolLimits = {
      timeoutMs: deps.config.PREVIEW_TIMEOUT_MS,
      memoryBytes: deps.config.PREVIEW_MEMORY_BYTES,
      maxOutputBytes: 64 * 1024 * 1024,
    };
    const timeoutSeconds = Math.max(1, Math.ceil(limits.timeoutMs / 1000));
    let preview: Buffer;
    if (source === "image") {
      const { body } = await deps.storage.getObject(file.s3Key);
      preview = await toPreviewWebp(body, timeoutSeconds);
    } else if (source === "video") {
      // ffmpeg reads the object over HTTP with range requests (it seeks to the frame; an MP4 whose
      // index is at the end still works), through a GET URL that lives as long as the tool may run.
      const url = await getSignedUrl(
        deps.storage.client,
        new GetObjectCommand({ Bucket: deps.storage.bucket, Key: file.s3Key }),
        { expiresIn: timeoutSeconds + 60 },
      );
      const frame = (at: string) =>
        runMediaTool(
          "ffmpeg",
          [
            "-nostdin",
            "-v",
            "error",
            "-ss",
            at,
            "-i",
            url,
            "-frames:v",
            "1",
            "-an",
            "-f",
            "image2pipe",
            "-c:v",
            "png",
            "-",
          ],
          limits,
        );
      // One second in skips a black first frame; a shorter video has its first frame.
      let png = await frame("1");
      if (png.length === 0) png = await frame("0");
      if (png.length === 0) throw new Error("ffmpeg found no video frame");
      preview = await toPreviewWebp(png, timeoutSeconds);
    } else {
      const { body } = await deps.storage.getObject(file.s3Key);
      const png = await runMediaTool(
        "pdftoppm",
        ["-f", "1", "-l", "1", "-singlefile", "-png", "-scale-to", String(PREVIEW_SIZE), "-"],
        limits,
        body,
      );
      preview = await toPreviewWebp(png, timeoutSeconds);
    }
    const key = previewKey(file);
    await deps.storage.putObject(key, preview, "image/webp");
    if (!(await setPreview(deps.db, fileId, key))) {
      // Deleted or no longer ready meanwhile: the preview has no file to belong to.
      await deps.storage.deleteObject(key);
      return false;
    }
    log.info("preview created", { fileId, source, bytes: preview.length });
    return true;
  };
}
