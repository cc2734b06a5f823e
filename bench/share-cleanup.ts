/**
 * bench share-cleanup: the shareCleanup workflow on a real worker process deleting 100 000 and then
 * 1 000 000 expired shares (batches of SHARE_CLEANUP_BATCH_SIZE). Prints rows per second for each,
 * the ratio of their times and the worker's peak RSS while deleting. Goals: the 10× larger set
 * takes ≤ 11× as long; RSS flat.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { closeDeps } from "../api/build-deps";
import { File, User } from "../db/models";
import { SHARE_CLEANUP_WORKFLOW, shareCleanupInput, type ShareCleanupResult } from "../lib/share-cleanup";
import { benchDeps, createBenchUser, GiB, MiB, peakRssDuring, rssOf, timed } from "./common";
import { fileKey } from "../lib/object-keys";
import { executeWorkflow } from "../lib/workflow-start";

const SIZES = (process.env.BENCH_SHARES ?? "100000,1000000").split(",").map(Number);
const INSERT_CHUNK = 100_000;

async function main() {
  const taskQueue = `bench-share-cleanup-${randomUUID()}`;
  const deps = await benchDeps({ TEMPORAL_TASK_QUEUE: taskQueue });
  const { db, temporal, config } = deps;
  const user = await createBenchUser(db, GiB);
  const fileId = randomUUID();
  await File.query(db).insert({
    id: fileId,
    ownerId: user.id,
    name: "shared.bin",
    sizeBytes: 1,
    s3Key: fileKey({ ownerId: user.id, id: fileId }),
    status: "ready",
  });

  const worker: ChildProcess = spawn(process.execPath, [path.resolve(__dirname, "..", "worker", "main.js")], {
    env: {
      ...process.env,
      TEMPORAL_TASK_QUEUE: taskQueue,
      SCHEDULES_ENABLED: "false",
      WORKER_METRICS_PORT: "19474",
      WORKER_SDK_METRICS_PORT: "19475",
      LOG_LEVEL: "warn",
    },
    stdio: "inherit",
  });
  const cleanup = () =>
    executeWorkflow(temporal, SHARE_CLEANUP_WORKFLOW, {
      taskQueue,
      workflowId: `bench-share-cleanup-${randomUUID()}`,
      args: [shareCleanupInput(config)],
    }) as Promise<ShareCleanupResult>;

  // Warm-up: the worker loads its bundle and connections; then its idle RSS.
  await cleanup();
  const idleRss = rssOf(worker.pid!);
  let peakRss = idleRss;
  console.log(
    `bench share-cleanup: batches of ${config.SHARE_CLEANUP_BATCH_SIZE}; worker idle RSS ${(idleRss / MiB).toFixed(1)} MiB`,
  );

  const times: Record<number, number> = {};
  for (const size of SIZES) {
    const insertSeconds = await timed(async () => {
      for (let done = 0; done < size; done += INSERT_CHUNK) {
        await db.raw(
          `INSERT INTO shares (file_id, owner_id, token, expires_at)
           SELECT ?, ?, encode(gen_random_bytes(32), 'hex'), now() - interval '1 hour' FROM generate_series(1, ?)`,
          [fileId, user.id, Math.min(INSERT_CHUNK, size - done)],
        );
      }
      await db.raw("ANALYZE shares");
    });
    let result: ShareCleanupResult | undefined;
    const seconds = await timed(async () => {
      peakRss = Math.max(peakRss, await peakRssDuring(worker.pid!, async () => (result = await cleanup())));
    });
    if (!result || result.expired < size) throw new Error(`deleted ${result?.expired} of ${size}`);
    times[size] = seconds;
    console.log(
      `  ${size} expired shares (inserted in ${insertSeconds.toFixed(1)} s): deleted in ${seconds.toFixed(1)} s, ${Math.round(result.expired / seconds)} rows/s`,
    );
  }

  const [small, large] = SIZES;
  if (large !== undefined) {
    console.log(
      `\ntime ratio ${large} / ${small}: ${(times[large] / times[small]).toFixed(2)} for ${large / small}× the rows (goal: ≤ ${(large / small) * 1.1})`,
    );
  }
  console.log(
    `worker RSS: idle ${(idleRss / MiB).toFixed(1)} MiB, peak while deleting ${(peakRss / MiB).toFixed(1)} MiB, growth ${((peakRss - idleRss) / MiB).toFixed(1)} MiB (goal: flat)`,
  );

  worker.kill("SIGTERM");
  await new Promise((resolve) => worker.once("exit", resolve));
  await User.query(db).deleteById(user.id);
  await closeDeps(deps);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
