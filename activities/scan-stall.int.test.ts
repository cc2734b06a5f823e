import { decodeTimeoutType } from "@temporalio/common";
import { NativeConnection } from "@temporalio/worker";
import { UploadEvent } from "../db/models";
import { ClamdClient } from "../lib/clamd";
import { fileLifecycleId } from "../lib/file-lifecycle";
import { Storage } from "../lib/s3";
import { createUser } from "../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../test/files-testbed";
import { startStallingProxy } from "../test/stalling-proxy";
import { randomBytesOf, uploadFile, waitForStatus } from "../test/uploads";
import { waitFor } from "../test/wait";
import { createActivities } from ".";
import { createCofferWorkers, runWorkers, shutdownWorkers } from "../worker/workers";

const MiB = 1024 * 1024;
/** These are about the scan activity's heartbeat and retries: no file is scanned inline (a local activity). */
const ACTIVITY_SCANS = { SCAN_INLINE_MAX_BYTES: "0" };

/**
 * The API and a worker whose S3 reads go through a proxy that can make one of them hang mid-body,
 * against the real MinIO, clamd and Temporal.
 */
async function startStallingBed(env: Record<string, string>) {
  const bed = await startFilesTestbed(env, { worker: false });
  const { config } = bed.deps;
  const s3 = new URL(config.S3_ENDPOINT);
  const proxy = await startStallingProxy({ host: s3.hostname, port: Number(s3.port) });
  const storage = new Storage({
    endpoint: proxy.url,
    region: config.S3_REGION,
    accessKeyId: config.S3_ACCESS_KEY,
    secretAccessKey: config.S3_SECRET_KEY,
    bucket: config.S3_BUCKET,
  });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const workers = await createCofferWorkers({
    connection,
    taskQueue: bed.taskQueue,
    workflows: { workflowsPath: require.resolve("../workflows") },
    scanConcurrency: 2,
    previewConcurrency: 1,
    activities: createActivities({
      config,
      db: bed.deps.db,
      storage,
      clamd: new ClamdClient({ host: config.CLAMAV_HOST, port: config.CLAMAV_PORT, timeoutMs: 5000 }),
      mailer: bed.deps.mailer,
      metrics: bed.workerMetrics,
      temporal: bed.deps.temporal,
    }),
  });
  const running = runWorkers(workers);
  return {
    bed,
    proxy,
    async close() {
      // The hung connection goes first, so an attempt still waiting on it ends and the worker can stop.
      await proxy.close();
      shutdownWorkers(workers);
      await running;
      await connection.close();
      storage.client.destroy();
      await bed.close();
    },
  };
}

/**
 * The attempt that finished the file's scan, and why the one before it failed. The scan marks the
 * file ready itself, and Temporal writes a retried activity's started event only with its result,
 * so the history can lag the status by a moment: wait for the event.
 */
async function lastScanAttempt(bed: FilesTestbed, fileId: string) {
  const handle = bed.deps.temporal.workflow.getHandle(fileLifecycleId(fileId));
  const started = await waitFor("the scan's started event", async () => {
    const history = await handle.fetchHistory();
    return (
      (history.events ?? []).find((event) => event.activityTaskStartedEventAttributes)
        ?.activityTaskStartedEventAttributes ?? undefined
    );
  });
  return {
    attempt: started.attempt,
    previousTimeout: decodeTimeoutType(started.lastFailure?.timeoutFailureInfo?.timeoutType),
    previousError: started.lastFailure?.applicationFailureInfo?.type,
  };
}

describe("a scan whose S3 read hangs", () => {
  describe("with a long S3 read timeout", () => {
    let stalling: Awaited<ReturnType<typeof startStallingBed>>;
    beforeAll(async () => {
      stalling = await startStallingBed({
        SCAN_HEARTBEAT_TIMEOUT_MS: "3000",
        S3_READ_TIMEOUT_MS: "600000",
        ...ACTIVITY_SCANS,
      });
    });
    afterAll(() => stalling.close());

    it("stops heartbeating, so Temporal retries it after SCAN_HEARTBEAT_TIMEOUT_MS and the file gets ready", async () => {
      const { bed, proxy } = stalling;
      const user = await createUser(bed.deps);
      proxy.stallNextAfter(256 * 1024);
      const started = Date.now();
      const { fileId } = await uploadFile(bed.server.url, user, "hangs-once.bin", randomBytesOf(MiB));
      await waitForStatus(bed.server.url, user, fileId, ["ready"], 30_000);
      expect(proxy.stalled()).toBe(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
      expect(await lastScanAttempt(bed, fileId)).toMatchObject({ attempt: 2, previousTimeout: "HEARTBEAT" });
    });
  });

  describe("with a long heartbeat timeout", () => {
    let stalling: Awaited<ReturnType<typeof startStallingBed>>;
    beforeAll(async () => {
      stalling = await startStallingBed({
        SCAN_HEARTBEAT_TIMEOUT_MS: "600000",
        S3_READ_TIMEOUT_MS: "1500",
        ...ACTIVITY_SCANS,
      });
    });
    afterAll(() => stalling.close());

    it("fails the attempt after S3_READ_TIMEOUT_MS without a byte, frees the connection, and the retry makes the file ready", async () => {
      const { bed, proxy } = stalling;
      const user = await createUser(bed.deps);
      proxy.stallNextAfter(256 * 1024);
      const { fileId } = await uploadFile(bed.server.url, user, "hangs-once.bin", randomBytesOf(MiB));
      await waitForStatus(bed.server.url, user, fileId, ["ready"], 30_000);
      expect(proxy.stalled()).toBe(1);
      expect(proxy.stalledClosedByClient()).toBe(1);
      const errors = await UploadEvent.query(bed.deps.db).where({ fileId, type: "scan_error" });
      expect(errors.map((event) => event.reason)).toEqual(["S3ReadStalledError"]);
      expect(await lastScanAttempt(bed, fileId)).toMatchObject({ attempt: 2, previousError: "S3ReadStalledError" });
    });
  });
});
