import { Context, log } from "@temporalio/activity";
import { WorkflowNotFoundError } from "@temporalio/client";
import { findProcessingFileIds, isProcessing } from "../db/commands/housekeeping/uploads";
import { fileLifecycleId, startFileLifecycle } from "../lib/file-lifecycle";
import type { ActivityDeps } from "./deps";
import { type BatchResult, forEachLimited, tallyOf } from "./housekeeping-batch";

export interface StuckFilesProps {
  dryRun: boolean;
  after: string | null;
  limit: number;
}

/** Temporal calls in flight at once while checking a batch. */
const CONCURRENCY = 8;

/**
 * One batch of files in processing: each one without a running FileLifecycle (never started, or
 * closed while the file still waits) gets a new run under the same id. Starting is idempotent, so
 * racing the API's own start is harmless.
 */
export function restartStuckFilesActivity(deps: ActivityDeps) {
  async function needsLifecycle(fileId: string): Promise<boolean> {
    try {
      const description = await deps.temporal.workflow.getHandle(fileLifecycleId(fileId)).describe();
      if (description.status.name === "RUNNING") return false;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
    // The run may have settled the file between our query and the describe.
    return isProcessing(deps.db, fileId);
  }

  return async function restartStuckFiles(props: StuckFilesProps): Promise<BatchResult<string>> {
    const context = Context.current();
    const fileIds = await findProcessingFileIds(deps.db, { after: props.after, limit: props.limit });
    const started: string[] = [];
    await forEachLimited(fileIds, CONCURRENCY, async (fileId) => {
      context.heartbeat(fileId);
      if (!(await needsLifecycle(fileId))) return;
      if (props.dryRun || (await startFileLifecycle(deps.temporal, deps.config, fileId, { afterCompleted: true })))
        started.push(fileId);
    });
    if (!props.dryRun && started.length) {
      deps.metrics.housekeeping.lifecyclesRestarted.inc(started.length);
      log.warn("FileLifecycle started for files left in processing", {
        count: started.length,
        fileIds: started.slice(0, 20),
      });
    }
    const last = fileIds[fileIds.length - 1];
    return {
      tally: tallyOf(started.sort().map((fileId) => ({ name: fileId, bytes: 0 }))),
      next: fileIds.length === props.limit && last ? last : null,
    };
  };
}
