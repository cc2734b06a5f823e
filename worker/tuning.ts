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
