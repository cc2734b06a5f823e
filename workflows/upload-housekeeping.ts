import { continueAsNew, log, patched, proxyActivities } from "@temporalio/workflow";
import type { Activities } from "../activities";
import { type UploadHousekeepingInput, type UploadHousekeepingReport, addTally, emptyTally } from "../lib/housekeeping";
import type { UploadsMarker } from "../lib/s3";
import { batchRetry, historyIsLong } from "./housekeeping-run";

type Phase = "stale_uploads" | "orphan_multipart_uploads" | "stuck_files" | "object_deletions" | "done";

/** Where a run stands; carried into the next run when the history grows long. */
export interface UploadHousekeepingState {
  phase: Phase;
  /** Fixed at the start of the run, so every batch judges by the same moment. */
  idleSince: string;
  initiatedBefore: string;
  rowCursor: string | null;
  uploadsMarker: UploadsMarker | null;
  /** Where the finishing of recorded object deletions stands (absent in runs from before that phase). */
  deletionCursor?: number | null;
  report: UploadHousekeepingReport;
}

function startState(input: UploadHousekeepingInput): UploadHousekeepingState {
  const now = Date.now(); // workflow time: deterministic on replay
  return {
    phase: "stale_uploads",
    idleSince: new Date(now - input.staleAfterMs).toISOString(),
    initiatedBefore: new Date(now - input.orphanUploadMinAgeMs).toISOString(),
    rowCursor: null,
    uploadsMarker: null,
    report: {
      dryRun: input.dryRun,
      staleUploads: emptyTally(),
      orphanMultipartUploads: emptyTally(),
      restartedLifecycles: emptyTally(),
    },
  };
}

/**
 * Every 10 minutes (schedule "upload-housekeeping") and on POST /admin/uploads/cleanup: aborts
 * uploads without heartbeats, aborts multipart uploads no open upload knows, starts
 * FileLifecycle for files left in processing without one, and removes the objects of committed
 * deletes that S3 was away for. One batch per activity call; every step
 * is safe to repeat, so the run can stop anywhere and go on. With dryRun it only reports.
 */
export async function uploadHousekeeping(
  input: UploadHousekeepingInput,
  carried?: UploadHousekeepingState,
): Promise<UploadHousekeepingReport> {
  const { abortStaleUploads, abortOrphanMultipartUploads, restartStuckFiles, finishObjectDeletions } =
    proxyActivities<Activities>({
      startToCloseTimeout: "10 minutes",
      heartbeatTimeout: input.heartbeatTimeoutMs,
      retry: batchRetry,
    });
  const state = carried ?? startState(input);
  const { dryRun, batchSize: limit } = input;
  let objectDeletionsFinished = 0;
  // Every run does at least one batch before it may continue as new, so a chain always progresses.
  for (let batches = 0; state.phase !== "done"; batches++) {
    if (batches > 0 && historyIsLong(input)) await continueAsNew<typeof uploadHousekeeping>(input, state);
    switch (state.phase) {
      case "stale_uploads": {
        const batch = await abortStaleUploads({ dryRun, idleSince: state.idleSince, after: state.rowCursor, limit });
        addTally(state.report.staleUploads, batch.tally);
        state.rowCursor = batch.next;
        if (!batch.next) state.phase = "orphan_multipart_uploads";
        break;
      }
      case "orphan_multipart_uploads": {
        const batch = await abortOrphanMultipartUploads({
          dryRun,
          initiatedBefore: state.initiatedBefore,
          after: state.uploadsMarker,
          limit,
        });
        addTally(state.report.orphanMultipartUploads, batch.tally);
        state.uploadsMarker = batch.next;
        if (!batch.next) state.phase = "stuck_files";
        break;
      }
      case "stuck_files": {
        const batch = await restartStuckFiles({ dryRun, after: state.rowCursor, limit });
        addTally(state.report.restartedLifecycles, batch.tally);
        state.rowCursor = batch.next;
        // Runs recorded before this phase existed end here (replay).
        if (!batch.next) state.phase = patched("object-deletions") ? "object_deletions" : "done";
        if (!batch.next) state.deletionCursor = null;
        break;
      }
      case "object_deletions": {
        const batch = await finishObjectDeletions({ dryRun, after: state.deletionCursor ?? null, limit });
        objectDeletionsFinished += batch.tally.count;
        state.deletionCursor = batch.next;
        if (!batch.next) state.phase = "done";
        break;
      }
    }
  }
  const { report } = state;
  log.info("upload housekeeping finished", {
    dryRun,
    staleUploads: report.staleUploads.count,
    orphanMultipartUploads: report.orphanMultipartUploads.count,
    restartedLifecycles: report.restartedLifecycles.count,
    objectDeletionsFinished,
  });
  return report;
}
