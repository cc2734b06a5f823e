import Router from "@koa/router";
import { storageCounts, topUploaders, uploadAnalytics, uploadFailures, uploadQueue } from "../../../db/commands/analytics/uploads";
import { FILE_LIFECYCLE_WORKFLOW } from "../../../lib/file-lifecycle";
import type { AppContext, AppExtensions, AppState } from "../../context";
import { requireAdmin, requireUser } from "../../middleware/auth";
import { rateLimit } from "../../middleware/rate-limit";
import { validate } from "../../middleware/validate";
import { runHealthChecks } from "../ops/ops.router";
import * as T from "./analytics.schema";

/** GET /admin/health and the upload analytics of SPEC §6 (admins only; others get 404). */
export function adminAnalyticsRouter() {
  const router = new Router<AppState, AppExtensions>({ prefix: "/admin" });
  const admin = [rateLimit("admin"), requireUser(), requireAdmin()] as const;

  router.get("/health", ...admin, async (ctx: AppContext) => {
    const checks = await runHealthChecks(ctx.deps);
    const healthy = Object.values(checks).every((state) => state === "up");
    ctx.status = healthy ? 200 : 503;
    ctx.body = { status: healthy ? "ok" : "degraded", checks, counts: await storageCounts(ctx.deps.db) };
  });

  router.get("/analytics/uploads", ...admin, validate(T.AnalyticsRangeSchema), async (ctx: AppContext<T.AnalyticsRangeReq>) => {
    ctx.body = await uploadAnalytics(ctx.deps.db, ctx.input.query);
  });

  router.get("/analytics/uploads/queue", ...admin, async (ctx: AppContext) => {
    const queue = await uploadQueue(ctx.deps.db);
    // Files whose scan is under way: running FileLifecycle workflows, as Temporal counts them.
    const scanning = await ctx.deps.temporal.workflow
      .count(`WorkflowType = '${FILE_LIFECYCLE_WORKFLOW}' AND ExecutionStatus = 'Running'`)
      .then((result) => result.count)
      .catch(() => null);
    ctx.body = { pending: queue.pending, scanning, processing: queue.processing };
  });

  router.get("/uploads/failures", ...admin, validate(T.AnalyticsRangeSchema), async (ctx: AppContext<T.AnalyticsRangeReq>) => {
    ctx.body = await uploadFailures(ctx.deps.db, ctx.input.query);
  });

  router.get("/uploads/top-users", ...admin, validate(T.TopUsersSchema), async (ctx: AppContext<T.TopUsersReq>) => {
    const { limit, ...range } = ctx.input.query;
    ctx.body = { users: await topUploaders(ctx.deps.db, range, limit) };
  });

  return router;
}
