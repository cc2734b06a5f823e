import { randomUUID } from "node:crypto";
import { NativeConnection } from "@temporalio/worker";
import { Registry } from "prom-client";
import { createActivities } from "../activities";
import type { AppDeps } from "../api/deps";
import { ClamdClient } from "../lib/clamd";
import { createWorkerMetrics, type WorkerMetrics } from "../lib/metrics";
import { temporalConnectionOptions } from "../lib/temporal";
import { DEFAULT_SCAN_CONCURRENCY } from "../worker/tuning";
import { createCofferWorkers, runWorkers, shutdownWorkers } from "../worker/workers";
import { closeDeps, createTestDeps, startTestServer, type TestServer } from "./deps";
import { endWorkflowsOn, installTestRuntime } from "./temporal";

/** Short timings so scans retry and recover within a test. */
export const fastFileSettings = {
  UPLOAD_PART_BYTES: String(5 * 1024 * 1024),
  SCAN_RETRY_INITIAL_MS: "200",
  SCAN_RETRY_MAX_MS: "1000",
  SCAN_HEARTBEAT_TIMEOUT_MS: "3000",
};

export interface FilesTestbed {
  deps: AppDeps;
  server: TestServer;
  /** Our metrics of the in-process worker. */
  workerMetrics: WorkerMetrics;
  workerRegistry: Registry;
  taskQueue: string;
  close(): Promise<void>;
}

/**
 * The real API on a loopback port plus a real worker (real workflows and activities) on a task
 * queue of this test file's own, both against the local stack.
 */
export async function startFilesTestbed(
  env: Record<string, string> = {},
  options: { worker?: boolean; log?: Parameters<typeof createTestDeps>[0] } = {},
): Promise<FilesTestbed> {
  installTestRuntime();
  const taskQueue = `test-files-${randomUUID()}`;
  Object.assign(process.env, fastFileSettings, { TEMPORAL_TASK_QUEUE: taskQueue }, env);
  const deps = await createTestDeps(options.log);
  const server = await startTestServer(deps);
  const workerRegistry = new Registry();
  const workerMetrics = createWorkerMetrics(workerRegistry);

  let stopWorker = async () => undefined as void;
  if (options.worker !== false) {
    const connection = await NativeConnection.connect(temporalConnectionOptions(deps.config));
    // As worker/main.ts runs them: the task queue's worker and its scan and preview queues' workers.
    const workers = await createCofferWorkers({
      connection,
      taskQueue,
      workflows: { workflowsPath: require.resolve("../workflows") },
      scanConcurrency: deps.config.SCAN_CONCURRENCY ?? DEFAULT_SCAN_CONCURRENCY,
      previewConcurrency: deps.config.PREVIEW_CONCURRENCY,
      activities: createActivities({
        config: deps.config,
        db: deps.db,
        storage: deps.storage,
        clamd: new ClamdClient({
          host: deps.config.CLAMAV_HOST,
          port: deps.config.CLAMAV_PORT,
          timeoutMs: 5000,
          maxStreamBytes: deps.config.CLAMAV_MAX_BYTES,
        }),
        mailer: deps.mailer,
        metrics: workerMetrics,
        temporal: deps.temporal,
      }),
    });
    const running = runWorkers(workers);
    stopWorker = async () => {
      shutdownWorkers(workers);
      await running;
      await connection.close();
    };
  }

  return {
    deps,
    server,
    workerMetrics,
    workerRegistry,
    taskQueue,
    async close() {
      // What this test started ends with it (workflows left on a dead queue would run forever).
      await endWorkflowsOn(deps.temporal, taskQueue).catch(() => undefined);
      await stopWorker();
      await server.close();
      await closeDeps(deps);
    },
  };
}
