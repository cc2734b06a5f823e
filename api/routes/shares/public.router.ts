import Router from "@koa/router";
import type { Knex } from "knex";
import { countShareDownload } from "../../../db/commands/shares/downloads";
import { findShareByToken, type SharedFile } from "../../../db/commands/shares/find";
import { AppError, notFound } from "../../../lib/errors";
import { goneMessage, headerPassword, shareState } from "../../../lib/share-rules";
import type { AppContext, AppExtensions, AppState } from "../../context";
import { rateLimit } from "../../middleware/rate-limit";
import { validate } from "../../middleware/validate";
import { streamShareDownload } from "./share-download";
import { checkSharePassword } from "./share-password";
import * as T from "./shares.schema";
import { publicShareView } from "./views";

/** The link's share and file when it works; 404 for a token we never gave out, 410 `share_gone` with the reason otherwise. */
async function liveShare(db: Knex, token: string): Promise<SharedFile & { file: NonNullable<SharedFile["file"]> }> {
  const found = await findShareByToken(db, token);
  if (!found) throw notFound("share");
  const state = shareState(found.share, found.file);
  if (state !== "active" || !found.file) {
    const reason = state === "active" ? "file_unavailable" : state;
    throw new AppError(410, "share_gone", goneMessage(reason), { reason });
  }
  return { share: found.share, file: found.file };
}

/** Public links (SPEC §6): no auth, limited per IP by rateLimit("public"). */
export function publicSharesRouter() {
  const router = new Router<AppState, AppExtensions>();

  router.get("/s/:token", rateLimit("public"), validate(T.PublicShareSchema), async (ctx: AppContext<T.PublicShareReq>) => {
    const { share, file } = await liveShare(ctx.deps.db, ctx.input.params.token);
    ctx.set("Cache-Control", "no-store");
    ctx.body = publicShareView(share, file);
  });

  router.post("/s/:token/download", rateLimit("public"), validate(T.PublicDownloadSchema), async (ctx: AppContext<T.PublicDownloadReq>) => {
    const { db } = ctx.deps;
    const { share } = await liveShare(db, ctx.input.params.token);
    await checkSharePassword(ctx, share, ctx.input.body.password || headerPassword(ctx.get("X-Share-Password")));
    const download = await countShareDownload(db, share.id);
    if (!download) {
      // Used up, expired, revoked or its file gone since we looked: liveShare() says which.
      await liveShare(db, ctx.input.params.token);
      throw new AppError(410, "share_gone", goneMessage("consumed"), { reason: "consumed" });
    }
    await streamShareDownload(ctx, share.id, download);
  });

  return router;
}
