import Router from "@koa/router";
import { findOwnedFile } from "../../../db/commands/files/find";
import { completeUpload, failUpload, findOpenUpload, startUpload, touchUpload } from "../../../db/commands/files/uploads";
import { badRequest, conflict } from "../../../lib/errors";
import { lifecycleInput, startFileLifecycle } from "../../../lib/file-lifecycle";
import { partLength, planUpload } from "../../../lib/upload-plan";
import type { AppContext, AppExtensions, AppState } from "../../context";
import { requireUser } from "../../middleware/auth";
import { rateLimit } from "../../middleware/rate-limit";
import { validate } from "../../middleware/validate";
import * as T from "./files.schema";
import { fileView } from "./views";

/** Multipart uploads straight to S3: the API signs URLs and keeps the books, it never carries bytes. */
export function uploadsRouter() {
  const router = new Router<AppState, AppExtensions>();

  router.post("/files/uploads", requireUser(), rateLimit("upload"), validate(T.UploadsCreateSchema), async (ctx: AppContext<T.UploadsCreateReq>) => {
    const { config, db, storage, metrics } = ctx.deps;
    const { name, sizeBytes, mimeType, folderId } = ctx.input.body;
    const file = await startUpload({
      db,
      storage,
      ownerId: ctx.state.userId!,
      name,
      sizeBytes,
      mimeType: mimeType ?? "application/octet-stream",
      folderId: folderId ?? null,
      limits: { maxFileBytes: config.PUBLIC_MAX_BYTES, maxOpenUploads: config.MAX_CONCURRENT_UPLOADS },
      ip: ctx.ip,
    });
    metrics.uploadsStarted.inc();
    ctx.status = 201;
    ctx.body = { file: fileView(file), ...planUpload(sizeBytes, config.UPLOAD_PART_BYTES) };
  });

  router.post("/files/:id/parts", requireUser(), validate(T.UploadsSignSchema), async (ctx: AppContext<T.UploadsSignReq>) => {
    const { config, db, storage } = ctx.deps;
    const file = await findOpenUpload(db, ctx.state.userId!, ctx.input.params.id);
    const plan = planUpload(file.sizeBytes, config.UPLOAD_PART_BYTES);
    const { partCount } = plan;
    const partNumbers = [...new Set(ctx.input.body.partNumbers)].sort((a, b) => a - b);
    const outside = partNumbers.filter((n) => n > partCount);
    if (outside.length) throw badRequest(`This upload has ${partCount} parts.`, { partNumbers: outside });
    const expiresAt = new Date(Date.now() + config.UPLOAD_URL_TTL_SECONDS * 1000);
    const parts = await Promise.all(
      partNumbers.map(async (partNumber) => ({
        partNumber,
        url: await storage.presignUploadPart(
          file.s3Key,
          file.uploadId,
          partNumber,
          config.UPLOAD_URL_TTL_SECONDS,
          partLength(file.sizeBytes, plan, partNumber),
        ),
        sizeBytes: partLength(file.sizeBytes, plan, partNumber),
        expiresAt,
      })),
    );
    ctx.body = { parts };
  });

  router.get("/files/:id/parts", requireUser(), validate(T.FileParamsSchema), async (ctx: AppContext<T.FileParamsReq>) => {
    const { db, storage } = ctx.deps;
    const file = await findOpenUpload(db, ctx.state.userId!, ctx.input.params.id);
    ctx.body = { parts: await storage.listParts(file.s3Key, file.uploadId) };
  });

  router.post("/files/:id/heartbeat", requireUser(), validate(T.FileParamsSchema), async (ctx: AppContext<T.FileParamsReq>) => {
    const open = await touchUpload(ctx.deps.db, ctx.state.userId!, ctx.input.params.id);
    if (!open) {
      await findOpenUpload(ctx.deps.db, ctx.state.userId!, ctx.input.params.id); // 404 or 409
      throw conflict("upload_closed", "This upload is no longer open.");
    }
    ctx.status = 204;
  });

  router.post("/files/:id/complete", requireUser(), rateLimit("upload"), validate(T.UploadsCompleteSchema), async (ctx: AppContext<T.UploadsCompleteReq>) => {
    const { config, db, storage, temporal, metrics, logger } = ctx.deps;
    const parts = [...ctx.input.body.parts].sort((a, b) => a.partNumber - b.partNumber);
    const numbers = parts.map((p) => p.partNumber);
    if (new Set(numbers).size !== numbers.length) throw badRequest("Each part may be listed once.", { reason: "duplicate_parts" });

    const current = await findOwnedFile(db, ctx.state.userId!, ctx.input.params.id);
    if (current.status === "uploading") {
      const { partCount } = planUpload(current.sizeBytes, config.UPLOAD_PART_BYTES);
      const missing = Array.from({ length: partCount }, (_, i) => i + 1).filter((n) => !numbers.includes(n));
      const extra = numbers.filter((n) => n > partCount);
      if (missing.length || extra.length) {
        throw badRequest(`This upload has parts 1 to ${partCount}.`, { reason: "missing_parts", missing, extra });
      }
    }
    const { file, completedNow } = await completeUpload({
      db,
      storage,
      ownerId: ctx.state.userId!,
      fileId: ctx.input.params.id,
      parts,
      ip: ctx.ip,
    });
    if (completedNow) {
      metrics.uploadsCompleted.inc();
      metrics.uploadBytes.inc(file.sizeBytes);
      for (const part of parts) if (part.durationMs !== undefined) metrics.uploadPartDuration.observe(part.durationMs / 1000);
    }
    if (file.status === "processing") {
      // A failed start leaves the file in processing; the housekeeping schedule starts it later.
      await startFileLifecycle(temporal, config.TEMPORAL_TASK_QUEUE, lifecycleInput(config, file.id)).catch((error: unknown) => {
        logger.error({ err: error, fileId: file.id }, "could not start FileLifecycle; housekeeping will");
      });
    }
    ctx.status = 202;
    ctx.body = { file: fileView(file) };
  });

  router.delete("/files/:id/upload", requireUser(), validate(T.FileParamsSchema), async (ctx: AppContext<T.FileParamsReq>) => {
    const { db, storage } = ctx.deps;
    const file = await findOwnedFile(db, ctx.state.userId!, ctx.input.params.id);
    if (file.status !== "uploading" && file.status !== "failed") {
      throw conflict("upload_closed", "This upload has completed; delete the file instead.");
    }
    await failUpload({ db, storage, fileId: ctx.input.params.id, reason: "aborted", actorId: ctx.state.userId! });
    ctx.status = 204;
  });

  return router;
}
