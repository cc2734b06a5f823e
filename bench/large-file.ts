/**
 * bench large-file: one file past clamd's limit (6 GiB, BENCH_BYTES to change) through Coffer's upload flow
 * (init → sign → PUT 64 MiB parts, 4 at a time → complete) and then scanned with LARGE_FILE_SCAN=windowed by
 * FileLifecycle on a real worker process, against, in the same run:
 * - a raw S3 multipart upload of the same bytes (same client, part size and concurrency);
 * - a raw INSTREAM of the same object: INSTREAM sessions of CLAMAV_MAX_BYTES, each fed by a ranged GET, the next
 *   streaming while clamd scans the one before (as ours), no hashing, no overlap, no Temporal — the least it
 *   takes to show clamd every byte once.
 * One round each (the file is large); the scan is measured alone, after both uploads. Goals: upload ≥ 0.95,
 * scan ≥ 0.9 of raw, and the worker's RSS flat (peak while scanning within 64 MiB of idle).
 * The bytes are made one part at a time (4 distinct 64 MiB parts, repeated): no 6 GiB buffer.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { loadavg } from "node:os";
import path from "node:path";
import { createApp } from "../api/app";
import { closeDeps } from "../api/build-deps";
import { apiPathOf } from "../api/route-table";
import { startSession } from "../db/commands/accounts/refresh-tokens";
import { File, User } from "../db/models";
import { signAccessToken } from "../lib/access-token";
import { ClamdClient } from "../lib/clamd";
import { fileLifecycleId, startFileLifecycle } from "../lib/file-lifecycle";
import { fileKey } from "../lib/object-keys";
import { windowCount } from "../lib/windowed-scan";
import {
  benchBytes,
  benchDeps,
  createBenchUser,
  freePort,
  GiB,
  mbps,
  MiB,
  peakRssDuring,
  report,
  rssOf,
  timed,
  uploadRawMultipart,
  uploadThroughCoffer,
} from "./common";

const SIZE = Number(process.env.BENCH_BYTES ?? 6 * GiB);
const PART = 64 * MiB;
const CONCURRENCY = 4;

const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");

async function main() {
  const taskQueue = `bench-large-file-${randomUUID()}`;
  const deps = await benchDeps({
    TEMPORAL_TASK_QUEUE: taskQueue,
    UPLOAD_PART_BYTES: String(PART),
    PUBLIC_MAX_BYTES: String(Math.max(SIZE, 2 * GiB)),
    RATE_LIMIT_UPLOAD_PER_MINUTE: "10000",
    LARGE_FILE_SCAN: "windowed",
  });
  const { config, db, storage, temporal } = deps;
  const windows = { windowBytes: config.CLAMAV_MAX_BYTES, overlapBytes: config.LARGE_FILE_SCAN_OVERLAP_BYTES };
  console.log(
    `bench large-file: ${(SIZE / MiB).toFixed(0)} MiB, ${PART / MiB} MiB parts, concurrency ${CONCURRENCY}; ` +
      `windows of ${config.CLAMAV_MAX_BYTES} bytes overlapping by ${windows.overlapBytes} ` +
      `(${windowCount(windows, SIZE)} sessions); load average ${load()}`,
  );

  const server = createApp(deps).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}${apiPathOf(config.API_URL)}`;
  const user = await createBenchUser(db, 4 * SIZE);
  const { sessionId } = await startSession({ db, userId: user.id, ttlSeconds: 6 * 3600 });
  const token = await signAccessToken({ userId: user.id, role: "user", sessionId }, config.JWT_SECRET, 6 * 3600);
  const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };

  // Four distinct parts, repeated: a file of any size from 256 MiB of memory.
  const pool = Array.from({ length: 4 }, (_, i) => benchBytes(PART + 4 * i).subarray(4 * i));
  const partCount = Math.ceil(SIZE / PART);
  const partOf = (n: number) => pool[(n - 1) % pool.length].subarray(0, Math.min(PART, SIZE - (n - 1) * PART));
  const partLengths = Array.from({ length: partCount }, (_, i) => partOf(i + 1).length);
  const put = async (url: string, n: number) => {
    const res = await fetch(url, { method: "PUT", body: partOf(n) });
    if (res.status !== 200) throw new Error(`PUT part ${n}: ${res.status}`);
    return { partNumber: n, etag: res.headers.get("etag")! };
  };

  const metricsPort = await freePort();
  const worker: ChildProcess = spawn(process.execPath, [path.resolve(__dirname, "..", "worker", "main.js")], {
    env: {
      ...process.env,
      SCHEDULES_ENABLED: "false",
      WORKER_METRICS_PORT: String(metricsPort),
      WORKER_SDK_METRICS_PORT: String(await freePort()),
      LOG_LEVEL: process.env.BENCH_WORKER_LOG_LEVEL ?? "warn",
    },
    stdio: "inherit",
  });
  const scanSecondsSoFar = async () => {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    return Number(/^clamav_scan_seconds_sum\{outcome="clean"\} ([\d.e+-]+)$/m.exec(text)?.[1] ?? 0);
  };

  // Warm-up: the worker loads its bundle and connections on a small file first.
  const warmId = randomUUID();
  await storage.putObject(fileKey({ ownerId: user.id, id: warmId }), Buffer.alloc(1024, 1), "application/octet-stream");
  await File.query(db).insert({
    id: warmId,
    ownerId: user.id,
    name: "warm-up.bin",
    sizeBytes: 1024,
    s3Key: fileKey({ ownerId: user.id, id: warmId }),
    status: "processing",
  });
  await startFileLifecycle(temporal, config, warmId);
  if ((await temporal.workflow.getHandle(fileLifecycleId(warmId)).result()) !== "ready") throw new Error("warm-up");
  const idleRss = rssOf(worker.pid!);

  // 1. Raw S3 multipart upload of the same bytes.
  const rawKey = `bench/large-raw-${randomUUID()}`;
  const rawUpload = await timed(async () => {
    await uploadRawMultipart({ deps, key: rawKey, partLengths, concurrency: CONCURRENCY, put });
  });
  console.log(`  raw S3 upload: ${rawUpload.toFixed(1)} s; load average ${load()}`);

  // 2. Coffer's flow; complete starts FileLifecycle, which the worker scans in windows (measured next, alone).
  let fileId = "";
  const oursUpload = await timed(async () => {
    const upload = { api, headers, name: "large.bin", sizeBytes: SIZE, concurrency: CONCURRENCY, put };
    const { fileId: id, partSize } = await uploadThroughCoffer(upload);
    if (partSize !== PART) throw new Error(`the API planned parts of ${partSize} bytes, not ${PART}`);
    fileId = id;
  });
  console.log(`  Coffer upload: ${oursUpload.toFixed(1)} s; load average ${load()}`);

  // 3. The windowed scan: complete → ready, the scan activity's own time, the worker's RSS meanwhile.
  const before = await scanSecondsSoFar();
  let endToEnd = 0;
  const peakRss = await peakRssDuring(worker.pid!, async () => {
    endToEnd = await timed(async () => {
      const outcome = await temporal.workflow.getHandle(fileLifecycleId(fileId)).result();
      if (outcome !== "ready") throw new Error(`scan ended ${outcome}`);
    });
  });
  const scanSeconds = (await scanSecondsSoFar()) - before;
  const file = await File.query(db).findById(fileId);
  console.log(
    `  windowed scan: ${scanSeconds.toFixed(1)} s (complete → ready ${endToEnd.toFixed(1)} s), ` +
      `coverage ${file?.scanCoverage} window ${file?.scanWindowBytes} overlap ${file?.scanOverlapBytes}; load average ${load()}`,
  );

  // 4. Raw INSTREAM of the same bytes (the raw object): sessions of CLAMAV_MAX_BYTES, no hashing, no overlap.
  const clamd = new ClamdClient({
    host: config.CLAMAV_HOST,
    port: config.CLAMAV_PORT,
    timeoutMs: config.CLAMAV_TIMEOUT_MS,
    verdictMsPerMiB: config.CLAMAV_VERDICT_MS_PER_MIB,
    maxStreamBytes: config.CLAMAV_MAX_BYTES,
  });
  const rawScan = await timed(async () => {
    // One ranged GET per session of CLAMAV_MAX_BYTES, the next one streaming while clamd scans the one before.
    const window = config.CLAMAV_MAX_BYTES;
    const verdicts: Promise<unknown>[] = [];
    for (let start = 0, index = 0; start < SIZE; start += window, index++) {
      if (index >= 2) await verdicts[index - 2];
      const { body } = await storage.getObject(rawKey, undefined, start);
      let streamed!: () => void;
      const done = new Promise<void>((resolve) => (streamed = resolve));
      async function* slice() {
        let left = window;
        try {
          for await (const chunk of body as AsyncIterable<Buffer>) {
            yield chunk.subarray(0, left);
            left -= Math.min(left, chunk.length);
            if (left === 0) break;
          }
        } finally {
          body.destroy();
          streamed();
        }
      }
      const verdict = clamd.scan(slice()).then((result) => {
        if (result.outcome !== "clean") throw new Error("raw scan not clean");
      });
      verdict.catch(() => undefined);
      verdicts.push(verdict);
      await Promise.race([done, verdict]);
    }
    await Promise.all(verdicts);
  });
  console.log(`  raw INSTREAM: ${rawScan.toFixed(1)} s; load average ${load()}`);

  report(
    "upload throughput",
    { label: "Coffer flow", value: mbps(SIZE, oursUpload) },
    { label: "raw S3 multipart", value: mbps(SIZE, rawUpload) },
    "MiB/s",
    "≥ 0.95",
  );
  report(
    "windowed scan throughput",
    { label: "scan activity (S3 → windows + SHA-256)", value: mbps(SIZE, scanSeconds) },
    { label: "raw INSTREAM sessions", value: mbps(SIZE, rawScan) },
    "MiB/s",
    "≥ 0.9",
  );
  report(
    "end to end",
    { label: "complete → ready", value: mbps(SIZE, endToEnd) },
    { label: "raw INSTREAM sessions", value: mbps(SIZE, rawScan) },
    "MiB/s",
    "for information",
  );
  console.log(
    `\nworker RSS: idle ${(idleRss / MiB).toFixed(1)} MiB, peak while scanning ${(peakRss / MiB).toFixed(1)} MiB, ` +
      `growth ${((peakRss - idleRss) / MiB).toFixed(1)} MiB (goal: ≤ 64 MiB); load average ${load()}`,
  );

  worker.kill("SIGTERM");
  await new Promise((resolve) => worker.once("exit", resolve));
  for (const row of await File.query(db).where({ ownerId: user.id })) await storage.deleteObject(row.s3Key);
  await storage.deleteObject(rawKey);
  await User.query(db).deleteById(user.id);
  server.close();
  await closeDeps(deps);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
