/**
 * bench reconcile: the nightlyMaintenance workflow on a real worker process reconciling one user
 * with 10 000 objects and then one with 100 000 (matching file rows, used_bytes wrong so the
 * correction runs too). Prints the time of each, their ratio and the worker's peak RSS during each;
 * as the baseline, a bare paged listing of the same prefix (ListObjectsV2, 1000 keys a page,
 * continuation tokens, nothing else) timed in the same run, since the reconcile cannot scale better
 * than the storage lists. Goals: linear time (the 10× larger user takes ≤ 11× as long, or no worse
 * than the bare listing scales); flat RSS (peak within 32 MiB).
 *
 * It runs in a database of its own (coffer_bench_reconcile on the same server, created when
 * missing), so the nightly run purges and reconciles nothing but the bench's user; its objects are
 * removed at the end.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import knex from "knex";
import { closeDeps } from "../api/build-deps";
import type { AppDeps } from "../api/deps";
import { File, User } from "../db/models";
import {
  NIGHTLY_MAINTENANCE_WORKFLOW,
  type NightlyMaintenanceReport,
  nightlyMaintenanceInput,
} from "../lib/housekeeping";
import { benchDeps, createBenchUser, MiB, peakRssDuring, rssOf, timed, withConcurrency } from "./common";
import { fileKey } from "../lib/object-keys";
import { executeWorkflow } from "../lib/workflow-start";

const SIZES = (process.env.BENCH_OBJECTS ?? "10000,100000").split(",").map(Number);
const BENCH_DATABASE = "coffer_bench_reconcile";
const PUT_CONCURRENCY = 32;
const INSERT_CHUNK = 1000;

/** The bench's own database URL on the server DATABASE_URL points at; created when missing. */
async function benchDatabaseUrl(): Promise<string> {
  const url = new URL(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/coffer");
  const server = new URL(url);
  server.pathname = "/postgres";
  const admin = knex({ client: "pg", connection: server.toString() });
  try {
    const { rows } = await admin.raw<{ rows: unknown[] }>("SELECT 1 FROM pg_database WHERE datname = ?", [
      BENCH_DATABASE,
    ]);
    if (rows.length === 0) await admin.raw(`CREATE DATABASE ${BENCH_DATABASE}`);
  } finally {
    await admin.destroy();
  }
  url.pathname = `/${BENCH_DATABASE}`;
  return url.toString();
}

/** A user with `count` small objects under their prefix, a ready row for each, and used_bytes 0. */
async function seedUser(deps: AppDeps, count: number): Promise<User> {
  const { db, storage } = deps;
  const user = await createBenchUser(db);
  const body = Buffer.from("coffer reconcile bench object\n");
  for (let done = 0; done < count; done += INSERT_CHUNK) {
    const rows = Array.from({ length: Math.min(INSERT_CHUNK, count - done) }, () => {
      const id = randomUUID();
      return {
        id,
        ownerId: user.id,
        name: `${id}.txt`,
        sizeBytes: body.length,
        mimeType: "text/plain",
        s3Key: fileKey({ ownerId: user.id, id }),
        status: "ready" as const,
      };
    });
    await withConcurrency(
      PUT_CONCURRENCY,
      rows.map((row) => () => storage.putObject(row.s3Key, body, "text/plain")),
    );
    await db("files").insert(rows);
  }
  return user;
}

/** Deletes the user's rows, then lets a reconcile with no grace delete their objects as orphans. */
async function removeUser(
  deps: AppDeps,
  user: User,
  run: (input: object) => Promise<NightlyMaintenanceReport>,
): Promise<void> {
  await File.query(deps.db).where({ ownerId: user.id }).delete();
  await run({ orphanObjectMinAgeMs: 0 });
  await User.query(deps.db).deleteById(user.id);
}

async function main() {
  const taskQueue = `bench-reconcile-${randomUUID()}`;
  const databaseUrl = await benchDatabaseUrl();
  const deps = await benchDeps({ TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: databaseUrl });
  const { temporal, config } = deps;

  const worker: ChildProcess = spawn(process.execPath, [path.resolve(__dirname, "..", "worker", "main.js")], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_TASK_QUEUE: taskQueue,
      SCHEDULES_ENABLED: "false",
      WORKER_METRICS_PORT: "19484",
      WORKER_SDK_METRICS_PORT: "19485",
      LOG_LEVEL: "error",
    },
    stdio: "inherit",
  });
  const run = (overrides: object = {}) =>
    executeWorkflow(temporal, NIGHTLY_MAINTENANCE_WORKFLOW, {
      taskQueue,
      workflowId: `bench-reconcile-${randomUUID()}`,
      args: [{ ...nightlyMaintenanceInput(config), ...overrides }],
    }) as Promise<NightlyMaintenanceReport>;

  // Warm-up: the worker loads its bundle and connections.
  await run();
  const idleRss = rssOf(worker.pid!);
  console.log(
    `bench reconcile: batches of ${config.HOUSEKEEPING_BATCH_SIZE}; worker idle RSS ${(idleRss / MiB).toFixed(1)} MiB`,
  );

  const results: { size: number; seconds: number; listSeconds: number; peakRss: number }[] = [];
  for (const size of SIZES) {
    let user!: User;
    const seedSeconds = await timed(async () => {
      user = await seedUser(deps, size);
    });
    console.log(`  ${size} objects + rows created in ${seedSeconds.toFixed(1)} s`);
    // Best of two bare listings: the first also warms the storage's listing cache, as it would for the reconcile.
    let listSeconds = Infinity;
    for (let round = 0; round < 2; round++) {
      let listed = 0;
      listSeconds = Math.min(
        listSeconds,
        await timed(async () => {
          for await (const object of deps.storage.listObjects(`${user.id}/`)) if (object.key) listed += 1;
        }),
      );
      if (listed !== size) throw new Error(`listed ${listed} of ${size} objects`);
    }
    let report: NightlyMaintenanceReport | undefined;
    let seconds = 0;
    const peakRss = await peakRssDuring(worker.pid!, async () => {
      seconds = await timed(async () => {
        report = await run();
      });
    });
    const corrected = (await User.query(deps.db).findById(user.id))!.usedBytes;
    const expected = size * Buffer.byteLength("coffer reconcile bench object\n");
    if (
      corrected !== expected ||
      report!.reconcile.orphanObjects.count !== 0 ||
      report!.reconcile.missingObjects.count !== 0
    ) {
      throw new Error(
        `reconcile of ${size} objects wrong: used_bytes ${corrected} (want ${expected}), ${JSON.stringify(report!.reconcile)}`,
      );
    }
    console.log(
      `  ${size} objects reconciled in ${seconds.toFixed(2)} s (${(size / seconds).toFixed(0)} objects/s; bare listing ${listSeconds.toFixed(2)} s), peak RSS ${(peakRss / MiB).toFixed(1)} MiB`,
    );
    results.push({ size, seconds, listSeconds, peakRss });
    await removeUser(deps, user, run);
  }

  if (results.length === 2) {
    const [small, large] = results;
    const scale = large.size / small.size;
    console.log(`\nreconcile time, ${large.size} vs ${small.size} objects`);
    console.log(
      `  ours      ${(large.seconds / small.seconds).toFixed(2)}   (linear: ${scale.toFixed(1)}; goal ≤ ${(scale * 1.1).toFixed(1)})`,
    );
    console.log(
      `  baseline  ${(large.listSeconds / small.listSeconds).toFixed(2)}   (bare listing of the same prefixes)`,
    );
    console.log(
      `  ours / baseline scaling ${(large.seconds / small.seconds / (large.listSeconds / small.listSeconds)).toFixed(3)}`,
    );
    console.log(`worker peak RSS, ${large.size} vs ${small.size} objects (idle ${(idleRss / MiB).toFixed(1)} MiB)`);
    console.log(
      `  ${(large.peakRss / MiB).toFixed(1)} MiB vs ${(small.peakRss / MiB).toFixed(1)} MiB: ratio ${(large.peakRss / small.peakRss).toFixed(3)}`,
    );
    const growth = (Math.max(large.peakRss, small.peakRss) - idleRss) / MiB;
    console.log(`  largest growth over idle ${growth.toFixed(1)} MiB (goal: flat, ≤ 32 MiB)`);
  }

  worker.kill("SIGTERM");
  await new Promise((resolve) => worker.once("exit", resolve));
  await closeDeps(deps);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
