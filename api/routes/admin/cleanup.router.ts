import { randomUUID } from "node:crypto";
import { WorkflowFailedError } from "@temporalio/client";
import { recordAudit } from "../../../db/commands/record";
import { AppError } from "../../../lib/errors";
import {
  UPLOAD_HOUSEKEEPING_WORKFLOW,
  type UploadHousekeepingReport,
  uploadHousekeepingInput,
} from "../../../lib/housekeeping";
import { startWorkflow } from "../../../lib/workflow-start";
import { clientIp } from "../../middleware/rate-limit";
import { operation } from "../../route-table";
import { CleanupResult } from "./admin.views";
import * as T from "./cleanup.schema";

/** Resolves with the value, or with `undefined` once `ms` have passed. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** POST /admin/uploads/cleanup: the upload housekeeping run now, on demand. */
export const adminCleanupRoutes = [
  operation({
    operationId: "runUploadCleanup",
    method: "post",
    path: "/admin/uploads/cleanup",
    summary: "Run upload housekeeping now (or report what it would do)",
    description:
      "Waits up to ADMIN_CLEANUP_TIMEOUT_SECONDS for the run: 200 with its report, else 202 while it goes on.",
    tag: "admin",
    auth: "admin",
    rateLimit: "admin",
    input: T.CleanupSchema,
    examples: { dryRun: { dryRun: true } },
    responses: {
      200: { description: "The run finished; its report", body: CleanupResult },
      202: { description: "Still running; see its workflow in the Temporal Web UI", body: CleanupResult },
    },
    errors: [
      [500, "housekeeping_failed"],
      [503, "temporal_unavailable"],
    ],
    handler: async (ctx) => {
      const { config, db, temporal, logger } = ctx.deps;
      const { dryRun } = ctx.input.body;
      const workflowId = `${UPLOAD_HOUSEKEEPING_WORKFLOW}-manual-${randomUUID()}`;
      const handle = await startWorkflow(temporal, UPLOAD_HOUSEKEEPING_WORKFLOW, {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId,
        args: [uploadHousekeepingInput(config, dryRun)],
      }).catch((error: unknown) => {
        logger.error({ err: error, requestId: ctx.state.requestId }, "could not start upload housekeeping");
        throw new AppError(503, "temporal_unavailable", "The workflow service is unavailable; try again later.");
      });
      // A dry run changes nothing, not even the audit log.
      if (!dryRun)
        await recordAudit(db, {
          actorId: ctx.state.userId!,
          action: "housekeeping.requested",
          details: { workflowId },
          ip: clientIp(ctx),
        });

      const result = handle.result();
      // Still running after the wait: the answer says so, the run goes on; its outcome is in Temporal.
      result.catch(() => undefined);
      let report: UploadHousekeepingReport | undefined;
      try {
        report = await within(result, config.ADMIN_CLEANUP_TIMEOUT_SECONDS * 1000);
      } catch (error) {
        if (!(error instanceof WorkflowFailedError)) throw error;
        throw new AppError(500, "housekeeping_failed", "The housekeeping run failed; see its workflow for why.", {
          workflowId,
        });
      }
      ctx.status = report ? 200 : 202;
      ctx.body = { workflowId, dryRun, finished: report !== undefined, report: report ?? null };
    },
  }),
];
