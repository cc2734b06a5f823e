/** S3 allows at most 10 000 parts per multipart upload. */
export const MAX_PARTS = 10_000;
const MiB = 1024 * 1024;

export interface UploadPlan {
  partSize: number;
  partCount: number;
}

/**
 * The part size (the configured one, or larger in whole MiB when the file would need more than
 * 10 000 parts) and the number of parts for a file of `sizeBytes`. An empty file has one empty part.
 */
export function planUpload(sizeBytes: number, preferredPartSize: number): UploadPlan {
  let partSize = preferredPartSize;
  if (Math.ceil(sizeBytes / partSize) > MAX_PARTS) {
    partSize = Math.ceil(sizeBytes / MAX_PARTS / MiB) * MiB;
  }
  return { partSize, partCount: Math.max(1, Math.ceil(sizeBytes / partSize)) };
}

/** The exact size of part `partNumber` (1-based): the part size, or what is left for the last. */
export function partLength(sizeBytes: number, plan: UploadPlan, partNumber: number): number {
  return partNumber < plan.partCount ? plan.partSize : sizeBytes - (plan.partCount - 1) * plan.partSize;
}

/** Image types sharp turns into thumbnails. */
export const THUMBNAIL_MIME_TYPES = new Set([
  "image/jpeg",
  "image/png",
  "image/webp",
  "image/gif",
  "image/avif",
  "image/tiff",
]);
