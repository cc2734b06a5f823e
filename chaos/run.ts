/**
 * `pnpm chaos`: SPEC §9's chaos suite. Starts a stack of its own (Temporal dev server, MinIO, clamd,
 * API and worker on 19xxx ports, database coffer_chaos, its own Redis prefix) — never the shared
 * local stack — and drives 200 uploads of mixed sizes from 20 concurrent clients, with shares of
 * maxDownloads=1 downloaded in parallel, trash, restore and permanent deletes, while it SIGKILLs the
 * worker three times, stops clamd for a minute, restarts the Temporal dev server, restarts MinIO
 * and kills the API. Then it waits for quiescence and checks: no invariant of SPEC §11 violated,
 * every file ready, quarantined, rejected or failed with a reason, every maxDownloads=1 link served
 * exactly once. Randomness is seeded and the seed printed: CHAOS_SEED=<seed> pnpm chaos replays the
 * plan (sizes, actions, fault times). Exit 0 only when every check holds. docs/reliability.md.
 */
import "../lib/env-file";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { chmod, copyFile, mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { Client, Connection } from "@temporalio/client";
import argon2 from "argon2";
import knex from "knex";
import { pendingDeletionKeys } from "../db/commands/files/object-deletions";
import { knexConfig } from "../db/knexfile";
import { ClamdClient } from "../lib/clamd";
import { type FileStatus, statusRule } from "../lib/file-status";
import { checkInvariants, formatViolation } from "../lib/invariants";
import { Storage } from "../lib/s3";
import { Service, answers, sleep } from "./services";
import { type Plan, type Tally, planRun, runClients } from "./workload";

const root = path.resolve(__dirname, "..", "..");
const MiB = 1024 * 1024;
const tools = path.join(process.env.HOME ?? "/root", ".cache", "coffer", "tools");
/** As the stack runs it (scripts/lib/temporal.sh), so the restart below meets the same journal mode. */
const TEMPORAL_SQLITE_PRAGMAS = ["--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal"];
const PORTS = { api: 19080, temporal: 19233, temporalUi: 19234, minio: 19000, minioConsole: 19001, clamd: 19310 };
const SCANNER_LIMIT = 45 * MiB;

/** A tool scripts/bootstrap.sh built under ~/.cache/coffer/tools (the newest when there are several). */
function toolBinary(name: string): string {
  const found = existsSync(tools)
    ? readdirSync(tools)
        .filter((entry) => entry.startsWith(`${name}-`) && existsSync(path.join(tools, entry, name)))
        .sort()
    : [];
  if (!found.length) throw new Error(`${name} is not built yet: run scripts/bootstrap.sh first`);
  return path.join(tools, found[found.length - 1], name);
}

async function main(): Promise<number> {
  const seed = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const started = Date.now();
  console.log(`chaos: seed ${seed} (replay with CHAOS_SEED=${seed} pnpm chaos)`);
  const dir = path.join(root, ".data", "chaos", String(seed));
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, "minio"), { recursive: true });
  await chmod(dir, 0o777);

  const baseDb = new URL(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/coffer");
  const databaseUrl = Object.assign(new URL(baseDb), { pathname: "/coffer_chaos" }).toString();
  const admin = knex({ client: "pg", connection: baseDb.toString(), pool: { min: 0, max: 1 } });
  await admin.raw("DROP DATABASE IF EXISTS coffer_chaos WITH (FORCE)");
  await admin.raw("CREATE DATABASE coffer_chaos");
  await admin.destroy();

  const origin = `http://127.0.0.1:${PORTS.api}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "development",
    LOG_LEVEL: "info",
    HOST: "127.0.0.1",
    PORT: String(PORTS.api),
    APP_URL: origin,
    API_URL: `${origin}/api`,
    DATABASE_URL: databaseUrl,
    S3_ENDPOINT: `http://127.0.0.1:${PORTS.minio}`,
    S3_PUBLIC_ENDPOINT: "",
    S3_STS_ENDPOINT: "",
    S3_BUCKET: "coffer-chaos",
    CLAMAV_HOST: "127.0.0.1",
    CLAMAV_PORT: String(PORTS.clamd),
    CLAMAV_MAX_BYTES: String(SCANNER_LIMIT),
    CLAMAV_TIMEOUT_MS: "10000",
    TEMPORAL_ADDRESS: `127.0.0.1:${PORTS.temporal}`,
    TEMPORAL_TASK_QUEUE: "coffer-chaos",
    TEMPORAL_UI_URL: `http://127.0.0.1:${PORTS.temporalUi}`,
    WORKER_METRICS_PORT: "19464",
    WORKER_SDK_METRICS_PORT: "19465",
    RATE_LIMIT_PREFIX: `coffer:rl:chaos:${seed}:${started}`,
    RATE_LIMIT_AUTH_PER_MINUTE: "10000",
    RATE_LIMIT_UPLOAD_PER_MINUTE: "10000",
    RATE_LIMIT_PUBLIC_PER_MINUTE: "10000",
    RATE_LIMIT_ADMIN_PER_MINUTE: "10000",
    SHARE_DOWNLOADS_PER_IP: "64",
    MAX_CONCURRENT_UPLOADS: "10",
    UPLOAD_PART_BYTES: String(5 * MiB),
    SCAN_RETRY_INITIAL_MS: "500",
    SCAN_RETRY_MAX_MS: "3000",
    SCAN_HEARTBEAT_TIMEOUT_MS: "15000",
    UPLOAD_HOUSEKEEPING_INTERVAL: "1m",
    SCHEDULES_ENABLED: "true",
  };
  const s3 = new Storage({
    endpoint: env.S3_ENDPOINT!,
    region: env.S3_REGION!,
    accessKeyId: env.S3_ACCESS_KEY!,
    secretAccessKey: env.S3_SECRET_KEY!,
    bucket: env.S3_BUCKET!,
  });
  const clamdClient = new ClamdClient({ host: "127.0.0.1", port: PORTS.clamd, timeoutMs: 2000 });
  const temporalAddress = env.TEMPORAL_ADDRESS!;

  // clamd reuses the stack's signatures read-only: the official databases if fetched, else our offline one.
  const official = ["/var/lib/clamav/main.cvd", "/var/lib/clamav/main.cld"].some((file) => existsSync(file));
  let databaseDir = "/var/lib/clamav";
  if (!official) {
    databaseDir = path.join(dir, "clamav-db");
    await mkdir(databaseDir, { recursive: true });
    await copyFile(path.join(root, "scripts", "clamav", "coffer-test.hdb"), path.join(databaseDir, "coffer-test.hdb"));
  }
  const clamdConf = path.join(dir, "clamd.conf");
  await writeFile(
    clamdConf,
    [
      "Foreground yes",
      `DatabaseDirectory ${databaseDir}`,
      "TCPAddr 127.0.0.1",
      `TCPSocket ${PORTS.clamd}`,
      `StreamMaxLength ${SCANNER_LIMIT}`,
      `MaxFileSize ${SCANNER_LIMIT}`,
      `MaxScanSize ${SCANNER_LIMIT}`,
      "AlertExceedsMax yes",
      "MaxScanTime 0",
      "",
    ].join("\n"),
  );
  const asRoot = process.getuid?.() === 0;
  const log = (name: string) => path.join(dir, `${name}.log`);
  const services = {
    temporal: new Service(
      "temporal",
      toolBinary("temporal"),
      [
        "server",
        "start-dev",
        "--ip",
        "127.0.0.1",
        "--port",
        String(PORTS.temporal),
        "--ui-port",
        String(PORTS.temporalUi),
      ].concat(["--db-filename", path.join(dir, "temporal.db"), ...TEMPORAL_SQLITE_PRAGMAS, "--log-level", "warn"]),
      env,
      log("temporal"),
      async () => {
        const connection = await Connection.connect({ address: temporalAddress, connectTimeout: 1000 });
        try {
          await connection.workflowService.getSystemInfo({});
          return true;
        } finally {
          await connection.close();
        }
      },
    ),
    minio: new Service(
      "minio",
      toolBinary("minio"),
      [
        "server",
        path.join(dir, "minio"),
        "--address",
        `127.0.0.1:${PORTS.minio}`,
        "--console-address",
        `127.0.0.1:${PORTS.minioConsole}`,
      ],
      {
        ...env,
        MINIO_ROOT_USER: env.S3_ACCESS_KEY,
        MINIO_ROOT_PASSWORD: env.S3_SECRET_KEY,
        MINIO_SITE_REGION: env.S3_REGION,
        MINIO_UPDATE: "off",
      },
      log("minio"),
      () => answers(`http://127.0.0.1:${PORTS.minio}/minio/health/live`),
    ),
    clamd: new Service(
      "clamd",
      asRoot ? "runuser" : "clamd",
      asRoot ? ["-u", "clamav", "--", "clamd", "-c", clamdConf] : ["-c", clamdConf],
      env,
      log("clamd"),
      () => clamdClient.ping(),
    ),
    api: new Service("api", process.execPath, [path.join(root, "dist/api/server.js")], env, log("api"), async () => {
      try {
        await fetch(`${origin}/health`, { signal: AbortSignal.timeout(2000) });
        return true;
      } catch {
        return false;
      }
    }),
    worker: new Service("worker", process.execPath, [path.join(root, "dist/worker/main.js")], env, log("worker"), () =>
      answers("http://127.0.0.1:19464/metrics"),
    ),
  };

  const db = knex(knexConfig(databaseUrl, { min: 0, max: 4 }));
  let temporal: Client | undefined;
  let failures: string[] = [];
  let tallySecrets = new Set<string>();
  try {
    await services.temporal.start();
    await services.minio.start();
    await s3.client.send(new CreateBucketCommand({ Bucket: s3.bucket }));
    await services.clamd.start(180_000);
    await db.migrate.latest();
    const plan = planRun(seed);
    const users = await createUsers(db, plan.clients);
    await services.api.start();
    await services.worker.start();
    console.log(
      `chaos: stack up in ${Math.round((Date.now() - started) / 1000)} s; ${plan.uploads.length} uploads, ${plan.clients} clients`,
    );

    const faults = runFaults(plan, services);
    const tally = await runClients({ plan, origin: `${origin}/api`, users, faultsDone: faults.done });
    await faults.done;
    console.log(`chaos: workload and faults done at ${Math.round((Date.now() - started) / 1000)} s`);

    temporal = new Client({ connection: await Connection.connect({ address: temporalAddress }) });
    tallySecrets = tally.secrets;
    failures = await settleAndCheck({ db, storage: s3, temporal, tally, origin: `${origin}/api`, users });
    report(tally, faults.log);
  } catch (error) {
    failures.push(`the run itself failed: ${error instanceof Error ? error.stack : String(error)}`);
  } finally {
    await temporal?.connection.close().catch(() => undefined);
    for (const service of [services.api, services.worker, services.clamd, services.minio, services.temporal])
      await service.stop().catch(() => undefined);
    await db.destroy();
    s3.destroy();
  }
  failures.push(...secretsInLogs([log("api"), log("worker")], tallySecrets));
  const seconds = Math.round((Date.now() - started) / 1000);
  if (failures.length) {
    console.log(`chaos: FAILED after ${seconds} s (seed ${seed}; logs in ${path.relative(root, dir)}):`);
    for (const failure of failures) console.log(`  - ${failure}`);
    return 1;
  }
  console.log(`chaos: passed in ${seconds} s (seed ${seed})`);
  return 0;
}

/**
 * No log line of the API or the worker may carry a password, an access token, a share token or a
 * presigned URL's signature the clients handled, nor anything shaped like a JWT.
 */
function secretsInLogs(files: string[], secrets: Set<string>): string[] {
  const found: string[] = [];
  for (const file of files) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, "utf8");
    const leaked = [...secrets].filter((secret) => secret.length >= 8 && text.includes(secret));
    if (leaked.length) found.push(`${leaked.length} secrets the clients used appear in ${path.basename(file)}`);
    if (/eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/.test(text)) found.push(`a JWT appears in ${path.basename(file)}`);
    if (/X-Amz-Signature=/i.test(text)) found.push(`a presigned URL appears in ${path.basename(file)}`);
  }
  return found;
}

/** The clients' accounts (verified, password known) and an admin, straight into the database. */
async function createUsers(db: knex.Knex, count: number) {
  const password = "chaos-password-0123";
  const passwordHash = await argon2.hash(password, { type: argon2.argon2id });
  const rows = Array.from({ length: count + 1 }, (_, i) => ({
    email: i === count ? "admin@chaos.local" : `client-${i}@chaos.local`,
    password_hash: passwordHash,
    role: i === count ? "admin" : "user",
    email_verified_at: new Date(),
    quota_bytes: 100 * 1024 * MiB,
  }));
  const users: { id: string; email: string }[] = await db("users").insert(rows).returning(["id", "email"]);
  return { password, clients: users.slice(0, count), admin: users[count] };
}

export type ChaosUsers = Awaited<ReturnType<typeof createUsers>>;

/** The fault timeline of the plan, run against the chaos stack while the clients work. */
function runFaults(plan: Plan, services: Record<"temporal" | "minio" | "clamd" | "api" | "worker", Service>) {
  const log: string[] = [];
  const t0 = Date.now();
  const note = (what: string) => {
    const line = `${Math.round((Date.now() - t0) / 1000)} s: ${what}`;
    log.push(line);
    console.log(`chaos: fault ${line}`);
  };
  const done = (async () => {
    for (const fault of plan.faults) {
      const wait = fault.atMs - (Date.now() - t0);
      if (wait > 0) await sleep(wait);
      switch (fault.kind) {
        case "kill_worker":
          note(`SIGKILL worker (pid ${services.worker.pid})`);
          await services.worker.stop("SIGKILL");
          await sleep(2000);
          await services.worker.start();
          break;
        case "stop_clamd":
          note("clamd stopped for 60 s");
          await services.clamd.stop("SIGTERM");
          await sleep(60_000);
          await services.clamd.start(180_000);
          note("clamd back");
          break;
        case "restart_temporal":
          note("Temporal dev server restarted");
          await services.temporal.stop("SIGTERM");
          await services.temporal.start();
          break;
        case "restart_minio":
          note("MinIO restarted");
          await services.minio.stop("SIGTERM");
          await sleep(3000);
          await services.minio.start();
          break;
        case "kill_api":
          note(`SIGKILL API (pid ${services.api.pid})`);
          await services.api.stop("SIGKILL");
          await sleep(2000);
          await services.api.start();
          break;
      }
    }
    note("faults over");
  })();
  return { done, log };
}

/**
 * Quiescence, then the verdict: open uploads are aborted (as a client resuming would), housekeeping
 * runs once, every file leaves processing, no FileLifecycle runs; then the invariant checker, the
 * terminal statuses and the maxDownloads=1 links.
 */
async function settleAndCheck(props: {
  db: knex.Knex;
  storage: Storage;
  temporal: Client;
  tally: Tally;
  origin: string;
  users: ChaosUsers;
}): Promise<string[]> {
  const { db, storage, temporal, tally } = props;
  const failures: string[] = [];
  const deadline = Date.now() + 4 * 60_000;
  const adminToken = await login(props.origin, props.users.admin.email, props.users.password);
  for (;;) {
    const { rows } = await db.raw(
      "SELECT count(*) FILTER (WHERE status = 'processing')::int AS processing, count(*) FILTER (WHERE status = 'uploading')::int AS uploading FROM files",
    );
    const running = await countRunning(temporal);
    const pending = Number((await db("object_deletions").count({ n: "*" }))[0].n);
    if (rows[0].processing === 0 && rows[0].uploading === 0 && running === 0 && pending === 0) break;
    if (Date.now() > deadline) {
      failures.push(
        `no quiescence after 4 min: ${rows[0].processing} processing, ${rows[0].uploading} uploading, ${running} FileLifecycle running, ${pending} object deletions pending`,
      );
      break;
    }
    if (rows[0].uploading > 0) {
      const open: { id: string; ownerId: string }[] = await db("files")
        .select("id", "owner_id")
        .where({ status: "uploading" });
      for (const file of open) {
        const user = props.users.clients.find((client) => client.id === file.ownerId);
        if (!user) continue;
        const token = await login(props.origin, user.email, props.users.password);
        await fetch(`${props.origin}/files/${file.id}/upload`, {
          method: "DELETE",
          headers: { Authorization: `Bearer ${token}` },
        });
        tally.abortedAtEnd += 1;
      }
    }
    // Housekeeping now rather than at its next tick: restarts stuck lifecycles, finishes object deletions.
    await fetch(`${props.origin}/admin/uploads/cleanup`, {
      method: "POST",
      headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ dryRun: false }),
    }).catch(() => undefined);
    await sleep(3000);
  }

  const violations = await checkInvariants(
    { db, storage, temporal },
    { staleUploadMs: 3_600_000, graceMs: 0, pendingDeletions: (keys) => pendingDeletionKeys(db, keys) },
  );
  for (const violation of violations) failures.push(formatViolation(violation));
  tally.violations = violations.length;

  const statuses: { status: FileStatus; hasReason: boolean; n: number }[] = (
    await db.raw(
      `SELECT status, (status_reason IS NOT NULL) AS "hasReason", count(*)::int AS n FROM files GROUP BY status, status_reason IS NOT NULL`,
    )
  ).rows;
  for (const row of statuses) {
    tally.finalStatuses[row.status] = (tally.finalStatuses[row.status] ?? 0) + row.n;
    if (!statusRule(row.status).terminal) failures.push(`${row.n} files ended ${row.status}`);
    if (!statusRule(row.status).keepsBytes && !row.hasReason)
      failures.push(`${row.n} files ended ${row.status} without a reason`);
  }
  for (const [kind, expected] of Object.entries(tally.expected)) {
    for (const fileId of expected.fileIds) {
      const file = await db("files").select("status").where({ id: fileId }).first();
      if (file && !expected.statuses.includes(file.status))
        failures.push(
          `a ${kind} file ended ${file.status}, expected ${expected.statuses.join(" or ")} (file ${fileId})`,
        );
    }
  }
  for (const share of tally.oneTimeShares) {
    const row = await db("shares").select("download_count").where({ id: share.shareId }).first();
    if (share.served !== 1) failures.push(`maxDownloads=1 share ${share.shareId} served ${share.served} times`);
    if (row && row.downloadCount !== 1 && row.download_count !== 1)
      failures.push(
        `maxDownloads=1 share ${share.shareId} counted ${row.downloadCount ?? row.download_count} downloads`,
      );
  }
  return failures;
}

async function countRunning(temporal: Client): Promise<number> {
  let n = 0;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  for await (const _ of temporal.workflow.list({
    query: "WorkflowType = 'fileLifecycle' AND ExecutionStatus = 'Running'",
  }))
    n++;
  return n;
}

export async function login(origin: string, email: string, password: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(`${origin}/auth/login`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email, password }),
      });
      if (res.status === 200) return ((await res.json()) as { accessToken: string }).accessToken;
      if (attempt > 20) throw new Error(`login answered ${res.status}`);
    } catch (error) {
      if (attempt > 20) throw error;
    }
    await sleep(1000);
  }
}

function report(tally: Tally, faults: string[]): void {
  console.log("chaos: faults:");
  for (const line of faults) console.log(`  ${line}`);
  console.log(
    `chaos: uploads ${tally.uploadsCompleted} completed of ${tally.uploadsPlanned} planned (${tally.uploadsGivenUp} given up, ${tally.abortedAtEnd} open uploads aborted at the end)`,
  );
  console.log(`chaos: final statuses ${JSON.stringify(tally.finalStatuses)}`);
  console.log(
    `chaos: ${tally.oneTimeShares.length} maxDownloads=1 links, ${tally.oneTimeShares.filter((s) => s.served === 1).length} served exactly once; ${tally.trashed} trashed, ${tally.restored} restored, ${tally.deleted} deleted for good`,
  );
  console.log(
    `chaos: answers by status ${JSON.stringify(tally.statuses)}; 5xx by route ${JSON.stringify(tally.serverErrors)}`,
  );
  console.log(`chaos: invariant violations ${tally.violations}; ${tally.secrets.size} secrets looked for in the logs`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
