import type { Client } from "@temporalio/client";
import type { Config } from "./config";
import { type WorkflowName, startOnce } from "./workflow-start";

/** Timings the FileLifecycle workflow takes from the starter's config (workflow code reads no env). */
export interface FileLifecycleInput {
  fileId: string;
  scan: {
    /** First retry delay when the scanner is unreachable; doubles up to maxRetryIntervalMs. */
    initialRetryIntervalMs: number;
    maxRetryIntervalMs: number;
    /** A scan that reports no progress for this long is retried elsewhere (worker crash). */
    heartbeatTimeoutMs: number;
  };
  /** Scan inside the workflow task (a local activity): a file up to SCAN_INLINE_MAX_BYTES. */
  inlineScan?: boolean;
}

/** The step a FileLifecycle run is at, as its `step` query answers. */
export type FileLifecycleStep =
  | "scanning"
  | "marking_ready"
  | "quarantining"
  | "rejecting"
  | "failing"
  | "thumbnail"
  | "preview"
  | "notifying"
  | "done";

/**
 * The FileLifecycle input for a file, with the scan timings of the config. A file whose size the
 * starter knows to be at most SCAN_INLINE_MAX_BYTES is scanned inline; one it does not know, as an activity.
 */
function lifecycleInput(config: FileLifecycleConfig, fileId: string, sizeBytes?: number): FileLifecycleInput {
  return {
    fileId,
    scan: {
      initialRetryIntervalMs: config.SCAN_RETRY_INITIAL_MS,
      maxRetryIntervalMs: config.SCAN_RETRY_MAX_MS,
      heartbeatTimeoutMs: config.SCAN_HEARTBEAT_TIMEOUT_MS,
    },
    inlineScan: sizeBytes !== undefined && sizeBytes <= config.SCAN_INLINE_MAX_BYTES,
  };
}

export const FILE_LIFECYCLE_WORKFLOW = "fileLifecycle" satisfies WorkflowName;
export const fileLifecycleId = (fileId: string) => `file-lifecycle-${fileId}`;

export type FileLifecycleConfig = Pick<
  Config,
  | "TEMPORAL_TASK_QUEUE"
  | "SCAN_RETRY_INITIAL_MS"
  | "SCAN_RETRY_MAX_MS"
  | "SCAN_HEARTBEAT_TIMEOUT_MS"
  | "SCAN_INLINE_MAX_BYTES"
>;

/**
 * Starts FileLifecycle for a file as `file-lifecycle-<fileId>` unless a run with that id is open.
 * By default a run that completed also blocks a new one (id reuse policy
 * ALLOW_DUPLICATE_FAILED_ONLY): a repeated or parallel `complete`, on this API process or another,
 * never scans a file twice. Upload housekeeping passes `{ afterCompleted: true }`: it has just seen
 * the file still in processing with no open run, so the last run, whatever its end, did not settle
 * it. Returns false when no run was started.
 */
export function startFileLifecycle(
  client: Client,
  config: FileLifecycleConfig,
  fileId: string,
  options: { afterCompleted?: boolean; sizeBytes?: number } = {},
): Promise<boolean> {
  return startOnce(client, FILE_LIFECYCLE_WORKFLOW, {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowId: fileLifecycleId(fileId),
    workflowIdReusePolicy: options.afterCompleted ? "ALLOW_DUPLICATE" : "ALLOW_DUPLICATE_FAILED_ONLY",
    args: [lifecycleInput(config, fileId, options.sizeBytes)],
  });
}
