import { z } from "zod";
import { itemName } from "../../../lib/names";

const fileParams = z.object({
  id: z.uuid().describe("The file's id."),
});

export const UploadsCreateSchema = z.object({
  body: z.object({
    name: itemName.describe('File name: 1–255 bytes after NFC, no "/", no control characters.'),
    sizeBytes: z
      .number()
      .int()
      .min(0)
      .max(Number.MAX_SAFE_INTEGER)
      .describe("Exact size in bytes; reserved against the quota until the upload completes or is aborted."),
    mimeType: z
      .string()
      .max(255)
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/,
        "must be a media type like type/subtype",
      )
      .transform((type) => type.toLowerCase())
      .optional()
      .describe('Media type, e.g. "image/png"; application/octet-stream when absent.'),
    folderId: z.uuid().nullish().describe("Folder to upload into; the root when absent or null."),
  }),
});
export type UploadsCreateReq = z.infer<typeof UploadsCreateSchema>;

export const UploadsSignSchema = z.object({
  params: fileParams,
  body: z.object({
    partNumbers: z
      .array(z.number().int().min(1).max(10_000))
      .min(1)
      .max(1000)
      .describe("Parts to sign, 1-based; at most 1000 per call."),
  }),
});
export type UploadsSignReq = z.infer<typeof UploadsSignSchema>;

export const UploadsCompleteSchema = z.object({
  params: fileParams,
  body: z.object({
    parts: z
      .array(
        z.object({
          partNumber: z.number().int().min(1).max(10_000).describe("1-based part number."),
          etag: z
            .string()
            .regex(/^"?[!#-~]{1,128}"?$/, "must be the ETag S3 answered the part's PUT with")
            .describe("The ETag header S3 answered the part's PUT with: printable ASCII, optionally in double quotes."),
          durationMs: z
            .number()
            .min(0)
            .max(86_400_000)
            .optional()
            .describe("How long the client's PUT of this part took, for upload_part_duration_seconds."),
        }),
      )
      .min(1)
      .max(10_000)
      .describe("Every part of the upload with the ETag S3 returned for it."),
  }),
});
export type UploadsCompleteReq = z.infer<typeof UploadsCompleteSchema>;

export const FileParamsSchema = z.object({ params: fileParams });
export type FileParamsReq = z.infer<typeof FileParamsSchema>;

/** The longest a request may wait for a scan's outcome (below HTTP_REQUEST_TIMEOUT_SECONDS' default 30). */
export const MAX_WAIT_SECONDS = 25;

export const FileGetSchema = z.object({
  params: fileParams,
  query: z.object({
    waitSeconds: z.coerce
      .number()
      .int()
      .min(0)
      .max(MAX_WAIT_SECONDS)
      .default(0)
      .describe(
        `While the file is processing (being scanned), answer as soon as its status changes or after this many ` +
          `seconds, 0–${MAX_WAIT_SECONDS} (default 0: at once). Replaces polling for a scan's outcome.`,
      ),
  }),
});

export const FilesUpdateSchema = z.object({
  params: fileParams,
  body: z
    .object({
      name: itemName.optional().describe("New name."),
      folderId: z.uuid().nullable().optional().describe("Folder to move into; null for the root."),
    })
    .refine((body) => body.name !== undefined || body.folderId !== undefined, "give name or folderId"),
});
export type FilesUpdateReq = z.infer<typeof FilesUpdateSchema>;

export const FilesDeleteSchema = z.object({
  params: fileParams,
  query: z.object({
    permanent: z.enum(["true", "false"]).optional().describe('"true" deletes for good instead of moving to the trash.'),
  }),
});
export type FilesDeleteReq = z.infer<typeof FilesDeleteSchema>;
