import Router from "@koa/router";
import { findOwnedFolder } from "../../../db/commands/files/find";
import {
  type ListingCursor,
  breadcrumbs,
  createFolder,
  listFolderContent,
  restoreFolder,
  trashFolder,
  updateFolder,
} from "../../../db/commands/files/folders";
import { listTrash } from "../../../db/commands/files/manage";
import { notFound } from "../../../lib/errors";
import type { AppContext, AppExtensions, AppState } from "../../context";
import { requireUser } from "../../middleware/auth";
import { validate } from "../../middleware/validate";
import { fileView, folderView } from "../files/views";
import * as T from "./folders.schema";

const encodeCursor = (cursor: ListingCursor | null) =>
  cursor ? Buffer.from(JSON.stringify(cursor)).toString("base64url") : null;

export function foldersRouter() {
  const router = new Router<AppState, AppExtensions>();

  router.post("/folders", requireUser(), validate(T.FoldersCreateSchema), async (ctx: AppContext<T.FoldersCreateReq>) => {
    const folder = await createFolder(ctx.deps.db, ctx.state.userId!, ctx.input.body.name, ctx.input.body.parentId ?? null);
    ctx.status = 201;
    ctx.body = { folder: folderView(folder) };
  });

  router.get("/folders/root", requireUser(), validate(T.FoldersRootSchema), async (ctx: AppContext<T.FoldersRootReq>) => {
    const { limit, cursor } = ctx.input.query;
    const page = await listFolderContent(ctx.deps.db, ctx.state.userId!, null, limit, cursor);
    ctx.body = {
      folder: null,
      path: [],
      folders: page.folders.map(folderView),
      files: page.files.map(fileView),
      nextCursor: encodeCursor(page.nextCursor),
    };
  });

  router.get("/folders/:id", requireUser(), validate(T.FoldersShowSchema), async (ctx: AppContext<T.FoldersShowReq>) => {
    const { db } = ctx.deps;
    const folder = await findOwnedFolder(db, ctx.state.userId!, ctx.input.params.id);
    if (folder.trashedAt) throw notFound("folder");
    const { limit, cursor } = ctx.input.query;
    const page = await listFolderContent(db, ctx.state.userId!, folder.id, limit, cursor);
    ctx.body = {
      folder: folderView(folder),
      path: await breadcrumbs(db, folder.id),
      folders: page.folders.map(folderView),
      files: page.files.map(fileView),
      nextCursor: encodeCursor(page.nextCursor),
    };
  });

  router.patch("/folders/:id", requireUser(), validate(T.FoldersUpdateSchema), async (ctx: AppContext<T.FoldersUpdateReq>) => {
    const { name, parentId } = ctx.input.body;
    const folder = await updateFolder({ db: ctx.deps.db, ownerId: ctx.state.userId!, folderId: ctx.input.params.id, name, parentId });
    ctx.body = { folder: folderView(folder) };
  });

  router.delete("/folders/:id", requireUser(), validate(T.FolderParamsSchema), async (ctx: AppContext<T.FolderParamsReq>) => {
    ctx.body = { folder: folderView(await trashFolder(ctx.deps.db, ctx.state.userId!, ctx.input.params.id)) };
  });

  router.post("/folders/:id/restore", requireUser(), validate(T.FolderParamsSchema), async (ctx: AppContext<T.FolderParamsReq>) => {
    ctx.body = { folder: folderView(await restoreFolder(ctx.deps.db, ctx.state.userId!, ctx.input.params.id)) };
  });

  router.get("/trash", requireUser(), validate(T.TrashListSchema), async (ctx: AppContext<T.TrashListReq>) => {
    const { folders, files } = await listTrash(ctx.deps.db, ctx.state.userId!, ctx.input.query.limit);
    ctx.body = { folders: folders.map(folderView), files: files.map(fileView) };
  });

  return router;
}
