import {
  dailyUploadOutcomes,
  storageCounts,
  topUploaders,
  uploadAnalytics,
  uploadFailures,
  uploadQueue,
} from "../../../db/commands/analytics/uploads";
import { FILE_LIFECYCLE_WORKFLOW } from "../../../lib/file-lifecycle";
import { operation } from "../../route-table";
import { runHealthChecks } from "../ops/ops.router";
import { AdminHealth, DailyUploads, TopUsers, UploadAnalytics, UploadFailures, UploadQueue } from "./admin.views";
import * as T from "./analytics.schema";

/** GET /admin/health and the upload analytics of SPEC §6 (admins only; others get 404). */
export const adminAnalyticsRoutes = [
  operation({
    operationId: "getAdminHealth",
    method: "get",
    path: "/admin/health",
    summary: "GET /health plus counts of users, files and bytes",
    tag: "admin",
    auth: "admin",
    rateLimit: "admin",
    responses: {
      200: { description: "Every dependency up", body: AdminHealth },
      503: { description: "A dependency is down: the checks name it", body: AdminHealth },
    },
    handler: async (ctx) => {
      const checks = await runHealthChecks(ctx.deps);
      const healthy = Object.values(checks).every((state) => state === "up");
      ctx.status = healthy ? 200 : 503;
      ctx.body = { status: healthy ? "ok" : "degraded", checks, counts: await storageCounts(ctx.deps.db) };
    },
  }),
  operation({
    operationId: "getUploadAnalytics",
    method: "get",
    path: "/admin/analytics/uploads",
    summary: "Upload outcomes, types and virus scans over a date range",
    tag: "admin",
    auth: "admin",
    rateLimit: "admin",
    input: T.AnalyticsRangeSchema,
    responses: { 200: { description: "The figures", body: UploadAnalytics } },
    handler: async (ctx) => {
      ctx.body = await uploadAnalytics(ctx.deps.db, ctx.input.query);
    },
  }),
  operation({
    operationId: "getDailyUploads",
    method: "get",
    path: "/admin/analytics/uploads/daily",
    summary: "Upload outcomes and success rate per UTC day over a date range",
    tag: "admin",
    auth: "admin",
    rateLimit: "admin",
    input: T.AnalyticsRangeSchema,
    responses: { 200: { description: "Every day of the range, oldest first", body: DailyUploads } },
    handler: async (ctx) => {
      ctx.body = { days: await dailyUploadOutcomes(ctx.deps.db, ctx.input.query) };
    },
  }),
  operation({
    operationId: "getUploadQueue",
    method: "get",
    path: "/admin/analytics/uploads/queue",
    summary: "Files waiting: open uploads, scans running, files in processing",
    tag: "admin",
    auth: "admin",
    rateLimit: "admin",
    responses: { 200: { description: "The queue", body: UploadQueue } },
    handler: async (ctx) => {
      const queue = await uploadQueue(ctx.deps.db);
      // Files whose scan is under way: running FileLifecycle workflows, as Temporal counts them.
      const scanning = await ctx.deps.temporal.workflow
        .count(`WorkflowType = '${FILE_LIFECYCLE_WORKFLOW}' AND ExecutionStatus = 'Running'`)
        .then((result) => result.count)
        .catch(() => null);
      ctx.body = { pending: queue.pending, scanning, processing: queue.processing };
    },
  }),
  operation({
    operationId: "getUploadFailures",
    method: "get",
    path: "/admin/uploads/failures",
    summary: "Failed uploads by reason over a date range",
    tag: "admin",
    auth: "admin",
    rateLimit: "admin",
    input: T.AnalyticsRangeSchema,
    responses: { 200: { description: "reason → count", body: UploadFailures } },
    handler: async (ctx) => {
      ctx.body = await uploadFailures(ctx.deps.db, ctx.input.query);
    },
  }),
  operation({
    operationId: "getTopUploaders",
    method: "get",
    path: "/admin/uploads/top-users",
    summary: "The users who uploaded the most bytes over a date range",
    tag: "admin",
    auth: "admin",
    rateLimit: "admin",
    input: T.TopUsersSchema,
    responses: { 200: { description: "Users, most bytes first", body: TopUsers } },
    handler: async (ctx) => {
      const { limit, ...range } = ctx.input.query;
      ctx.body = { users: await topUploaders(ctx.deps.db, range, limit) };
    },
  }),
];
