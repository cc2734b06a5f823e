import Router from "@koa/router";
import { findOwnedFile } from "../../../db/commands/files/find";
import { deleteFilePermanently, restoreFile, trashFile, updateFile } from "../../../db/commands/files/manage";
import { conflict, notFound } from "../../../lib/errors";
import type { AppContext, AppExtensions, AppState } from "../../context";
import { requireUser } from "../../middleware/auth";
import { validate } from "../../middleware/validate";
import * as T from "./files.schema";
import { fileView } from "./views";

export function filesRouter() {
  const router = new Router<AppState, AppExtensions>();

  router.get("/files/:id", requireUser(), validate(T.FileParamsSchema), async (ctx: AppContext<T.FileParamsReq>) => {
    ctx.body = { file: fileView(await findOwnedFile(ctx.deps.db, ctx.state.userId!, ctx.input.params.id)) };
  });

  router.get("/files/:id/download", requireUser(), validate(T.FileParamsSchema), async (ctx: AppContext<T.FileParamsReq>) => {
    const { db, storage, config } = ctx.deps;
    const file = await findOwnedFile(db, ctx.state.userId!, ctx.input.params.id);
    if (file.status !== "ready") throw conflict("not_ready", `The file is ${file.status}, not ready for download.`);
    if (file.trashedAt) throw conflict("file_trashed", "Restore the file from the trash to download it.");
    ctx.redirect(await storage.presignGet(file.s3Key, config.DOWNLOAD_URL_TTL_SECONDS, file.name));
  });

  router.get("/files/:id/thumbnail", requireUser(), validate(T.FileParamsSchema), async (ctx: AppContext<T.FileParamsReq>) => {
    const { db, storage, config } = ctx.deps;
    const file = await findOwnedFile(db, ctx.state.userId!, ctx.input.params.id);
    if (!file.thumbnailKey || file.status !== "ready") throw notFound("thumbnail");
    ctx.redirect(await storage.presignGet(file.thumbnailKey, config.DOWNLOAD_URL_TTL_SECONDS));
  });

  router.patch("/files/:id", requireUser(), validate(T.FilesUpdateSchema), async (ctx: AppContext<T.FilesUpdateReq>) => {
    const { name, folderId } = ctx.input.body;
    const file = await updateFile({ db: ctx.deps.db, ownerId: ctx.state.userId!, fileId: ctx.input.params.id, name, folderId });
    ctx.body = { file: fileView(file) };
  });

  router.delete("/files/:id", requireUser(), validate(T.FilesDeleteSchema), async (ctx: AppContext<T.FilesDeleteReq>) => {
    const { db, storage } = ctx.deps;
    const ownerId = ctx.state.userId!;
    const fileId = ctx.input.params.id;
    if (ctx.input.query.permanent === "true") {
      const deleted = await deleteFilePermanently({ db, storage, fileId, ownerId, actorId: ownerId, reason: "deleted_by_owner" });
      if (!deleted) throw notFound("file");
      ctx.status = 204;
      return;
    }
    ctx.body = { file: fileView(await trashFile(db, ownerId, fileId)) };
  });

  router.post("/files/:id/restore", requireUser(), validate(T.FileParamsSchema), async (ctx: AppContext<T.FileParamsReq>) => {
    ctx.body = { file: fileView(await restoreFile(ctx.deps.db, ctx.state.userId!, ctx.input.params.id)) };
  });

  return router;
}
