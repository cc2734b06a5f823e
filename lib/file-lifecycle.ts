import { type Client, WorkflowExecutionAlreadyStartedError } from "@temporalio/client";
import type { Config } from "./config";

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
}

/** The step a FileLifecycle run is at, as its `step` query answers. */
export type FileLifecycleStep = "scanning" | "marking_ready" | "quarantining" | "rejecting" | "thumbnail" | "done";

/** The FileLifecycle input for a file, with the scan timings of the config. */
export function lifecycleInput(
  config: Pick<Config, "SCAN_RETRY_INITIAL_MS" | "SCAN_RETRY_MAX_MS" | "SCAN_HEARTBEAT_TIMEOUT_MS">,
  fileId: string,
): FileLifecycleInput {
  return {
    fileId,
    scan: {
      initialRetryIntervalMs: config.SCAN_RETRY_INITIAL_MS,
      maxRetryIntervalMs: config.SCAN_RETRY_MAX_MS,
      heartbeatTimeoutMs: config.SCAN_HEARTBEAT_TIMEOUT_MS,
    },
  };
}

export const FILE_LIFECYCLE_WORKFLOW = "fileLifecycle";
export const fileLifecycleId = (fileId: string) => `file-lifecycle-${fileId}`;

/**
 * Starts FileLifecycle for a file unless a run with its id already exists. Returns false when one
 * did: a second start is harmless.
 */
export async function startFileLifecycle(
  client: Client,
  taskQueue: string,
  input: FileLifecycleInput,
): Promise<boolean> {
  try {
    await client.workflow.start(FILE_LIFECYCLE_WORKFLOW, {
      taskQueue,
      workflowId: fileLifecycleId(input.fileId),
      args: [input],
    });
    return true;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw error;
  }
}
