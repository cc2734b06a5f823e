import { Redis } from "ioredis";
import { createDb } from "../db";
import { countActiveShares } from "../db/commands/shares/downloads";
import { ClamdClient } from "../lib/clamd";
import type { Config } from "../lib/config";
import type { Logger } from "../lib/logger";
import { Mailer } from "../lib/mailer";
import { limitPasswordHashing } from "../lib/passwords";
import { uploadQueue } from "../db/commands/analytics/uploads";
import { createApiMetrics, createRegistry, registerActiveSharesGauge, registerWaitingFilesGauge } from "../lib/metrics";
import { Storage } from "../lib/s3";
import { urlSignerFromConfig } from "../lib/s3-url-signer";
import { createTemporalClient } from "../lib/temporal";
import type { AppDeps } from "./deps";
import { FileStatusWaits } from "./file-status-waits";

/** Connects to every service the API uses; none of them has to be up yet. */
export function buildDeps(config: Config, logger: Logger): AppDeps {
  limitPasswordHashing(config.PASSWORD_HASH_CONCURRENCY);
  const registry = createRegistry();
  const db = createDb(config.DATABASE_URL);
  const collectFailed = (gauge: string, error: unknown) =>
    logger.error({ err: error, gauge }, "metric collection failed: the gauge keeps its previous value");
  registerActiveSharesGauge(registry, () => countActiveShares(db), collectFailed);
  registerWaitingFilesGauge(
    registry,
    async () => {
      const queue = await uploadQueue(db);
      return { uploading: queue.pending, processing: queue.processing };
    },
    collectFailed,
  );
  return {
    config,
    logger,
    db,
    redis: new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 2000, lazyConnect: true }),
    storage: new Storage({
      endpoint: config.S3_ENDPOINT,
      region: config.S3_REGION,
      accessKeyId: config.S3_ACCESS_KEY,
      secretAccessKey: config.S3_SECRET_KEY,
      bucket: config.S3_BUCKET,
      downloadSockets: config.SHARE_DOWNLOADS_MAX,
    }),
    urls: urlSignerFromConfig(config),
    clamd: new ClamdClient({
      host: config.CLAMAV_HOST,
      port: config.CLAMAV_PORT,
      timeoutMs: config.CLAMAV_TIMEOUT_MS,
      maxStreamBytes: config.CLAMAV_MAX_BYTES,
    }),
    mailer: new Mailer(config.SMTP_URL, config.EMAIL_FROM),
    temporal: createTemporalClient(config),
    registry,
    metrics: createApiMetrics(registry),
    fileWaits: new FileStatusWaits(config.DATABASE_LISTEN_URL ?? config.DATABASE_URL, logger),
  };
}

/** Closes every connection buildDeps opened. */
export async function closeDeps(deps: AppDeps): Promise<void> {
  deps.mailer.close();
  await deps.fileWaits.close();
  deps.storage.destroy();
  deps.urls.destroy();
  deps.redis.disconnect();
  await deps.temporal.connection.close().catch(() => undefined);
  await deps.db.destroy();
}
