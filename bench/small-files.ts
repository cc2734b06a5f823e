/**
 * bench small-files: many small files from many users to ready. BENCH_USERS (20) clients, each with
 * its own account, upload BENCH_FILES (1000) files of 64 KiB between them, one after another:
 * start → sign → PUT → complete → GET /files/:id?waitSeconds=20 until ready (BENCH_WAIT_SECONDS=0 polls
 * every BENCH_POLL_MS instead), then the next. The API and the
 * worker run as child processes on a task queue of their own, so their CPU can be read from /proc.
 * Baseline, in the same run: the same clients doing bare presigned PUTs of the same bytes, one after
 * another. Prints files/s to ready, p50/p95/p99 of complete → ready (as the client saw it, and as the
 * server stamped it: the file's scannedAt), and the CPU the API, worker, Temporal, clamd, MinIO and
 * PostgreSQL spent. Goals: ≥ 25 files/s to ready, p50 ≤ 300 ms, p99 ≤ 2 s.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { closeDeps } from "../api/build-deps";
import { apiPathOf } from "../api/route-table";
import { startSession } from "../db/commands/accounts/refresh-tokens";
import { File, User } from "../db/models";
import { signAccessToken } from "../lib/access-token";
import {
  benchBytes,
  benchDeps,
  cpuSecondsOf,
  createBenchUser,
  freePort,
  percentile,
  timed,
  waitForHttp,
  withConcurrency,
} from "./common";

const USERS = Number(process.env.BENCH_USERS ?? 20);
const FILES = Number(process.env.BENCH_FILES ?? 1000);
const SIZE = Number(process.env.BENCH_BYTES ?? 64 * 1024);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
/** How often a client asks whether its file is ready. */
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 25);
/** How long each GET /files/:id waits for the scan's outcome (as the web client does); 0 polls every POLL_MS. */
const WAIT_SECONDS = Number(process.env.BENCH_WAIT_SECONDS ?? 20);

/** Pids whose command line matches `pattern`. */
function pidsMatching(pattern: RegExp): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ");
      if (pattern.test(cmdline)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

const ms = (seconds: number) => `${(seconds * 1000).toFixed(0)} ms`;

const STEPS = ["start", "sign", "put", "complete", "poll"] as const;
type StepName = (typeof STEPS)[number];

async function main() {
  const taskQueue = `bench-small-files-${randomUUID()}`;
  const deps = await benchDeps({ TEMPORAL_TASK_QUEUE: taskQueue });
  const { config, db, storage } = deps;
  const bytes = benchBytes(SIZE);

  const apiPort = await freePort();
  const metricsPort = await freePort();
  const sdkMetricsPort = await freePort();
  const env = { ...process.env, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: "warn" };
  const worker: ChildProcess = spawn(process.execPath, [path.resolve(__dirname, "..", "worker", "main.js")], {
    env: {
      ...env,
      SCHEDULES_ENABLED: "false",
      WORKER_METRICS_PORT: String(metricsPort),
      WORKER_SDK_METRICS_PORT: String(sdkMetricsPort),
    },
    stdio: "inherit",
  });
  // The per-minute upload limit counts start and complete: 50 files a user in well under a minute
  // would pass it, so this API allows more (the open-uploads and quota limits stay as configured).
  const api: ChildProcess = spawn(process.execPath, [path.resolve(__dirname, "..", "api", "server.js")], {
    env: { ...env, PORT: String(apiPort), RATE_LIMIT_UPLOAD_PER_MINUTE: "100000" },
    stdio: "inherit",
  });
  // A failed run must not leave its API and worker behind.
  process.once("exit", () => [api, worker].forEach((child) => child.exitCode === null && child.kill("SIGKILL")));
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  await waitForHttp(`${apiUrl}/health`);
  await waitForHttp(`http://127.0.0.1:${metricsPort}/metrics`);
  const base = `${apiUrl}${apiPathOf(config.API_URL)}`;

  const users = await Promise.all(
    Array.from({ length: USERS }, async () => {
      const user = await createBenchUser(db);
      const { sessionId } = await startSession({ db, userId: user.id, ttlSeconds: 3600 });
      const token = await signAccessToken({ userId: user.id, role: "user", sessionId }, config.JWT_SECRET, 3600);
      return { user, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" } };
    }),
  );

  const call = async <T>(url: string, headers: Record<string, string>, method: string, body?: unknown) => {
    const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };

  interface Timing {
    /** complete sent → the client saw ready */
    seen: number;
    /** complete sent → the file's scannedAt */
    stamped: number;
    polls: number;
    /** seconds each request took: start, sign, PUT, complete, and the mean poll */
    steps: Record<StepName, number>;
  }

  /** One file through Coffer, the client waiting for ready before it returns. */
  const uploadOne = async (headers: Record<string, string>): Promise<Timing> => {
    let mark = Date.now();
    const lap = () => {
      const now = Date.now();
      const seconds = (now - mark) / 1000;
      mark = now;
      return seconds;
    };
    const steps = {} as Record<StepName, number>;
    const started = await call<{ file: { id: string }; parts?: { url: string }[] }>(
      `${base}/files/uploads`,
      headers,
      "POST",
      { name: `${randomUUID()}.bin`, sizeBytes: SIZE, mimeType: "application/octet-stream" },
    );
    const { file } = started;
    steps.start = lap();
    // A file of one part comes with its part signed; a larger one asks for its URLs.
    const parts =
      started.parts ??
      (
        await call<{ parts: { url: string }[] }>(`${base}/files/${file.id}/parts`, headers, "POST", {
          partNumbers: [1],
        })
      ).parts;
    steps.sign = lap();
    const put = await fetch(parts[0].url, { method: "PUT", body: bytes });
    if (put.status !== 200) throw new Error(`PUT: ${put.status}`);
    steps.put = lap();
    const completeSent = Date.now();
    const completed = await call<{ file: { status: string; scannedAt: string | null } }>(
      `${base}/files/${file.id}/complete`,
      headers,
      "POST",
      { parts: [{ partNumber: 1, etag: put.headers.get("etag")! }] },
    );
    steps.complete = lap();
    let current = completed.file;
    let polls = 0;
    steps.poll = 0;
    while (current.status === "processing") {
      if (!WAIT_SECONDS) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      lap();
      const url = `${base}/files/${file.id}?waitSeconds=${WAIT_SECONDS}`;
      current = (await call<{ file: typeof current }>(url, headers, "GET")).file;
      steps.poll += lap();
      polls++;
    }
    if (polls) steps.poll /= polls;
    const seenAt = Date.now();
    if (current.status !== "ready") throw new Error(`file ended ${current.status}`);
    return {
      seen: (seenAt - completeSent) / 1000,
      stamped: (new Date(current.scannedAt!).getTime() - completeSent) / 1000,
      polls,
      steps,
    };
  };

  const rawClient = new S3Client({
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    credentials: { accessKeyId: config.S3_ACCESS_KEY, secretAccessKey: config.S3_SECRET_KEY },
    forcePathStyle: true,
  });
  const rawPrefix = `bench/small-files-${randomUUID()}`;
  let rawCount = 0;
  /** One bare presigned PUT of the same bytes (the URL signed in the client, as the API would). */
  const rawOne = async () => {
    const url = await getSignedUrl(
      rawClient,
      new PutObjectCommand({ Bucket: config.S3_BUCKET, Key: `${rawPrefix}/${rawCount++}` }),
      { expiresIn: 600 },
    );
    const res = await fetch(url, { method: "PUT", body: bytes });
    if (res.status !== 200) throw new Error(`raw PUT: ${res.status}`);
  };

  /** FILES tasks shared out to USERS clients, each doing its share one after another. */
  const runClients = async <T>(work: (client: number) => Promise<T>): Promise<T[]> => {
    const perClient = Math.ceil(FILES / USERS);
    const results: T[] = [];
    await Promise.all(
      users.map(async (_, client) => {
        for (let i = 0; i < perClient && client * perClient + i < FILES; i++) results.push(await work(client));
      }),
    );
    return results;
  };

  const temporalPids = pidsMatching(/temporal.* server start-dev/);
  const watched: Record<string, () => number[]> = {
    api: () => [api.pid!],
    worker: () => [worker.pid!],
    temporal: () => temporalPids,
    clamd: () => pidsMatching(/(^|\/)clamd( |$)/),
    minio: () => pidsMatching(/(^|\/)minio server/),
    // Its backends come and go with the pools: the ones alive at both samples (others' tests' too).
    postgres: () => pidsMatching(/^postgres/),
    // The 20 clients share the same 2 cores: what they take, Coffer cannot have.
    "bench clients": () => [process.pid],
  };
  const pidsAtStart: Record<string, number[]> = {};
  const cpuNow = (start: boolean) =>
    Object.fromEntries(
      Object.entries(watched).map(([name, pids]) => {
        if (start) pidsAtStart[name] = pids();
        return [name, pidsAtStart[name].reduce((sum, pid) => sum + cpuSecondsOf(pid), 0)];
      }),
    );

  console.log(
    `bench small-files: ${FILES} files of ${SIZE / 1024} KiB from ${USERS} users, one after another each; ${WAIT_SECONDS ? `waiting up to ${WAIT_SECONDS} s a request` : `polling every ${POLL_MS} ms`}; ${ROUNDS} rounds`,
  );
  if (!temporalPids.length) console.log("  (no Temporal dev server process found: its CPU is not shown)");

  // Warm-up: connections, bundles, JIT.
  await withConcurrency(
    USERS,
    users.map(
      ({ headers }) =>
        () =>
          uploadOne(headers),
    ),
  );
  await withConcurrency(
    USERS,
    users.map(() => rawOne),
  );

  const rounds: { ours: number; raw: number; timings: Timing[]; cpu: Record<string, number> }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const rawSeconds = await timed(() => runClients(() => rawOne()));
    console.log(`  round ${round} raw presigned PUTs: ${(FILES / rawSeconds).toFixed(1)} files/s`);
    const before = cpuNow(true);
    let timings: Timing[] = [];
    const oursSeconds = await timed(async () => {
      timings = await runClients((client) => uploadOne(users[client].headers));
    });
    const after = cpuNow(false);
    const cpu = Object.fromEntries(
      Object.keys(before).map((name) => [name, (after[name] - before[name]) / oursSeconds]),
    );
    console.log(`  round ${round} Coffer to ready: ${(FILES / oursSeconds).toFixed(1)} files/s`);
    rounds.push({ ours: FILES / oursSeconds, raw: FILES / rawSeconds, timings, cpu });
  }

  console.log("\nsmall files to ready");
  for (const [i, { ours, raw, timings, cpu }] of rounds.entries()) {
    const seen = timings.map((t) => t.seen).sort((a, b) => a - b);
    const stamped = timings.map((t) => t.stamped).sort((a, b) => a - b);
    const polls = timings.reduce((sum, t) => sum + t.polls, 0) / timings.length;
    console.log(`  round ${i + 1}`);
    console.log(`    ours      Coffer, start → ready: ${ours.toFixed(1)} files/s   (goal: ≥ 25)`);
    console.log(`    baseline  raw presigned PUTs: ${raw.toFixed(1)} files/s`);
    console.log(`    ratio     ${(ours / raw).toFixed(3)}`);
    console.log(
      `    complete → ready, client saw it:   p50 ${ms(percentile(seen, 50))}  p95 ${ms(percentile(seen, 95))}  p99 ${ms(percentile(seen, 99))}   (goal: p50 ≤ 300 ms, p99 ≤ 2 s; ${polls.toFixed(1)} polls a file)`,
    );
    console.log(
      `    complete → ready, scannedAt stamp: p50 ${ms(percentile(stamped, 50))}  p95 ${ms(percentile(stamped, 95))}  p99 ${ms(percentile(stamped, 99))}`,
    );
    const stepMedians = STEPS.map((step) => {
      const sorted = timings.map((t) => t.steps[step]).sort((a, b) => a - b);
      return `${step} ${ms(percentile(sorted, 50))}`;
    });
    console.log(`    each request's median: ${stepMedians.join(", ")}`);
    console.log(
      `    CPU (cores busy while Coffer ran): ${Object.entries(cpu)
        .map(([name, cores]) => `${name} ${cores.toFixed(2)} (${((cores / ours) * 1000).toFixed(0)} ms a file)`)
        .join(", ")}`,
    );
  }

  api.kill("SIGTERM");
  worker.kill("SIGTERM");
  await Promise.all([api, worker].map((child) => new Promise((resolve) => child.once("exit", resolve))));
  for (const { user } of users) {
    const files = await File.query(db).where({ ownerId: user.id });
    await withConcurrency(
      16,
      files.flatMap((file) =>
        [file.s3Key, file.thumbnailKey].filter(Boolean).map((key) => () => storage.deleteObject(key!)),
      ),
    );
    await User.query(db).deleteById(user.id);
  }
  await withConcurrency(
    16,
    Array.from({ length: rawCount }, (_, i) => () => storage.deleteObject(`${rawPrefix}/${i}`)),
  );
  rawClient.destroy();
  await closeDeps(deps);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
