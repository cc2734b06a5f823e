import {
  ActivityFailure,
  ApplicationFailure,
  defineQuery,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from "@temporalio/workflow";
import type { Activities } from "../activities";
import type { FileLifecycleInput, FileLifecycleStep } from "../lib/file-lifecycle";
import { OBJECT_MISSING } from "../lib/scan-failure";
import { previewQueueOf, scanQueueOf } from "../lib/worker-queues";

export const stepQuery = defineQuery<FileLifecycleStep>("step");

/**
 * patched() id: the scan activity (scanAndMarkReady) also makes a clean file ready and says whether
 * it gets a thumbnail, so a file is ready when its scan ends (bench small-files, docs/benchmarks.md).
 */
export const READY_IN_SCAN = "ready-in-scan";

/**
 * patched() id: a file the starter marked inlineScan (at most SCAN_INLINE_MAX_BYTES) is scanned as a
 * local activity inside the workflow task: one workflow task per small file instead of two and an
 * activity task (bench small-files, docs/benchmarks.md). A worker that dies mid-scan is noticed by the
 * workflow task's timeout (10 s) and the scan runs again on another worker.
 */
export const INLINE_SCAN = "inline-scan";
/** A small file's scan (clamd's own timeouts are far shorter); longer, it is tried again. */
const INLINE_SCAN_TIMEOUT = "2 minutes";

/** patched() id: the owner (and on detections the admins) are notified after the outcome (issue 17). */
export const NOTIFY_OUTCOME = "notify-outcome";
/** patched() id: a ready image, video or PDF gets a 1600 px preview after its thumbnail (issue 17). */
export const PREVIEW_STEP = "preview";
/**
 * patched() id: scans, thumbnails and previews go to task queues of their own beside the run's queue
 * (lib/worker-queues: SCAN_CONCURRENCY and PREVIEW_CONCURRENCY slots per worker), and thumbnails and
 * previews heartbeat, so a worker that dies mid-way is noticed within 20 s instead of 5 or 10 minutes.
 */
export const WORKER_QUEUES = "worker-queues";
/** Thumbnails and previews heartbeat every 5 s (activities/heartbeat.ts); silent this long, they are retried. */
const MEDIA_HEARTBEAT_TIMEOUT = "20 seconds";

export type FileLifecycleOutcome = "ready" | "quarantined" | "rejected" | "failed" | "settled";

/** The reason in a scan failure that no retry can fix (the object is gone), else null. */
function unscannableReason(error: unknown): string | null {
  const cause = error instanceof ActivityFailure ? error.cause : undefined;
  return cause instanceof ApplicationFailure && cause.type === OBJECT_MISSING ? cause.message : null;
}

/** scan → ready or quarantine (or reject when too large for the scanner or of a refused type) → thumbnail. */
export async function fileLifecycle(input: FileLifecycleInput): Promise<FileLifecycleOutcome> {
  let step: FileLifecycleStep = "scanning";
  setHandler(stepQuery, () => step);

  const scanOptions = {
    startToCloseTimeout: "24 hours",
    heartbeatTimeout: input.scan.heartbeatTimeoutMs,
    // No maximum attempts: while the scanner is down the file waits in processing, never served.
    retry: {
      initialInterval: input.scan.initialRetryIntervalMs,
      backoffCoefficient: 2,
      maximumInterval: input.scan.maxRetryIntervalMs,
    },
  } as const;
  const { scanFile, scanAndMarkReady } = proxyActivities<Activities>(scanOptions);
  const { taskQueue } = workflowInfo();
  const queued = {
    scan: proxyActivities<Activities>({ ...scanOptions, taskQueue: scanQueueOf(taskQueue) }),
    thumbnail: proxyActivities<Activities>({
      startToCloseTimeout: "5 minutes",
      heartbeatTimeout: MEDIA_HEARTBEAT_TIMEOUT,
      retry: { maximumAttempts: 3 },
      taskQueue: previewQueueOf(taskQueue),
    }),
    preview: proxyActivities<Activities>({
      startToCloseTimeout: "10 minutes",
      heartbeatTimeout: MEDIA_HEARTBEAT_TIMEOUT,
      retry: { maximumAttempts: 2 },
      taskQueue: previewQueueOf(taskQueue),
    }),
  };
  const { markFileReady, quarantineFile, rejectFile, failFile } = proxyActivities<Activities>({
    startToCloseTimeout: "5 minutes",
    retry: { initialInterval: "1 second", maximumInterval: "1 minute" },
  });
  const { createThumbnail } = proxyActivities<Activities>({
    startToCloseTimeout: "5 minutes",
    retry: { maximumAttempts: 3 },
  });

  // ffmpeg and pdftoppm are bounded by PREVIEW_TIMEOUT_MS themselves; one retry covers a worker restart.
  const { createPreview } = proxyActivities<Activities>({
    startToCloseTimeout: "10 minutes",
    retry: { maximumAttempts: 2 },
  });
  // Mails wait for the SMTP server up to a day; a worker that dies mid-send is noticed within 10 s.
  const { notifyFileOutcome } = proxyActivities<Activities>({
    startToCloseTimeout: "1 minute",
    heartbeatTimeout: "10 seconds",
    scheduleToCloseTimeout: "24 hours",
    retry: { initialInterval: "1 second", maximumInterval: "5 minutes" },
  });

  // Runs started before READY_IN_SCAN scanned, then scheduled markFileReady, then always createThumbnail.
  const readyInScan = patched(READY_IN_SCAN);
  let verdict: Awaited<ReturnType<typeof scanFile | typeof scanAndMarkReady>>;
  try {
    const inline = proxyLocalActivities<Activities>({
      startToCloseTimeout: INLINE_SCAN_TIMEOUT,
      retry: scanOptions.retry,
    });
    // Larger files (and runs started before INLINE_SCAN) scan as an activity; on the run's own queue in
    // runs started before WORKER_QUEUES.
    const scan =
      input.inlineScan === true && patched(INLINE_SCAN)
        ? inline
        : patched(WORKER_QUEUES)
          ? queued.scan
          : { scanFile, scanAndMarkReady };
    verdict = readyInScan ? await scan.scanAndMarkReady(input.fileId) : await scan.scanFile(input.fileId);
  } catch (error) {
    // The object is gone (not an outage): the file ends failed with the reason, bytes refunded.
    const reason = unscannableReason(error);
    if (reason === null) throw error;
    step = "failing";
    await failFile(input.fileId, reason);
    step = "done";
    log.warn("file lifecycle failed", { fileId: input.fileId, reason });
    return "failed";
  }
  let outcome: FileLifecycleOutcome;
  switch (verdict.outcome) {
    case "clean":
      if (!readyInScan) {
        step = "marking_ready";
        await markFileReady(input.fileId, verdict.sha256);
      }
      outcome = "ready";
      // A file that gets no thumbnail (not an image) no longer costs an activity to find that out.
      if (!readyInScan || ("thumbnail" in verdict && verdict.thumbnail)) {
        step = "thumbnail";
        try {
          await (patched(WORKER_QUEUES) ? queued.thumbnail.createThumbnail : createThumbnail)(input.fileId);
        } catch (error) {
          log.warn("thumbnail failed; the file stays ready without one", {
            fileId: input.fileId,
            error: String(error),
          });
        }
      }
      // Like the thumbnail: a file that gets no preview costs no activity (the verdict says so).
      if ((!("preview" in verdict) || verdict.preview) && patched(PREVIEW_STEP)) {
        step = "preview";
        try {
          await (patched(WORKER_QUEUES) ? queued.preview.createPreview : createPreview)(input.fileId);
        } catch (error) {
          log.warn("preview failed; the file stays ready without one", { fileId: input.fileId, error: String(error) });
        }
      }
      break;
    case "infected":
      step = "quarantining";
      await quarantineFile(input.fileId, verdict.signature, verdict.sha256);
      outcome = "quarantined";
      break;
    case "too_large":
    case "type_not_allowed":
      step = "rejecting";
      await rejectFile(input.fileId, verdict.reason);
      outcome = "rejected";
      break;
    case "settled":
      outcome = "settled";
      break;
  }
  // Runs recorded before notifications existed ended right after the outcome.
  // A ready file whose owner wants no mail and has no file.ready webhook skips it (the verdict says so).
  const quiet = outcome === "ready" && "notify" in verdict && verdict.notify === false;
  if (
    (outcome === "ready" || outcome === "quarantined" || outcome === "rejected") &&
    !quiet &&
    patched(NOTIFY_OUTCOME)
  ) {
    step = "notifying";
    try {
      await notifyFileOutcome(input.fileId, outcome);
    } catch (error) {
      log.warn("notifications failed; the outcome stands", { fileId: input.fileId, outcome, error: String(error) });
    }
  }
  step = "done";
  log.info("file lifecycle finished", { fileId: input.fileId, outcome });
  return outcome;
}
