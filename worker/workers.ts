import { type NativeConnection, Worker, type WorkerOptions } from "@temporalio/worker";
import { type Activities, PREVIEW_ACTIVITIES, SCAN_ACTIVITIES } from "../activities";
import { previewQueueOf, scanQueueOf } from "../lib/worker-queues";

export interface CofferWorkersOptions {
  connection: NativeConnection;
  namespace?: string;
  /** TEMPORAL_TASK_QUEUE: workflows and every activity; its scan and preview queues sit beside it. */
  taskQueue: string;
  activities: Activities;
  /** Where the workflows come from: the built bundle (worker/main.ts) or their source (tests). */
  workflows: Pick<WorkerOptions, "workflowBundle" | "workflowsPath">;
  /** The task queue's slots and cache, and the shutdown grace every worker shares (worker/tuning.ts). */
  tuning?: Pick<
    WorkerOptions,
    | "maxConcurrentWorkflowTaskExecutions"
    | "maxConcurrentActivityTaskExecutions"
    | "maxCachedWorkflows"
    | "shutdownGraceTime"
  >;
  /** Scans run at once (SCAN_CONCURRENCY) and thumbnails/previews made at once (PREVIEW_CONCURRENCY). */
  scanConcurrency: number;
  previewConcurrency: number;
}

function only<Name extends keyof Activities>(activities: Activities, names: readonly Name[]) {
  return Object.fromEntries(names.map((name) => [name, activities[name]])) as Pick<Activities, Name>;
}

/**
 * One process, three workers on one connection: the task queue's (workflows and every activity, so
 * runs started before the queues existed still find their scans there), the scan queue's with
 * SCAN_CONCURRENCY slots and the preview queue's with PREVIEW_CONCURRENCY slots (lib/worker-queues).
 * Scans waiting for a slot never hold the slots of thumbnails, mails or housekeeping, and the other
 * way round, and a busy worker leaves queued scans to the other workers of the fleet.
 */
export async function createCofferWorkers(options: CofferWorkersOptions): Promise<Worker[]> {
  const { connection, namespace, taskQueue, activities, tuning = {} } = options;
  const shared = {
    connection,
    namespace,
    ...(tuning.shutdownGraceTime !== undefined && { shutdownGraceTime: tuning.shutdownGraceTime }),
  };
  return [
    await Worker.create({ connection, namespace, taskQueue, ...options.workflows, ...tuning, activities }),
    await Worker.create({
      ...shared,
      taskQueue: scanQueueOf(taskQueue),
      activities: only(activities, SCAN_ACTIVITIES),
      maxConcurrentActivityTaskExecutions: options.scanConcurrency,
    }),
    await Worker.create({
      ...shared,
      taskQueue: previewQueueOf(taskQueue),
      activities: only(activities, PREVIEW_ACTIVITIES),
      maxConcurrentActivityTaskExecutions: options.previewConcurrency,
    }),
  ];
}

/**
 * Runs the workers until every one has stopped: a shutdown signal (or shutdownWorkers) stops them
 * all, each giving its running activities the shutdown grace. One that fails shuts the others down,
 * and its error is thrown once they have stopped.
 */
export async function runWorkers(workers: Worker[]): Promise<void> {
  const results = await Promise.allSettled(
    workers.map((worker) =>
      worker.run().catch((error: unknown) => {
        shutdownWorkers(workers);
        throw error;
      }),
    ),
  );
  const failure = results.find((result) => result.status === "rejected");
  if (failure) throw failure.reason;
}

/** Asks every running worker to stop (tests; the process's signals do it in production). */
export function shutdownWorkers(workers: Worker[]): void {
  for (const worker of workers) if (worker.getState() === "RUNNING") worker.shutdown();
}
