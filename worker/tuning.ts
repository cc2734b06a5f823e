import type { WorkerOptions } from "@temporalio/worker";
import type { Config } from "../lib/config";

export type WorkerTuningConfig = Pick<
  Config,
  | "WORKER_MAX_CONCURRENT_WORKFLOW_TASKS"
  | "WORKER_MAX_CONCURRENT_ACTIVITIES"
  | "WORKER_MAX_CACHED_WORKFLOWS"
  | "WORKER_SHUTDOWN_GRACE_SECONDS"
>;

/**
 * How much one worker takes on from its task queue, from the config: fixed slots for workflow tasks
 * and activities (scans stream whole files, so activities are the ones to size by memory and clamd
 * capacity), the sticky cache, and the grace running activities get on shutdown before they are
 * cancelled and retried on another worker (every activity is safe to run twice; a scan restarts).
 */
export function workerTuning(
  config: WorkerTuningConfig,
): Pick<
  WorkerOptions,
  | "maxConcurrentWorkflowTaskExecutions"
  | "maxConcurrentActivityTaskExecutions"
  | "maxCachedWorkflows"
  | "shutdownGraceTime"
> {
  return {
    maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    shutdownGraceTime: `${config.WORKER_SHUTDOWN_GRACE_SECONDS} seconds`,
  };
}

/** clamd's own default MaxThreads: the scan slots of a worker that cannot ask clamd at start. */
export const DEFAULT_SCAN_CONCURRENCY = 10;

/**
 * SCAN_CONCURRENCY, or unset, clamd's MaxThreads (its STATS reply at start): as many scans as clamd
 * runs at once, so none waits in clamd's queue while the worker could take another file. clamd not
 * answering at start gives DEFAULT_SCAN_CONCURRENCY. With several workers on one clamd, set it to
 * MaxThreads divided by their number.
 */
export async function scanConcurrency(
  config: Pick<Config, "SCAN_CONCURRENCY">,
  clamd: { maxThreads(): Promise<number> },
): Promise<{ slots: number; from: "SCAN_CONCURRENCY" | "clamd MaxThreads" | "default" }> {
  if (config.SCAN_CONCURRENCY !== undefined) return { slots: config.SCAN_CONCURRENCY, from: "SCAN_CONCURRENCY" };
  try {
    return { slots: Math.max(1, await clamd.maxThreads()), from: "clamd MaxThreads" };
  } catch {
    return { slots: DEFAULT_SCAN_CONCURRENCY, from: "default" };
  }
}
