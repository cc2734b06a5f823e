import "../lib/env-file";
import { Client, Connection } from "@temporalio/client";
import { NativeConnection, Runtime, Worker } from "@temporalio/worker";
import { createActivities } from "../activities";
import { createDb } from "../db";
import { ClamdClient } from "../lib/clamd";
import { loadConfigOrExit } from "../lib/config";
import { createLogger } from "../lib/logger";
import { createRegistry, createWorkerMetrics } from "../lib/metrics";
import { Storage } from "../lib/s3";
import { startMetricsServer } from "./metrics-server";
import { workflowBundlePath } from "./paths";
import { ensureSchedules, scheduleDefinitions } from "./schedules";
import { PinoSdkLogger } from "./sdk-logger";

async function main() {
  const config = loadConfigOrExit();
  const logger = createLogger({ level: config.LOG_LEVEL, name: "worker" });

  // Must run before any connection exists. Its default shutdownSignals (SIGINT, SIGTERM, …) make
  // worker.run() stop polling, give running activities shutdownGraceTime, and resolve.
  Runtime.install({
    logger: new PinoSdkLogger(logger),
    telemetryOptions: {
      metrics: { prometheus: { bindAddress: `127.0.0.1:${config.WORKER_SDK_METRICS_PORT}` } },
    },
  });

  // Registered before the port opens: every scrape carries our names, also while Temporal connects.
  const registry = createRegistry();
  const metrics = createWorkerMetrics(registry);
  const metricsServer = startMetricsServer({
    registry,
    port: config.WORKER_METRICS_PORT,
    sdkMetricsUrl: `http://127.0.0.1:${config.WORKER_SDK_METRICS_PORT}/metrics`,
    logger,
  });
  const db = createDb(config.DATABASE_URL);
  const storage = new Storage({
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    accessKeyId: config.S3_ACCESS_KEY,
    secretAccessKey: config.S3_SECRET_KEY,
    bucket: config.S3_BUCKET,
  });
  const clamd = new ClamdClient({
    host: config.CLAMAV_HOST,
    port: config.CLAMAV_PORT,
    timeoutMs: config.CLAMAV_TIMEOUT_MS,
    maxStreamBytes: config.CLAMAV_MAX_BYTES,
  });

  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    const client = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE });
    if (config.SCHEDULES_ENABLED)
      await ensureSchedules(client, config.TEMPORAL_TASK_QUEUE, scheduleDefinitions(config), logger);
    const worker = await Worker.create({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowBundle: { codePath: workflowBundlePath },
      // Activities still running after this are cancelled and retried elsewhere (a scan restarts).
      shutdownGraceTime: "30 seconds",
      activities: createActivities({ config, db, storage, clamd, metrics, temporal: client }),
    });
    logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, metricsPort: config.WORKER_METRICS_PORT }, "worker started");
    await worker.run();
    logger.info("worker stopped");
  } finally {
    await clientConnection.close();
    await connection.close();
    metricsServer.close();
    storage.destroy();
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
