/**
 * bench load: many clients at once against one API and one worker, for a while. BENCH_CLIENTS (200)
 * clients for BENCH_SECONDS (300) s, over loopback only, each looping over a mix (load-clients.ts):
 * folder and share listings, public share pages, share downloads (303 → S3, and streamed by the
 * API), uploads of BENCH_BYTES (16 KiB) files (start → sign → PUT → complete) and logins, with 0–2 ×
 * BENCH_THINK_MS (1000) between two actions. Bounded: the client count is the concurrency, the time
 * is the run. Four clients share an account, like one person's devices.
 *
 * The API and the worker run as child processes on a task queue of their own, the API with the
 * per-IP auth and public limits, the per-user upload limit and the per-IP share-download slots
 * raised: every client comes from 127.0.0.1, where real ones come from many addresses. Everything
 * else (DB pool, open uploads, quotas) stays as configured.
 *
 * Prints per operation: count, throughput, p50/p95/p99 and answers other than the expected one by
 * status; the API's and the worker's peak RSS and CPU; the load average. BENCH_CLIENTS_STEPS
 * ("25,50,100,200") runs each client count for BENCH_SECONDS in turn and prints the knee: the first
 * count at which the p99 of all API requests is twice the first step's. Any 5xx, or a request that
 * got no answer, is printed loudly and the bench exits 1.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { closeDeps } from "../api/build-deps";
import { apiPathOf } from "../api/route-table";
import { startSession } from "../db/commands/accounts/refresh-tokens";
import { createFolder } from "../db/commands/files/folders";
import { createShare } from "../db/commands/shares/manage";
import { File, User } from "../db/models";
import { signAccessToken } from "../lib/access-token";
import { fileLifecycleId } from "../lib/file-lifecycle";
import { fileKey } from "../lib/object-keys";
import { hashPassword } from "../lib/passwords";
import {
  benchBytes,
  benchDeps,
  cpuSecondsOf,
  createBenchUser,
  freePort,
  MiB,
  rssOf,
  waitForHttp,
  withConcurrency,
} from "./common";
import {
  type LoadAccount,
  type LoadClient,
  type LoadTargets,
  LoadRecord,
  MIX_DESCRIPTION,
  OPERATIONS,
  type OperationName,
  runClient,
  S3_OPERATIONS,
} from "./load-clients";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 300);
const STEPS = (process.env.BENCH_CLIENTS_STEPS ?? String(CLIENTS)).split(",").map(Number);
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 1000);
const FILE_BYTES = Number(process.env.BENCH_BYTES ?? 16 * 1024);
/** How long to wait after the last step for the worker to settle every uploaded file. */
const DRAIN_SECONDS = Number(process.env.BENCH_DRAIN_SECONDS ?? 300);
/** A directory for CPU profiles of the API and the worker (node --cpu-prof), written when they stop. */
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;
const nodeArgs = PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`] : [];
const WARMUP_SECONDS = 5;
const CLIENTS_PER_ACCOUNT = 4;
/** Files seeded in each account's docs folder; the first two are shared. */
const SEEDED_FILES = 5;
const PASSWORD = "bench load password";
/** Limits raised for the bench's API: all clients share one address (see the header). */
const RAISED_LIMITS = {
  RATE_LIMIT_AUTH_PER_MINUTE: "1000000",
  RATE_LIMIT_PUBLIC_PER_MINUTE: "1000000",
  RATE_LIMIT_UPLOAD_PER_MINUTE: "1000000",
  SHARE_DOWNLOADS_PER_IP: "100000",
};

const API_OPERATIONS = OPERATIONS.filter((op) => !S3_OPERATIONS.has(op));

if (STEPS.some((n) => !Number.isInteger(n) || n < 1)) {
  console.error(`BENCH_CLIENTS_STEPS must be client counts separated by commas, not "${STEPS.join(",")}"`);
  process.exit(2);
}

interface LogEntry {
  level: number;
  msg?: string;
  err?: { message?: string };
  /** Activities log their error as a string. */
  error?: string;
}

/** A pino line's fields; null for anything else. */
function logEntryOf(line: string): LogEntry | null {
  try {
    const entry = JSON.parse(line) as Partial<LogEntry> | null;
    return typeof entry?.level === "number" ? (entry as LogEntry) : null;
  } catch {
    return null;
  }
}

/** Counts a child's warning and error log lines by message; passes anything that is not a log line through. */
function watchLogs(name: string, child: ChildProcess, counts: Map<string, number>): void {
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on("line", (line) => {
      const entry = logEntryOf(line);
      if (!entry) return console.error(`[${name}] ${line}`);
      if (entry.level < 40) return;
      const message = entry.err?.message ?? entry.error;
      const detail = message ? ` (${String(message).slice(0, 160)})` : "";
      const key = `${name} ${entry.level >= 50 ? "ERROR" : "warn"}: ${entry.msg}${detail}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    });
  }
}

/** The machine's busy and total CPU ticks so far (all cores), from /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const [, ...fields] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/);
  const ticks = fields.map(Number);
  const idle = ticks[3] + ticks[4];
  const total = ticks.slice(0, 8).reduce((sum, n) => sum + n, 0);
  return { busy: total - idle, total };
}

const loadAverage = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const ms = (value: number) => (Number.isNaN(value) ? "—" : `${value.toFixed(0)} ms`);
const mib = (bytes: number) => `${(bytes / MiB).toFixed(0)} MiB`;

interface StepResult {
  clients: number;
  seconds: number;
  record: LoadRecord;
  rss: { api: number; worker: number };
  /** Cores busy on average: the API, the worker, the bench's own clients, and the whole machine (0–1). */
  cores: { api: number; worker: number; clients: number; machineBusy: number };
  load: { before: string; after: string };
}

function printStep({ clients, seconds, record, rss, cores, load }: StepResult): void {
  console.log(`\n${clients} clients for ${seconds.toFixed(0)} s`);
  console.log(
    `  load average ${load.before} → ${load.after}; machine CPU ${(cores.machineBusy * 100).toFixed(0)} % busy; ` +
      `API ${cores.api.toFixed(2)} cores, worker ${cores.worker.toFixed(2)}, ` +
      `the bench's clients ${cores.clients.toFixed(2)}; ` +
      `peak RSS API ${mib(rss.api)}, worker ${mib(rss.worker)}`,
  );
  const row = (name: string, ops: readonly OperationName[]) => {
    const { count, p50, p95, p99 } = record.summary(ops);
    const unexpected = new Map<string, number>();
    for (const op of ops)
      for (const [status, n] of record.unexpected.get(op)!) unexpected.set(status, (unexpected.get(status) ?? 0) + n);
    const errors = [...unexpected].map(([status, n]) => `${status}×${n}`).join(", ") || "none";
    console.log(
      `  ${name.padEnd(27)} ${String(count).padStart(7)} ${(count / seconds).toFixed(1).padStart(8)}/s ` +
        `${ms(p50).padStart(8)} ${ms(p95).padStart(8)} ${ms(p99).padStart(8)}   ${errors}`,
    );
  };
  console.log(
    `  ${"operation".padEnd(27)} ${"count".padStart(7)} ${"rate".padStart(10)} ` +
      `${"p50".padStart(8)} ${"p95".padStart(8)} ${"p99".padStart(8)}   other answers`,
  );
  for (const op of OPERATIONS) if (record.latencies.get(op)!.length) row(op, [op]);
  row("all API requests", API_OPERATIONS);
}

async function main() {
  const taskQueue = `bench-load-${randomUUID()}`;
  const deps = await benchDeps({ TEMPORAL_TASK_QUEUE: taskQueue });
  const { config, db, storage } = deps;
  const maxClients = Math.max(...STEPS);
  const fileBytes = benchBytes(FILE_BYTES);

  const apiPort = await freePort();
  const env = { ...process.env, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: "warn" };
  const logCounts = new Map<string, number>();
  const worker: ChildProcess = spawn(
    process.execPath,
    [...nodeArgs, path.resolve(__dirname, "..", "worker", "main.js")],
    {
      env: {
        ...env,
        SCHEDULES_ENABLED: "false",
        WORKER_METRICS_PORT: String(await freePort()),
        WORKER_SDK_METRICS_PORT: String(await freePort()),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const api: ChildProcess = spawn(process.execPath, [...nodeArgs, path.resolve(__dirname, "..", "api", "server.js")], {
    env: { ...env, PORT: String(apiPort), RATE_LIMIT_PREFIX: `coffer:ratelimit:${taskQueue}`, ...RAISED_LIMITS },
    stdio: ["ignore", "pipe", "pipe"],
  });
  watchLogs("api", api, logCounts);
  watchLogs("worker", worker, logCounts);
  // A failed run must not leave its API and worker behind.
  process.once("exit", () => [api, worker].forEach((child) => child.exitCode === null && child.kill("SIGKILL")));
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  await waitForHttp(`${apiUrl}/health`);
  const base = `${apiUrl}${apiPathOf(config.API_URL)}`;

  console.log(
    `bench load: ${STEPS.join(", ")} clients, ${SECONDS} s ${STEPS.length > 1 ? "each" : ""}; ` +
      `think time 0–${2 * THINK_MS} ms; ${FILE_BYTES / 1024} KiB files; ${CLIENTS_PER_ACCOUNT} clients an account`,
  );
  console.log(`  mix: ${MIX_DESCRIPTION}`);
  console.log(
    `  the API runs with ${Object.entries(RAISED_LIMITS)
      .map(([name, value]) => `${name}=${value}`)
      .join(", ")} (every client is 127.0.0.1)`,
  );

  // Accounts: a real password (one hash for all), a docs folder with shared files, an inbox for uploads.
  const passwordHash = await hashPassword(PASSWORD);
  const redirectTokens: string[] = [];
  const streamTokens: string[] = [];
  const accounts: LoadAccount[] = await withConcurrency(
    8,
    Array.from({ length: Math.ceil(maxClients / CLIENTS_PER_ACCOUNT) }, () => async () => {
      const user = await createBenchUser(db);
      await User.query(db)
        .patch({ passwordHash, usedBytes: SEEDED_FILES * FILE_BYTES })
        .where({ id: user.id });
      const docs = await createFolder(db, user.id, "docs", null);
      const inbox = await createFolder(db, user.id, "inbox", null);
      const sha256 = createHash("sha256").update(fileBytes).digest("hex");
      const fileIds: string[] = [];
      for (let i = 0; i < SEEDED_FILES; i++) {
        const id = randomUUID();
        const s3Key = fileKey({ ownerId: user.id, id });
        await storage.putObject(s3Key, fileBytes, "application/octet-stream");
        // Entered as uploaded and scanned: the bench is about serving them.
        await File.query(db).insert({
          id,
          ownerId: user.id,
          folderId: docs.id,
          name: `seeded-${i}.bin`,
          sizeBytes: FILE_BYTES,
          mimeType: "application/octet-stream",
          s3Key,
          status: "ready",
          sha256,
          scannedAt: new Date(),
          scanCoverage: "full",
        });
        fileIds.push(id);
      }
      redirectTokens.push((await createShare({ db, ownerId: user.id, fileId: fileIds[0] })).token);
      const limited = await createShare({ db, ownerId: user.id, fileId: fileIds[1], maxDownloads: 1_000_000_000 });
      streamTokens.push(limited.token);
      return { id: user.id, email: user.email, password: PASSWORD, docsFolderId: docs.id, inboxFolderId: inbox.id };
    }),
  );
  const clients: LoadClient[] = await withConcurrency(
    8,
    Array.from({ length: maxClients }, (_, i) => async () => {
      const account = accounts[i % accounts.length];
      const { sessionId } = await startSession({ db, userId: account.id, ttlSeconds: 4 * 3600 });
      const token = await signAccessToken({ userId: account.id, role: "user", sessionId }, config.JWT_SECRET, 4 * 3600);
      return { account, token };
    }),
  );
  const targets: LoadTargets = { base, redirectTokens, streamTokens, fileBytes };

  const peaks = { api: 0, worker: 0 };
  const sampler = setInterval(() => {
    for (const [name, child] of [
      ["api", api],
      ["worker", worker],
    ] as const) {
      try {
        peaks[name] = Math.max(peaks[name], rssOf(child.pid!));
      } catch {
        // it ended; the run will say so
      }
    }
  }, 200);

  const runStep = async (count: number, seconds: number): Promise<StepResult> => {
    const record = new LoadRecord();
    peaks.api = peaks.worker = 0;
    const cpuBefore = {
      api: cpuSecondsOf(api.pid!),
      worker: cpuSecondsOf(worker.pid!),
      clients: cpuSecondsOf(process.pid),
      machine: machineTicks(),
    };
    const loadBefore = loadAverage();
    const started = performance.now();
    const until = Date.now() + seconds * 1000;
    await Promise.all(clients.slice(0, count).map((client) => runClient(client, targets, record, until, THINK_MS)));
    const elapsed = (performance.now() - started) / 1000;
    const machine = machineTicks();
    return {
      clients: count,
      seconds: elapsed,
      record,
      rss: { ...peaks },
      cores: {
        api: (cpuSecondsOf(api.pid!) - cpuBefore.api) / elapsed,
        worker: (cpuSecondsOf(worker.pid!) - cpuBefore.worker) / elapsed,
        clients: (cpuSecondsOf(process.pid) - cpuBefore.clients) / elapsed,
        machineBusy: (machine.busy - cpuBefore.machine.busy) / (machine.total - cpuBefore.machine.total),
      },
      load: { before: loadBefore, after: loadAverage() },
    };
  };

  // Warm-up (connections, JIT), not reported; its failures count like any other.
  const warmup = await runStep(Math.min(STEPS[0], 25), WARMUP_SECONDS);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  console.log(`  idle RSS after warm-up: API ${mib(rssOf(api.pid!))}, worker ${mib(rssOf(worker.pid!))}`);

  const results: StepResult[] = [];
  for (const count of STEPS) {
    const result = await runStep(count, SECONDS);
    printStep(result);
    results.push(result);
  }
  clearInterval(sampler);

  if (results.length > 1) {
    console.log("\nsteps (all API requests)");
    console.log(
      "  clients   req/s     p50      p95      p99    5xx  other errors  peak RSS API / worker  load average after",
    );
    for (const { clients: count, seconds, record, rss, load } of results) {
      const { count: requests, p50, p95, p99 } = record.summary(API_OPERATIONS);
      const errors = API_OPERATIONS.reduce(
        (sum, op) => sum + [...record.unexpected.get(op)!.values()].reduce((a, b) => a + b, 0),
        0,
      );
      const serverErrors = record.serverErrors(API_OPERATIONS);
      console.log(
        `  ${String(count).padStart(7)} ${(requests / seconds).toFixed(1).padStart(7)} ${ms(p50).padStart(7)} ` +
          `${ms(p95).padStart(8)} ${ms(p99).padStart(8)} ${String(serverErrors).padStart(6)} ` +
          `${String(errors - serverErrors).padStart(13)}  ` +
          `${`${mib(rss.api)} / ${mib(rss.worker)}`.padStart(21)}  ${load.after}`,
      );
    }
    const p99Of = ({ record }: StepResult) => record.summary(API_OPERATIONS).p99;
    const first = results[0];
    const knee = results.slice(1).find((step) => p99Of(step) >= 2 * p99Of(first));
    const baseline = `${ms(p99Of(first))} at ${first.clients} clients`;
    console.log(
      knee
        ? `knee: ${knee.clients} clients (p99 ${ms(p99Of(knee))} against ${baseline})`
        : `knee: none up to ${results.at(-1)!.clients} clients (p99 stayed under twice the ${baseline})`,
    );
  }

  // Let the worker settle what was uploaded, so no FileLifecycle run is left on this task queue.
  const accountIds = accounts.map(({ id }) => id);
  const unsettled = () => File.query(db).whereIn("ownerId", accountIds).whereIn("status", ["uploading", "processing"]);
  const drainStarted = performance.now();
  while ((await unsettled().resultSize()) > 0 && performance.now() - drainStarted < DRAIN_SECONDS * 1000)
    await new Promise((resolve) => setTimeout(resolve, 1000));
  const byStatus = (await db("files")
    .whereIn("ownerId", accountIds)
    .groupBy("status")
    .select("status")
    .count({ files: "*" })) as unknown as { status: string; files: string }[];
  console.log(
    `\nuploaded and seeded files after a drain of ${((performance.now() - drainStarted) / 1000).toFixed(0)} s: ` +
      byStatus.map(({ status, files }) => `${status} ${files}`).join(", "),
  );
  for (const file of await unsettled()) {
    if (file.status !== "processing") continue;
    await deps.temporal.workflow
      .getHandle(fileLifecycleId(file.id))
      .terminate("bench load ended")
      .catch(() => undefined);
  }

  api.kill("SIGTERM");
  worker.kill("SIGTERM");
  await Promise.all([api, worker].map((child) => new Promise((resolve) => child.once("exit", resolve))));

  const failures = [warmup, ...results].reduce((sum, { record }) => sum + record.failures, 0);
  const serverErrors = [warmup, ...results].reduce((sum, { record }) => sum + record.serverErrors(), 0);
  if (logCounts.size) {
    console.log("\nAPI and worker warnings and errors (count: message)");
    for (const [line, count] of [...logCounts].sort((a, b) => b[1] - a[1])) console.log(`  ${count}: ${line}`);
  }
  if (failures) {
    console.log(
      `\n!!! ${serverErrors} answers with a 5xx status, ${failures - serverErrors} requests with no answer !!!`,
    );
    for (const sample of [warmup, ...results].flatMap(({ record }) => record.failureSamples).slice(0, 20))
      console.log(`  ${sample}`);
    process.exitCode = 1;
  } else {
    console.log("\nno 5xx, every request answered");
  }

  for (const { id } of accounts) {
    const files = await File.query(db).where({ ownerId: id });
    await withConcurrency(
      16,
      files.flatMap((file) => [
        ...[file.s3Key, file.thumbnailKey, file.previewKey]
          .filter(Boolean)
          .map((key) => () => storage.deleteObject(key!)),
        ...(file.uploadId
          ? [() => storage.abortMultipartUpload(file.s3Key, file.uploadId!).catch(() => undefined)]
          : []),
      ]),
    );
    await User.query(db).deleteById(id);
  }
  await closeDeps(deps);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
