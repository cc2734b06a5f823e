import { z } from "zod";
import { productionSecretProblems } from "./production-secrets";
import { parseTypePatterns, TYPE_PATTERN } from "./type-policy";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");
const int = (min = 0) => z.coerce.number().int().min(min);
const url = z.string().url();
/** A comma-separated list of media type patterns such as `image/*, application/pdf` (lib/type-policy). */
const typePatterns = z
  .string()
  .default("")
  .transform((list, ctx) => {
    const patterns = parseTypePatterns(list);
    const bad = patterns.filter((pattern) => !TYPE_PATTERN.test(pattern));
    if (bad.length)
      ctx.addIssue({ code: "custom", message: `not media type patterns such as "image/*": ${bad.join(", ")}` });
    return patterns;
  });
/** Empty strings in .env mean "not set". */
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** Address the API listens on: loopback unless set (0.0.0.0 in a container, behind its port mapping). */
    HOST: z.string().min(1).default("127.0.0.1"),
    PORT: int(1).max(65535).default(3000),
    /** Seconds a client has to send its request headers; past it 408 and the connection is closed. */
    HTTP_HEADERS_TIMEOUT_SECONDS: int(1).default(10),
    /** Seconds a client has to send its whole request (headers and body); past it 408 and the connection is closed. */
    HTTP_REQUEST_TIMEOUT_SECONDS: int(1).default(30),
    /** Seconds an idle keep-alive connection stays open (behind a proxy: more than the proxy's own idle timeout). */
    HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: int(1).default(5),
    WORKER_METRICS_PORT: int(1).max(65535).default(9464),
    /** Address the worker's metrics port listens on: loopback unless set (0.0.0.0 in a container, for Prometheus). */
    WORKER_METRICS_HOST: z.string().min(1).default("127.0.0.1"),
    /** Workflow tasks one worker runs at once (slots on its task queue). */
    WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: int(2).default(40),
    /** Activities one worker runs at once (scans, thumbnails, housekeeping batches). */
    WORKER_MAX_CONCURRENT_ACTIVITIES: int(1).default(20),
    /** Workflow runs a worker keeps in memory between tasks (sticky cache); 0 turns the cache off. */
    WORKER_MAX_CACHED_WORKFLOWS: int(0).default(500),
    /**
     * On shutdown, how long running activities may go on before they are cancelled and retried elsewhere: one scan
     * of a 2 GiB file at 20 MiB/s (docs/DEPLOY.md, "Worker tuning"); a scan cut off restarts from its first byte.
     */
    WORKER_SHUTDOWN_GRACE_SECONDS: int(0).default(120),
    /** Loopback port of the Temporal SDK's own Prometheus exporter; the worker merges it into its metrics port. */
    WORKER_SDK_METRICS_PORT: int(1).max(65535).default(9465),
    /** Where people open the web client; links in mails and share links point here. */
    APP_URL: url,
    /** Where the REST API is; its path is where the API process mounts it (the web client is served at APP_URL). */
    API_URL: url,
    /** The built web client the API process serves (`pnpm build` writes it). */
    WEB_DIST_DIR: z.string().min(1).default("web/dist"),

    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL"),
    /** The API's one LISTEN connection (waits for a scan's outcome); PostgreSQL itself when DATABASE_URL is a pooler. */
    DATABASE_LISTEN_URL: optional(z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")),
    REDIS_URL: z.string().regex(/^rediss?:\/\//, "must be a redis:// URL"),

    JWT_SECRET: z.string().min(32, "must be at least 32 characters"),
    JWT_SECRET_PREVIOUS: optional(z.string().min(32, "must be at least 32 characters")),

    S3_ENDPOINT: url,
    S3_PUBLIC_ENDPOINT: optional(url),
    S3_REGION: z.string().min(1),
    S3_ACCESS_KEY: z.string().min(1),
    S3_SECRET_KEY: z.string().min(1),
    S3_BUCKET: z.string().min(3),
    /**
     * How URLs handed to clients are signed (docs/DEPLOY.md, "Storage credentials"): `sts` asks STS
     * AssumeRole for a short-lived credential per upload (may write its one key) and one for downloads
     * (may only read); `keys` signs with the upload and download keys themselves.
     */
    S3_URL_SIGNING: z.enum(["sts", "keys"]).default("sts"),
    /** STS endpoint for `sts` signing; MinIO serves STS on its S3 port, so it defaults to S3_ENDPOINT. */
    S3_STS_ENDPOINT: optional(url),
    /** Upload credential: with `sts` the one that assumes S3_UPLOAD_ROLE_ARN, with `keys` a write-only key. Defaults to S3_ACCESS_KEY with `sts`. */
    S3_UPLOAD_ACCESS_KEY: optional(z.string().min(1)),
    S3_UPLOAD_SECRET_KEY: optional(z.string().min(1)),
    /** Role the upload credential assumes (AWS); MinIO ignores it. */
    S3_UPLOAD_ROLE_ARN: z.string().min(1).default("arn:aws:iam::000000000000:role/coffer-upload"),
    /** Download credential: with `sts` the one that assumes S3_DOWNLOAD_ROLE_ARN, with `keys` a read-only key. Defaults to S3_ACCESS_KEY with `sts`. */
    S3_DOWNLOAD_ACCESS_KEY: optional(z.string().min(1)),
    S3_DOWNLOAD_SECRET_KEY: optional(z.string().min(1)),
    /** Role the download credential assumes (AWS); MinIO ignores it. */
    S3_DOWNLOAD_ROLE_ARN: z.string().min(1).default("arn:aws:iam::000000000000:role/coffer-download"),

    PUBLIC_MAX_BYTES: int(1),
    DEFAULT_QUOTA_BYTES: int(0).default(10 * GiB),
    MAX_CONCURRENT_UPLOADS: int(1).default(5),
    /** The seeded plans (`db:seed`; docs/files.md "Plans"): free takes DEFAULT_QUOTA_BYTES; a max file size left unset is PUBLIC_MAX_BYTES. */
    PLAN_FREE_MAX_FILES: int(0).default(10_000),
    PLAN_FREE_MAX_FILE_BYTES: optional(int(1)),
    PLAN_PRO_QUOTA_BYTES: int(0).default(100 * GiB),
    PLAN_PRO_MAX_FILES: int(0).default(100_000),
    PLAN_PRO_MAX_FILE_BYTES: optional(int(1)),
    UPLOAD_PART_BYTES: int(5 * MiB).default(8 * MiB),
    UPLOAD_STALE_MINUTES: int(1).default(15),
    TRASH_RETENTION_DAYS: int(0).default(30),
    QUARANTINE_RETENTION_DAYS: int(0).default(30),
    /** Quarantined bytes kept per user; quarantining past it deletes that user's oldest quarantined files at once (docs/files.md). */
    QUARANTINE_MAX_BYTES_PER_USER: int(0).default(GiB),
    TRUST_PROXY: bool.default(false),
    /** Types that may be uploaded, declared at init and detected from the bytes by the scan; empty: every type (docs/files.md). */
    UPLOAD_ALLOWED_TYPES: typePatterns,
    /** Types that may never be uploaded; wins over UPLOAD_ALLOWED_TYPES. */
    UPLOAD_BLOCKED_TYPES: typePatterns,

    CLAMAV_HOST: z.string().min(1),
    CLAMAV_PORT: int(1).max(65535),
    /** clamd's StreamMaxLength; libclamav scans nothing above 2147483645 bytes. */
    CLAMAV_MAX_BYTES: int(1).max(2147483645).default(2147483645),
    /**
     * A file over CLAMAV_MAX_BYTES: `reject` (default) ends it rejected; `windowed` scans it in overlapping windows of
     * CLAMAV_MAX_BYTES each, in the same single pass that hashes it (docs/files.md).
     */
    LARGE_FILE_SCAN: z.enum(["reject", "windowed"]).default("reject"),
    /** With LARGE_FILE_SCAN=windowed: the bytes at the end of one window sent again at the start of the next (1 MiB). */
    LARGE_FILE_SCAN_OVERLAP_BYTES: int(1).default(MiB),
    /** Timeout of one clamd exchange without progress, in milliseconds; also the base wait for a verdict. */
    CLAMAV_TIMEOUT_MS: int(100).default(30_000),
    /** Milliseconds the verdict may take per MiB sent, on top of CLAMAV_TIMEOUT_MS (250: a 2 GiB file may wait 9 min). */
    CLAMAV_VERDICT_MS_PER_MIB: int(0).default(250),
    /** A scan whose S3 read yields no byte for this long fails its attempt (retried), in milliseconds. */
    S3_READ_TIMEOUT_MS: int(100).default(30_000),

    SMTP_URL: z.string().regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL"),
    EMAIL_FROM: z.string().min(3),
    // Webhooks (docs/webhooks.md)
    /** true: webhook URLs may resolve to loopback, private, link-local and metadata addresses (tests, closed networks). */
    WEBHOOK_ALLOW_PRIVATE: bool.default(false),
    /** One delivery attempt, connect to last byte of the answer, in milliseconds. */
    WEBHOOK_TIMEOUT_MS: int(100).default(5000),
    /** Retries of a failed delivery: first delay, doubling up to the maximum, for at most WEBHOOK_RETRY_FOR_SECONDS. */
    WEBHOOK_RETRY_INITIAL_MS: int(10).default(10_000),
    WEBHOOK_RETRY_MAX_MS: int(10).default(3_600_000),
    WEBHOOK_RETRY_FOR_SECONDS: int(1).default(24 * 3600),
    /** A webhook whose deliveries have all failed for this long is disabled and its owner told. */
    WEBHOOK_DISABLE_AFTER_SECONDS: int(1).default(24 * 3600),
    /** Who gets a mail on every malware detection: comma-separated addresses; none when empty. */
    ADMIN_ALERT_EMAILS: z
      .string()
      .default("")
      .transform((list, ctx) => {
        const addresses = list
          .split(",")
          .map((address) => address.trim())
          .filter(Boolean);
        const bad = addresses.filter((address) => !z.email().safeParse(address).success);
        if (bad.length) ctx.addIssue({ code: "custom", message: `not e-mail addresses: ${bad.join(", ")}` });
        return addresses;
      }),

    TEMPORAL_ADDRESS: z.string().min(1),
    TEMPORAL_NAMESPACE: z.string().min(1).default("default"),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default("coffer"),
    /** API key (Temporal Cloud); turns TLS on. */
    TEMPORAL_API_KEY: optional(z.string().min(1)),
    /** TLS to the frontend; on by itself when an API key, a client certificate or a CA is set. */
    TEMPORAL_TLS: optional(bool),
    /** mTLS: the client certificate and its key (PEM files), both or neither. */
    TEMPORAL_TLS_CLIENT_CERT_PATH: optional(z.string().min(1)),
    TEMPORAL_TLS_CLIENT_KEY_PATH: optional(z.string().min(1)),
    /** The CA that signed the server's certificate (PEM file), when not a public one. */
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: optional(z.string().min(1)),
    /** The name the server's certificate is checked against, when not the host of TEMPORAL_ADDRESS. */
    TEMPORAL_TLS_SERVER_NAME: optional(z.string().min(1)),
    /** The Temporal Web UI as admins open it; the admin page links files to their workflows there. */
    TEMPORAL_UI_URL: url.default("http://127.0.0.1:8233"),

    // Files
    /** Lifetime of presigned part-upload URLs, in seconds. */
    UPLOAD_URL_TTL_SECONDS: int(60).default(3600),
    /** Lifetime of presigned download and thumbnail URLs, in seconds. */
    DOWNLOAD_URL_TTL_SECONDS: int(10).default(300),
    /** FileLifecycle scan retries while clamd is unreachable: first delay, doubling up to the maximum. */
    SCAN_RETRY_INITIAL_MS: int(10).default(1000),
    SCAN_RETRY_MAX_MS: int(10).default(60_000),
    /** A scan without a heartbeat for this long is retried (the worker died). */
    SCAN_HEARTBEAT_TIMEOUT_MS: int(1000).default(30_000),
    /**
     * Files up to this size are scanned inside the run's workflow task (a local activity): one workflow
     * task per file instead of two and an activity task (bench small-files). 0: every scan is an activity.
     */
    SCAN_INLINE_MAX_BYTES: int(0).default(MiB),
    /** Scans one worker runs at once (its scan task queue's slots); unset: clamd's MaxThreads, read at start. */
    SCAN_CONCURRENCY: optional(int(1)),
    /** Thumbnails and previews one worker makes at once (its preview task queue's slots). */
    PREVIEW_CONCURRENCY: int(1).default(2),

    /** A preview (sharp, ffmpeg, pdftoppm) that takes longer is given up: the file stays ready without one. */
    PREVIEW_TIMEOUT_MS: int(1000).default(60_000),
    /** Address space of an ffmpeg or pdftoppm child process (prlimit --as), in bytes (1 GiB). */
    PREVIEW_MEMORY_BYTES: int(64 * MiB).default(GiB),

    /** Timeout of each dependency check of GET /health, in milliseconds. */
    HEALTH_TIMEOUT_MS: int(50).default(2000),

    /** Lifetime of an access token (JWT), in seconds. */
    ACCESS_TOKEN_TTL_SECONDS: int(1).default(900),

    // Accounts
    /** Lifetime of an e-mail verification link, in seconds (24 h). */
    EMAIL_VERIFICATION_TTL_SECONDS: int(60).default(24 * 3600),
    /** Lifetime of a password-reset link, in seconds (1 h). */
    PASSWORD_RESET_TTL_SECONDS: int(60).default(3600),
    /** Lifetime of a refresh token and of its cookie, in seconds (30 days). */
    REFRESH_TOKEN_TTL_SECONDS: int(60).default(30 * 24 * 3600),
    /** Failed logins for one email + IP within the window that lock the pair. */
    LOGIN_MAX_FAILURES: int(1).default(5),
    /** The window those failures are counted in, in seconds (10 min). */
    LOGIN_FAILURE_WINDOW_SECONDS: int(1).default(600),
    /** How long a locked email + IP pair stays locked, in seconds (15 min). */
    LOGIN_LOCK_SECONDS: int(1).default(900),
    /** argon2 hashes (64 MiB each) one process computes at once; the others wait, leaving libuv threads to logins. */
    PASSWORD_HASH_CONCURRENCY: int(1).default(2),
    /** Length of one rate-limit window, in seconds; the *_PER_MINUTE limits count per window. */
    RATE_LIMIT_WINDOW_SECONDS: int(1).default(60),
    RATE_LIMIT_AUTH_PER_MINUTE: int(1).default(5),
    RATE_LIMIT_UPLOAD_PER_MINUTE: int(1).default(60),
    RATE_LIMIT_PUBLIC_PER_MINUTE: int(1).default(120),
    RATE_LIMIT_ADMIN_PER_MINUTE: int(1).default(30),
    /** Shares created with a password per user per window (each hashes it with argon2). */
    RATE_LIMIT_SHARE_PASSWORD_PER_MINUTE: int(1).default(10),
    /** Prefix of the rate-limit keys in Redis (several deployments or test runs can share one Redis). */
    RATE_LIMIT_PREFIX: z.string().min(1).default("coffer:ratelimit"),

    // Shares
    /** Wrong passwords one IP may try on one link within the window before it gets 429 (docs/shares.md). */
    SHARE_PASSWORD_MAX_FAILURES: int(1).default(10),
    /** That window, in seconds (15 min). */
    SHARE_PASSWORD_WINDOW_SECONDS: int(1).default(900),
    /** Share downloads one client IP may run at once in one API process; more answer 429 and are not counted. */
    SHARE_DOWNLOADS_PER_IP: int(1).default(4),
    /** Share downloads one API process runs at once, and the size of the S3 socket pool kept for them. */
    SHARE_DOWNLOADS_MAX: int(1).default(256),
    /** A share download that sends nothing for this many seconds (its client stopped reading) is cut. */
    SHARE_DOWNLOAD_STALL_SECONDS: int(1).default(30),
    /** Lifetime of the presigned GET a link with no download limit redirects to, in seconds (only its start must fall within it). */
    SHARE_DOWNLOAD_URL_SECONDS: int(10).max(3600).default(60),
    /** How often the share-cleanup schedule runs, in minutes (hourly). */
    SHARE_CLEANUP_INTERVAL_MINUTES: int(1).default(60),
    /** Shares deleted per statement by the cleanup. */
    SHARE_CLEANUP_BATCH_SIZE: int(1).max(100_000).default(1000),
    /** Revoked shares (and their access logs) are kept this many days so their links answer 410 and owners can review them. */
    SHARE_REVOKED_RETENTION_DAYS: int(0).default(30),

    // Housekeeping (docs/housekeeping.md)
    /** false: the worker leaves the Temporal schedules alone (test workers, a second worker fleet). */
    SCHEDULES_ENABLED: bool.default(true),
    /** How often upload housekeeping runs: a Temporal duration such as "10m", "30s", "1h". */
    UPLOAD_HOUSEKEEPING_INTERVAL: z
      .string()
      .regex(/^\d+(ms|s|m|h|d)$/, 'must be a duration such as "10m"')
      .default("10m"),
    /** When nightly maintenance runs: a five-field cron expression, in UTC. */
    NIGHTLY_MAINTENANCE_CRON: z
      .string()
      .regex(/^\S+( \S+){4}$/, "must be a five-field cron expression")
      .default("0 3 * * *"),
    /** A multipart upload no open upload row knows is aborted once it is this old (an init in flight is younger). */
    MULTIPART_ORPHAN_MIN_AGE_MINUTES: int(0).default(60),
    /** An object no file row needs is deleted once it is this old; younger ones are only reported. */
    ORPHAN_OBJECT_MIN_AGE_HOURS: int(0).default(24),
    /** Failed uploads are deleted for good this many days after they failed. */
    FAILED_UPLOAD_RETENTION_DAYS: int(0).default(7),
    /** Rows (or S3 keys) one housekeeping activity call handles; S3 lists at most 1000 per page. */
    HOUSEKEEPING_BATCH_SIZE: int(1).max(1000).default(500),
    /** A housekeeping activity silent this long is retried elsewhere (the worker died), in milliseconds. */
    HOUSEKEEPING_HEARTBEAT_TIMEOUT_MS: int(1000).default(60_000),
    /** How long POST /admin/uploads/cleanup waits for the run before answering 202, in seconds. */
    ADMIN_CLEANUP_TIMEOUT_SECONDS: int(1).default(60),

    ADMIN_EMAIL: optional(z.string().email()),
    ADMIN_PASSWORD: optional(z.string().min(10, "must be at least 10 characters")),
  })
  .superRefine((config, ctx) => {
    if (!config.TEMPORAL_TLS_CLIENT_CERT_PATH !== !config.TEMPORAL_TLS_CLIENT_KEY_PATH) {
      const missing = config.TEMPORAL_TLS_CLIENT_CERT_PATH
        ? "TEMPORAL_TLS_CLIENT_KEY_PATH"
        : "TEMPORAL_TLS_CLIENT_CERT_PATH";
      ctx.addIssue({
        code: "custom",
        path: [missing],
        message: "is required with the other half of the client certificate",
      });
    }
    if (config.TEMPORAL_TLS === false && (config.TEMPORAL_API_KEY || config.TEMPORAL_TLS_CLIENT_CERT_PATH))
      ctx.addIssue({
        code: "custom",
        path: ["TEMPORAL_TLS"],
        message: "cannot be false with an API key or a client certificate",
      });
  })
  .superRefine((config, ctx) => {
    // A window must carry new bytes besides the ones it repeats from the window before.
    if (config.LARGE_FILE_SCAN === "windowed" && config.LARGE_FILE_SCAN_OVERLAP_BYTES * 2 > config.CLAMAV_MAX_BYTES)
      ctx.addIssue({
        code: "custom",
        path: ["LARGE_FILE_SCAN_OVERLAP_BYTES"],
        message: "must be at most half of CLAMAV_MAX_BYTES (the window) with LARGE_FILE_SCAN=windowed",
      });
  })
  .superRefine((config, ctx) => {
    // Signing with keys hands clients URLs made by those keys: they must be others than the server's own.
    if (config.S3_URL_SIGNING !== "keys") return;
    for (const name of ["S3_UPLOAD_ACCESS_KEY", "S3_DOWNLOAD_ACCESS_KEY"] as const) {
      if (config[name] === config.S3_ACCESS_KEY) {
        ctx.addIssue({
          code: "custom",
          path: [name],
          message: "must be a key of its own (not S3_ACCESS_KEY) when S3_URL_SIGNING=keys",
        });
      }
    }
    for (const name of ["S3_UPLOAD_SECRET_KEY", "S3_DOWNLOAD_SECRET_KEY"] as const) {
      if (!config[name])
        ctx.addIssue({ code: "custom", path: [name], message: "is required when S3_URL_SIGNING=keys" });
    }
  });

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses an environment into a typed config; throws ConfigError naming every bad or missing variable. */
export function parseConfig(env: NodeJS.ProcessEnv): Config {
  // An empty value in .env means "not set": the default applies.
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const result = schema.safeParse(given);
  const problems = (result.error?.issues ?? []).map((issue) => {
    const name = issue.path.join(".");
    const missing = env[name] === undefined || env[name] === "";
    return missing ? `${name}: is required` : `${name}: ${issue.message}`;
  });
  // Example or weak secrets in production: one line for each variable the schema did not already name.
  for (const { name, message } of productionSecretProblems(given)) {
    if (!problems.some((problem) => problem.startsWith(`${name}: `))) problems.push(`${name}: ${message}`);
  }
  if (result.success && problems.length === 0) return result.data;
  throw new ConfigError(problems);
}

let cached: Config | undefined;

/** The process's config, parsed once from process.env. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/** Forgets the cached config so tests can change process.env. */
export function resetConfig(): void {
  cached = undefined;
}

/** For entry points: the config, or one line per problem on stderr and exit code 1. */
export function loadConfigOrExit(): Config {
  try {
    return getConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) process.stderr.write(`config error: ${problem}\n`);
    process.exit(1);
  }
}
