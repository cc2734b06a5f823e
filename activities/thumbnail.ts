import { pipeline } from "node:stream/promises";
import { log } from "@temporalio/activity";
import sharp from "sharp";
import { setThumbnail } from "../db/commands/files/lifecycle";
import { findFile } from "../db/commands/files/find";
import { statusRule } from "../lib/file-status";
import { thumbnailKey } from "../lib/object-keys";
import { THUMBNAIL_MIME_TYPES } from "../lib/upload-plan";
import type { ActivityDeps } from "./deps";

/** Images above this size get no thumbnail rather than a long decode. */
const MAX_SOURCE_BYTES = 100 * 1024 * 1024;
const SIZE = 256;

/** Whether createThumbnail would make one for this file (an image of a type and size it decodes). */
export function wantsThumbnail(file: { mimeType: string; sizeBytes: number }): boolean {
  return THUMBNAIL_MIME_TYPES.has(file.mimeType) && file.sizeBytes <= MAX_SOURCE_BYTES;
}

/** A 256 px WebP under thumbnails/ for a ready image; returns whether one was made. */
export function createThumbnailActivity(deps: ActivityDeps) {
  return async function createThumbnail(fileId: string): Promise<boolean> {
    const file = await findFile(deps.db, fileId);
    if (!file || !statusRule(file.status).servable || !wantsThumbnail(file)) {
      return false;
    }
    const { body } = await deps.storage.getObject(file.s3Key);
    const resize = sharp({ animated: false })
      .rotate()
      .resize(SIZE, SIZE, { fit: "inside", withoutEnlargement: true })
      .webp();
    const [, thumbnail] = await Promise.all([pipeline(body, resize), resize.toBuffer()]);
    const key = thumbnailKey(file);
    await deps.storage.putObject(key, thumbnail, "image/webp");
    await setThumbnail(deps.db, fileId, key);
    log.info("thumbnail created", { fileId, bytes: thumbnail.length });
    return true;
  };
}
