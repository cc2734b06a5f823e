import { z } from "zod";
import { itemName } from "../../../lib/names";

const fileParams = z.object({
  /** The file's id. */
  id: z.uuid(),
});

export const UploadsCreateSchema = z.object({
  body: z.object({
    /** File name: 1–255 bytes after NFC, no "/", no control characters. */
    name: itemName,
    /** Exact size in bytes; reserved against the quota until the upload completes or is aborted. */
    sizeBytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    /** Media type, e.g. "image/png"; application/octet-stream when absent. */
    mimeType: z
      .string()
      .max(255)
      .regex(/^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/, "must be a media type like type/subtype")
      .transform((type) => type.toLowerCase())
      .optional(),
    /** Folder to upload into; the root when absent or null. */
    folderId: z.uuid().nullish(),
  }),
});
export type UploadsCreateReq = z.infer<typeof UploadsCreateSchema>;

export const UploadsSignSchema = z.object({
  params: fileParams,
  body: z.object({
    /** Parts to sign, 1-based; at most 1000 per call. */
    partNumbers: z.array(z.number().int().min(1).max(10_000)).min(1).max(1000),
  }),
});
export type UploadsSignReq = z.infer<typeof UploadsSignSchema>;

export const UploadsCompleteSchema = z.object({
  params: fileParams,
  body: z.object({
    /** Every part of the upload with the ETag S3 returned for it. */
    parts: z
      .array(
        z.object({
          /** 1-based part number. */
          partNumber: z.number().int().min(1).max(10_000),
          /** The ETag header S3 answered the part's PUT with. */
          etag: z.string().min(1).max(200),
          /** How long the client's PUT of this part took, for upload_part_duration_seconds. */
          durationMs: z.number().min(0).max(86_400_000).optional(),
        }),
      )
      .min(1)
      .max(10_000),
  }),
});
export type UploadsCompleteReq = z.infer<typeof UploadsCompleteSchema>;

export const FileParamsSchema = z.object({ params: fileParams });
export type FileParamsReq = z.infer<typeof FileParamsSchema>;

export const FilesUpdateSchema = z.object({
  params: fileParams,
  body: z
    .object({
      /** New name. */
      name: itemName.optional(),
      /** Folder to move into; null for the root. */
      folderId: z.uuid().nullable().optional(),
    })
    .refine((body) => body.name !== undefined || body.folderId !== undefined, "give name or folderId"),
});
export type FilesUpdateReq = z.infer<typeof FilesUpdateSchema>;

export const FilesDeleteSchema = z.object({
  params: fileParams,
  query: z.object({
    /** "true" deletes for good instead of moving to the trash. */
    permanent: z.enum(["true", "false"]).optional(),
  }),
});
export type FilesDeleteReq = z.infer<typeof FilesDeleteSchema>;
