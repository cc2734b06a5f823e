import Router from "@koa/router";
import { getAccountSummary } from "../../../db/commands/accounts";
import { unauthorized } from "../../../lib/errors";
import type { AppContext, AppExtensions, AppState } from "../../context";
import { requireUser } from "../../middleware/auth";

export function meRouter() {
  const router = new Router<AppState, AppExtensions>();

  /** The signed-in user and their quota. */
  router.get("/me", requireUser(), async (ctx: AppContext) => {
    const summary = await getAccountSummary(ctx.deps.db, ctx.state.userId!);
    if (!summary) throw unauthorized("invalid_token", "The access token is invalid or expired.");
    ctx.body = { user: summary.user.toPublic(), quota: summary.quota };
  });

  return router;
}
