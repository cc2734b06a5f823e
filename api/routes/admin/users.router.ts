import Router from "@koa/router";
import { listUsers, updateUserByAdmin } from "../../../db/commands/accounts";
import type { User } from "../../../db/models";
import { conflict, notFound } from "../../../lib/errors";
import type { AppContext, AppExtensions, AppState } from "../../context";
import { requireAdmin, requireUser } from "../../middleware/auth";
import { clientIp, rateLimit } from "../../middleware/rate-limit";
import { validate } from "../../middleware/validate";
import * as T from "./users.schema";

/** What an admin sees of an account: the public fields plus quota and lifecycle dates. */
function adminUserView(user: User) {
  return {
    ...user.toPublic(),
    quotaBytes: user.quotaBytes,
    usedBytes: user.usedBytes,
    reservedBytes: user.reservedBytes,
    emailVerifiedAt: user.emailVerifiedAt,
    disabledAt: user.disabledAt,
    firstLoginAt: user.firstLoginAt,
  };
}

export function adminUsersRouter() {
  const router = new Router<AppState, AppExtensions>({ prefix: "/admin/users" });

  router.get("/", rateLimit("admin"), requireUser(), requireAdmin(), validate(T.ListUsersSchema), async (ctx: AppContext<T.ListUsersReq>) => {
    const { limit, cursor } = ctx.input.query;
    const page = await listUsers({ db: ctx.deps.db, limit, cursor });
    ctx.body = { users: page.users.map(adminUserView), nextCursor: page.nextCursor };
  });

  router.patch(
    "/:id",
    rateLimit("admin"),
    requireUser(),
    requireAdmin(),
    validate(T.UpdateUserSchema),
    async (ctx: AppContext<T.UpdateUserReq>) => {
      const result = await updateUserByAdmin({
        db: ctx.deps.db,
        actorId: ctx.state.userId!,
        userId: ctx.input.params.id,
        changes: ctx.input.body,
        ip: clientIp(ctx),
      });
      if (!result.ok && result.reason === "not_found") throw notFound("user");
      if (!result.ok) throw conflict("self_lockout", "Admins cannot demote or disable themselves.");
      ctx.body = { user: adminUserView(result.user) };
    },
  );

  return router;
}
