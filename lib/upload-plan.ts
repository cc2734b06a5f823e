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

export interface StoredPart {
  partNumber: number;
  etag: string;
  sizeBytes: number;
}

export type PartsCheck =
  | { ok: true }
  /** The client named parts the plan does not have, or left some out: it can fix its request. */
  | { ok: false; reason: "missing_parts"; missing: number[]; extra: number[] }
  /** S3 does not hold a part the client named, or holds another one: it can upload again. */
  | { ok: false; reason: "invalid_parts"; partNumbers: number[] }
  /** S3 holds a part of another length than the plan signed for: only a forged request does that. */
  | { ok: false; reason: "size_mismatch"; partNumbers: number[] };

const unquoted = (etag: string) => etag.replace(/^"|"$/g, "");

/**
 * Compares the parts a client wants assembled with what S3 holds and with the plan: every planned part
 * named once, each held by S3 under the ETag given and at exactly the length its URL was signed for.
 */
export function checkParts(
  sizeBytes: number,
  plan: UploadPlan,
  given: { partNumber: number; etag: string }[],
  stored: StoredPart[],
): PartsCheck {
  const numbers = new Set(given.map((p) => p.partNumber));
  const missing = Array.from({ length: plan.partCount }, (_, i) => i + 1).filter((n) => !numbers.has(n));
  const extra = [...numbers].filter((n) => n > plan.partCount);
  if (missing.length || extra.length) return { ok: false, reason: "missing_parts", missing, extra };

  const held = new Map(stored.map((part) => [part.partNumber, part]));
  const wrongSize = stored.filter(
    (part) => part.partNumber > plan.partCount || part.sizeBytes !== partLength(sizeBytes, plan, part.partNumber),
  );
  if (wrongSize.length) return { ok: false, reason: "size_mismatch", partNumbers: wrongSize.map((p) => p.partNumber) };
  const invalid = given.filter((part) => unquoted(held.get(part.partNumber)?.etag ?? "") !== unquoted(part.etag));
  if (invalid.length) return { ok: false, reason: "invalid_parts", partNumbers: invalid.map((p) => p.partNumber) };
  return { ok: true };
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
