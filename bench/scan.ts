/**
 * bench scan: Coffer's scan of a 1 GiB object (S3 → clamd INSTREAM + SHA-256, run by FileLifecycle
 * on a real worker process) against a raw INSTREAM of the same object from S3 with no hashing, in
 * the same run. Goals: ours ≥ 0.9 × raw throughput; the worker's peak RSS while scanning within
 * 64 MiB of its idle RSS.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { closeDeps } from "../api/build-deps";
import { File, User } from "../db/models";
import { ClamdClient } from "../lib/clamd";
import { fileLifecycleId, startFileLifecycle } from "../lib/file-lifecycle";
import {
  benchBytes,
  benchDeps,
  compare,
  createBenchUser,
  GiB,
  mbps,
  MiB,
  peakRssDuring,
  report,
  rssOf,
  withConcurrency,
} from "./common";
import { fileKey } from "../lib/object-keys";

const SIZE = Number(process.env.BENCH_BYTES ?? GiB);
const PART = 64 * MiB;

async function main() {
  const taskQueue = `bench-scan-${randomUUID()}`;
  const deps = await benchDeps({ TEMPORAL_TASK_QUEUE: taskQueue });
  const { storage, config, db, temporal } = deps;
  const user = await createBenchUser(db);

  console.log(`bench scan: ${SIZE / MiB} MiB object`);
  const master = `bench/scan-source-${randomUUID()}`;
  const uploadId = await storage.createMultipartUpload(master, "application/octet-stream");
  const bytes = benchBytes(SIZE);
  const numbers = Array.from({ length: Math.ceil(SIZE / PART) }, (_, i) => i + 1);
  const parts = await withConcurrency(
    4,
    numbers.map((n) => async () => {
      const body = bytes.subarray((n - 1) * PART, n * PART);
      const url = await deps.urls.uploadPart(master, uploadId, n, body.length, 3600);
      const res = await fetch(url, { method: "PUT", body });
      return { partNumber: n, etag: res.headers.get("etag")! };
    }),
  );
  await storage.completeMultipartUpload(master, uploadId, parts);

  const worker: ChildProcess = spawn(process.execPath, [path.resolve(__dirname, "..", "worker", "main.js")], {
    env: {
      ...process.env,
      SCHEDULES_ENABLED: "false",
      TEMPORAL_TASK_QUEUE: taskQueue,
      WORKER_METRICS_PORT: "19464",
      WORKER_SDK_METRICS_PORT: "19465",
      LOG_LEVEL: process.env.BENCH_WORKER_LOG_LEVEL ?? "warn",
    },
    stdio: "inherit",
  });

  /** A file row in processing whose object is a server-side copy of the master. */
  const newFile = async (sizeBytes: number, source: string) => {
    const id = randomUUID();
    await storage.copyObject(source, fileKey({ ownerId: user.id, id }));
    await File.query(db).insert({
      id,
      ownerId: user.id,
      name: `${id}.bin`,
      sizeBytes,
      s3Key: fileKey({ ownerId: user.id, id }),
      status: "processing",
    });
    await User.query(db)
      .patch({ usedBytes: User.raw("used_bytes + ?", [sizeBytes]) })
      .findById(user.id);
    return id;
  };
  const lifecycle = async (fileId: string) => {
    await startFileLifecycle(temporal, { ...config, TEMPORAL_TASK_QUEUE: taskQueue }, fileId);
    const outcome = await temporal.workflow.getHandle(fileLifecycleId(fileId)).result();
    if (outcome !== "ready") throw new Error(`scan ended ${outcome}`);
  };

  // Warm-up: the worker loads its bundle and connections on a small file first.
  const small = `bench/scan-small-${randomUUID()}`;
  await storage.putObject(small, Buffer.alloc(1024, 1), "application/octet-stream");
  await lifecycle(await newFile(1024, small));
  const idleRss = rssOf(worker.pid!);

  /** Seconds the worker's scan activities took so far, from its own clamav_scan_seconds histogram. */
  const scanSecondsSoFar = async () => {
    const text = await (await fetch("http://127.0.0.1:19464/metrics")).text();
    return Number(/^clamav_scan_seconds_sum\{outcome="clean"\} ([\d.e+-]+)$/m.exec(text)?.[1] ?? 0);
  };
  let bestActivitySeconds = Infinity;

  const clamd = new ClamdClient({
    host: config.CLAMAV_HOST,
    port: config.CLAMAV_PORT,
    timeoutMs: 60_000,
    maxStreamBytes: config.CLAMAV_MAX_BYTES,
  });
  let peakRss = idleRss;
  const pending: string[] = [];
  for (let i = 0; i < 3; i++) pending.push(await newFile(SIZE, master));

  const best = await compare(3, {
    raw: async () => {
      const { body } = await storage.getObject(master);
      const result = await clamd.scan(body);
      if (result.outcome !== "clean") throw new Error("raw scan not clean");
    },
    ours: async () => {
      const fileId = pending.shift()!;
      const before = await scanSecondsSoFar();
      peakRss = Math.max(peakRss, await peakRssDuring(worker.pid!, () => lifecycle(fileId)));
      bestActivitySeconds = Math.min(bestActivitySeconds, (await scanSecondsSoFar()) - before);
    },
  });

  report(
    "scan throughput (best of 3)",
    { label: "scan activity (S3 → clamd + SHA-256)", value: mbps(SIZE, bestActivitySeconds) },
    { label: "raw INSTREAM", value: mbps(SIZE, best.raw) },
    "MiB/s",
    "≥ 0.9",
  );
  report(
    "end to end (best of 3)",
    { label: "FileLifecycle start → ready", value: mbps(SIZE, best.ours) },
    { label: "raw INSTREAM", value: mbps(SIZE, best.raw) },
    "MiB/s",
    "for information",
  );
  console.log(
    `\nworker RSS: idle ${(idleRss / MiB).toFixed(1)} MiB, peak while scanning ${(peakRss / MiB).toFixed(1)} MiB, growth ${((peakRss - idleRss) / MiB).toFixed(1)} MiB (goal: ≤ 64 MiB)`,
  );

  worker.kill("SIGTERM");
  await new Promise((resolve) => worker.once("exit", resolve));
  for (const file of await File.query(db).where({ ownerId: user.id })) await storage.deleteObject(file.s3Key);
  await storage.deleteObject(master);
  await storage.deleteObject(small);
  await User.query(db).deleteById(user.id);
  await closeDeps(deps);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
