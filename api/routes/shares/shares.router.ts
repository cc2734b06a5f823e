import Router from "@koa/router";
import { filesOfShares, findOwnedShare, listShares, type ShareListCursor } from "../../../db/commands/shares/find";
import { listShareDownloads } from "../../../db/commands/shares/downloads";
import { createShare, revokeShare } from "../../../db/commands/shares/manage";
import type { File } from "../../../db/models";
import { shareUrl } from "../../../lib/share-rules";
import type { AppContext, AppExtensions, AppState } from "../../context";
import { requireUser } from "../../middleware/auth";
import { clientIp } from "../../middleware/rate-limit";
import { validate } from "../../middleware/validate";
import * as T from "./shares.schema";
import { shareDownloadView, shareView } from "./views";

const encodeCursor = (cursor: ShareListCursor | null) =>
  cursor ? Buffer.from(JSON.stringify(cursor)).toString("base64url") : null;

/** The owner's side of shares: create, list, inspect (with the access log), revoke. */
export function sharesRouter() {
  const router = new Router<AppState, AppExtensions>();

  router.post("/shares", requireUser(), validate(T.SharesCreateSchema), async (ctx: AppContext<T.SharesCreateReq>) => {
    const { db, config } = ctx.deps;
    const { fileId, password, expiresAt, maxDownloads } = ctx.input.body;
    const share = await createShare({ db, ownerId: ctx.state.userId!, fileId, password, expiresAt, maxDownloads, ip: clientIp(ctx) });
    const files = await filesOfShares(db, [share]);
    ctx.status = 201;
    ctx.body = { share: shareView(share, files.get(fileId) ?? null, config.API_URL), url: shareUrl(config.API_URL, share.token) };
  });

  router.get("/shares", requireUser(), validate(T.SharesListSchema), async (ctx: AppContext<T.SharesListReq>) => {
    const { db, config } = ctx.deps;
    const { limit, cursor, fileId } = ctx.input.query;
    const page = await listShares({ db, ownerId: ctx.state.userId!, limit, after: cursor, fileId });
    const files = await filesOfShares(db, page.shares);
    const now = new Date();
    ctx.body = {
      shares: page.shares.map((share) => shareView(share, fileOf(files, share.fileId), config.API_URL, now)),
      nextCursor: encodeCursor(page.nextCursor),
    };
  });

  router.get("/shares/:id", requireUser(), validate(T.SharesShowSchema), async (ctx: AppContext<T.SharesShowReq>) => {
    const { db, config } = ctx.deps;
    const share = await findOwnedShare(db, ctx.state.userId!, ctx.input.params.id);
    const { limit, before } = ctx.input.query;
    const [files, downloads] = await Promise.all([filesOfShares(db, [share]), listShareDownloads(db, share.id, limit, before)]);
    const last = downloads[downloads.length - 1];
    ctx.body = {
      share: shareView(share, fileOf(files, share.fileId), config.API_URL),
      downloads: downloads.map(shareDownloadView),
      nextBefore: downloads.length === limit && last ? last.id : null,
    };
  });

  router.delete("/shares/:id", requireUser(), validate(T.ShareParamsSchema), async (ctx: AppContext<T.ShareParamsReq>) => {
    const { db, config } = ctx.deps;
    const share = await revokeShare({ db, ownerId: ctx.state.userId!, shareId: ctx.input.params.id, ip: clientIp(ctx) });
    const files = await filesOfShares(db, [share]);
    ctx.body = { share: shareView(share, fileOf(files, share.fileId), config.API_URL) };
  });

  return router;
}

function fileOf(files: Map<string, File>, fileId: string | null): File | null {
  return fileId ? (files.get(fileId) ?? null) : null;
}
