import { z } from "zod";
import type { File } from "../../../db/models";
import { findOwnedFile } from "../../../db/commands/files/find";
import {
  completeUpload,
  failUpload,
  findOpenUpload,
  listOpenUploads,
  startUpload,
  touchUpload,
} from "../../../db/commands/files/uploads";
import { DomainError } from "../../../lib/domain-errors";
import { AppError, badRequest } from "../../../lib/errors";
import { startFileLifecycle } from "../../../lib/file-lifecycle";
import { typeAllowed } from "../../../lib/type-policy";
import { partLength, planUpload } from "../../../lib/upload-plan";
import type { AppDeps } from "../../deps";
import { operation } from "../../route-table";
import { timestamp } from "../../schemas";
import * as T from "./files.schema";
import { FileView, fileView } from "./views";

const UploadStarted = z.object({
  file: FileView,
  partSize: z.number().int().describe("Bytes in every part but the last."),
  partCount: z.number().int(),
});
const SignedParts = z.object({
  parts: z.array(
    z.object({
      partNumber: z.number().int(),
      url: z.string().meta({
        description:
          "PUT exactly sizeBytes bytes here, with no other headers; the ETag response header is the part's etag",
      }),
      sizeBytes: z.number().int(),
      expiresAt: timestamp,
    }),
  ),
});
const StoredParts = z.object({
  parts: z.array(z.object({ partNumber: z.number().int(), etag: z.string(), sizeBytes: z.number().int() })),
});
const OpenUploads = z.object({
  uploads: z.array(UploadStarted.extend({ parts: StoredParts.shape.parts.describe("The parts S3 already holds") })),
});
const UploadOpened = UploadStarted.extend({
  parts: SignedParts.shape.parts
    .optional()
    .describe("An upload of one part gets that part signed here, so it can skip step 2"),
});
const notOpen = [409, "upload_closed", "The upload is no longer open"] as const;

/** Presigned PUTs for `partNumbers` of an open upload, each bound to its part's exact length. */
async function signParts(deps: AppDeps, file: File & { uploadId: string }, partNumbers: number[]) {
  const { config, urls } = deps;
  const plan = planUpload(file.sizeBytes, config.UPLOAD_PART_BYTES);
  const expiresAt = new Date(Date.now() + config.UPLOAD_URL_TTL_SECONDS * 1000);
  return Promise.all(
    partNumbers.map(async (partNumber) => {
      const sizeBytes = partLength(file.sizeBytes, plan, partNumber);
      const url = await urls.uploadPart(
        file.s3Key,
        file.uploadId,
        partNumber,
        sizeBytes,
        config.UPLOAD_URL_TTL_SECONDS,
      );
      return { partNumber, url, sizeBytes, expiresAt };
    }),
  );
}

/** Multipart uploads straight to S3: the API signs URLs and keeps the books, it never carries bytes. */
export const uploadsRoutes = [
  operation({
    operationId: "startUpload",
    method: "post",
    path: "/files/uploads",
    summary: "Start an upload: reserves sizeBytes against the quota and plans the parts",
    description:
      "Step 1 of an upload. Then sign parts (POST /files/{id}/parts; a file of one part comes signed), PUT each to its URL, and complete.",
    tag: "uploads",
    auth: "user",
    rateLimit: "upload",
    input: T.UploadsCreateSchema,
    examples: { photo: { name: "holiday.jpg", sizeBytes: 12582912, mimeType: "image/jpeg" } },
    responses: { 201: { description: "The upload is open", body: UploadOpened } },
    errors: [
      [404, "not_found", "No such folder"],
      [409, "name_taken"],
      [413, "file_too_large", "Above PUBLIC_MAX_BYTES"],
      [413, "quota_exceeded", "used + reserved + size would pass the quota"],
      [415, "type_not_allowed", "The declared mimeType is outside UPLOAD_ALLOWED_TYPES or inside UPLOAD_BLOCKED_TYPES"],
      [429, "too_many_uploads", "MAX_CONCURRENT_UPLOADS open uploads already"],
    ],
    handler: async (ctx) => {
      const { config, db, storage, metrics } = ctx.deps;
      const { name, sizeBytes, folderId } = ctx.input.body;
      const mimeType = ctx.input.body.mimeType ?? "application/octet-stream";
      if (!typeAllowed({ allowed: config.UPLOAD_ALLOWED_TYPES, blocked: config.UPLOAD_BLOCKED_TYPES }, mimeType)) {
        throw new AppError(415, "type_not_allowed", `Files of type ${mimeType} may not be uploaded here.`, {
          mimeType,
        });
      }
      const file = await startUpload({
        db,
        storage,
        ownerId: ctx.state.userId!,
        planId: ctx.state.user!.planId,
        name,
        sizeBytes,
        mimeType,
        folderId: folderId ?? null,
        limits: { maxFileBytes: config.PUBLIC_MAX_BYTES, maxOpenUploads: config.MAX_CONCURRENT_UPLOADS },
        ip: ctx.ip,
      });
      metrics.uploadsStarted.inc();
      ctx.status = 201;
      const plan = planUpload(sizeBytes, config.UPLOAD_PART_BYTES);
      const parts = plan.partCount === 1 ? await signParts(ctx.deps, file, [1]) : undefined;
      ctx.body = { file: fileView(file), ...plan, parts };
    },
  }),
  operation({
    operationId: "signUploadParts",
    method: "post",
    path: "/files/:id/parts",
    summary: "Presigned PUT URLs for parts, each bound to its exact length",
    description:
      "Step 2. Each URL may write that one part of this upload and nothing else; sign again when they expire.",
    tag: "uploads",
    auth: "user",
    input: T.UploadsSignSchema,
    examples: { firstTwo: { partNumbers: [1, 2] } },
    responses: { 200: { description: "One URL per part asked for", body: SignedParts } },
    errors: [[400, "bad_request", "A part number past the plan's partCount"], [404, "not_found"], notOpen],
    handler: async (ctx) => {
      const { config, db } = ctx.deps;
      const file = await findOpenUpload(db, ctx.state.userId!, ctx.input.params.id);
      const { partCount } = planUpload(file.sizeBytes, config.UPLOAD_PART_BYTES);
      const partNumbers = [...new Set(ctx.input.body.partNumbers)].sort((a, b) => a - b);
      const outside = partNumbers.filter((n) => n > partCount);
      if (outside.length) throw badRequest(`This upload has ${partCount} parts.`, { partNumbers: outside });
      const parts = await signParts(ctx.deps, file, partNumbers);
      ctx.body = { parts };
    },
  }),
  operation({
    operationId: "listUploadParts",
    method: "get",
    path: "/files/:id/parts",
    summary: "The parts S3 already holds (to resume after a crash or reload)",
    tag: "uploads",
    auth: "user",
    input: T.FileParamsSchema,
    responses: { 200: { description: "Stored parts, in order", body: StoredParts } },
    errors: [[404, "not_found"], notOpen],
    handler: async (ctx) => {
      const { db, storage } = ctx.deps;
      const file = await findOpenUpload(db, ctx.state.userId!, ctx.input.params.id);
      ctx.body = { parts: await storage.listParts(file.s3Key, file.uploadId) };
    },
  }),
  operation({
    operationId: "listOpenUploads",
    method: "get",
    path: "/uploads",
    summary: "The caller's open uploads with their plan and stored parts (to resume after a reload)",
    tag: "uploads",
    auth: "user",
    responses: { 200: { description: "Open uploads, oldest first", body: OpenUploads } },
    handler: async (ctx) => {
      const { config, db, storage } = ctx.deps;
      const files = await listOpenUploads(db, ctx.state.userId!);
      const uploads = await Promise.all(
        files.map(async (file) => ({
          file: fileView(file),
          ...planUpload(file.sizeBytes, config.UPLOAD_PART_BYTES),
          parts: await storage.listParts(file.s3Key, file.uploadId),
        })),
      );
      ctx.body = { uploads };
    },
  }),
  operation({
    operationId: "heartbeatUpload",
    method: "post",
    path: "/files/:id/heartbeat",
    summary: "Keep an upload open; one silent for UPLOAD_STALE_MINUTES is aborted",
    tag: "uploads",
    auth: "user",
    input: T.FileParamsSchema,
    responses: { 204: { description: "Recorded" } },
    errors: [[404, "not_found"], notOpen],
    handler: async (ctx) => {
      const open = await touchUpload(ctx.deps.db, ctx.state.userId!, ctx.input.params.id);
      if (!open) {
        await findOpenUpload(ctx.deps.db, ctx.state.userId!, ctx.input.params.id); // 404 or 409
        throw new DomainError("upload_closed", "This upload is no longer open.");
      }
      ctx.status = 204;
    },
  }),
  operation({
    operationId: "completeUpload",
    method: "post",
    path: "/files/:id/complete",
    summary: "Assemble the parts and start the scan; calling it twice is harmless",
    description:
      "Step 4. The file moves to processing (being scanned) and later to ready, quarantined or rejected: poll GET /files/{id}.",
    tag: "uploads",
    auth: "user",
    rateLimit: "upload",
    input: T.UploadsCompleteSchema,
    examples: {
      twoParts: {
        parts: [
          { partNumber: 1, etag: '"9b2cf535f27731c974343645a3985328"' },
          { partNumber: 2, etag: '"6f5902ac237024bdd0c176cb93063dc4"' },
        ],
      },
    },
    responses: {
      202: {
        description: "Completed; the file is processing (or already past it)",
        body: z.object({ file: FileView }),
      },
    },
    errors: [
      [
        400,
        "bad_request",
        "details.reason: duplicate_parts, missing_parts, invalid_parts (upload stays open) or size_mismatch (upload aborted, reservation released)",
      ],
      [404, "not_found"],
      notOpen,
    ],
    handler: async (ctx) => {
      const { config, db, storage, temporal, metrics, logger } = ctx.deps;
      const parts = [...ctx.input.body.parts].sort((a, b) => a.partNumber - b.partNumber);
      const numbers = parts.map((p) => p.partNumber);
      if (new Set(numbers).size !== numbers.length)
        throw badRequest("Each part may be listed once.", { reason: "duplicate_parts" });
      const { file, completedNow } = await completeUpload({
        db,
        storage,
        ownerId: ctx.state.userId!,
        fileId: ctx.input.params.id,
        parts,
        preferredPartBytes: config.UPLOAD_PART_BYTES,
        ip: ctx.ip,
      });
      if (completedNow) {
        metrics.uploadsCompleted.inc();
        metrics.uploadBytes.inc(file.sizeBytes);
        for (const part of parts)
          if (part.durationMs !== undefined) metrics.uploadPartDuration.observe(part.durationMs / 1000);
      }
      if (file.status === "processing") {
        // A failed start leaves the file in processing; the housekeeping schedule starts it later.
        await startFileLifecycle(temporal, config, file.id, { sizeBytes: file.sizeBytes }).catch((error: unknown) => {
          logger.error({ err: error, fileId: file.id }, "could not start FileLifecycle; housekeeping will");
        });
      }
      ctx.status = 202;
      ctx.body = { file: fileView(file) };
    },
  }),
  operation({
    operationId: "abortUpload",
    method: "delete",
    path: "/files/:id/upload",
    summary: "Abort an open upload and release its reservation",
    tag: "uploads",
    auth: "user",
    input: T.FileParamsSchema,
    responses: { 204: { description: "Aborted (or already)" } },
    errors: [
      [404, "not_found"],
      [409, "upload_closed", "The upload completed; delete the file instead"],
    ],
    handler: async (ctx) => {
      const { db, storage } = ctx.deps;
      const file = await findOwnedFile(db, ctx.state.userId!, ctx.input.params.id);
      if (file.status !== "uploading" && file.status !== "failed") {
        throw new DomainError("upload_closed", "This upload has completed; delete the file instead.");
      }
      await failUpload({ db, storage, fileId: ctx.input.params.id, reason: "aborted", actorId: ctx.state.userId! });
      ctx.status = 204;
    },
  }),
];
