import "../lib/env-file";
import { Client, Connection } from "@temporalio/client";
import { NativeConnection, Runtime } from "@temporalio/worker";
import { createActivities } from "../activities";
import { createDb } from "../db";
import { ClamdClient } from "../lib/clamd";
import { Mailer } from "../lib/mailer";
import { loadConfigOrExit } from "../lib/config";
import { createLogger } from "../lib/logger";
import { createRegistry, createWorkerMetrics } from "../lib/metrics";
import { Storage } from "../lib/s3";
import { temporalConnectionOptions } from "../lib/temporal";
import { startMetricsServer } from "./metrics-server";
import { workflowBundlePath } from "./paths";
import { ensureSchedules, scheduleDefinitions } from "./schedules";
import { PinoSdkLogger } from "./sdk-logger";
import { scanConcurrency, workerTuning } from "./tuning";
import { createCofferWorkers, runWorkers } from "./workers";

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
    host: config.WORKER_METRICS_HOST,
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
    verdictMsPerMiB: config.CLAMAV_VERDICT_MS_PER_MIB,
    maxStreamBytes: config.CLAMAV_MAX_BYTES,
  });

  const mailer = new Mailer(config.SMTP_URL, config.EMAIL_FROM);

  const connectionOptions = temporalConnectionOptions(config);
  const connection = await NativeConnection.connect(connectionOptions);
  const clientConnection = await Connection.connect(connectionOptions);
  try {
    const client = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE });
    if (config.SCHEDULES_ENABLED)
      await ensureSchedules(client, config.TEMPORAL_TASK_QUEUE, scheduleDefinitions(config), logger);
    // A probe of its own with a short timeout: a worker starts even while clamd is away.
    const probe = new ClamdClient({ host: config.CLAMAV_HOST, port: config.CLAMAV_PORT, timeoutMs: 5000 });
    const scans = await scanConcurrency(config, probe);
    const workers = await createCofferWorkers({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflows: { workflowBundle: { codePath: workflowBundlePath } },
      tuning: workerTuning(config),
      activities: createActivities({ config, db, storage, clamd, mailer, metrics, temporal: client }),
      scanConcurrency: scans.slots,
      previewConcurrency: config.PREVIEW_CONCURRENCY,
    });
    logger.info(
      {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        scanConcurrency: scans.slots,
        scanConcurrencyFrom: scans.from,
        previewConcurrency: config.PREVIEW_CONCURRENCY,
        metrics: `${config.WORKER_METRICS_HOST}:${config.WORKER_METRICS_PORT}`,
      },
      "worker started",
    );
    await runWorkers(workers);
    logger.info("worker stopped");
  } finally {
    await clientConnection.close();
    await connection.close();
    metricsServer.close();
    storage.destroy();
    mailer.close();
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
