import { DEFAULT_SCAN_CONCURRENCY, scanConcurrency, workerTuning } from "../worker/tuning";
import { ConfigError, parseConfig } from "./config";
import { temporalConnectionOptions } from "./temporal";
import { minimalEnv } from "../test/minimal-env";

const base = minimalEnv;

/** Certificate "files": the path's own bytes, so a test sees which file went where. */
const files = (path: string) => Buffer.from(`contents of ${path}`);

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe("Temporal connection options from the environment", () => {
  it("connects in plain TCP to a local dev server", () => {
    expect(temporalConnectionOptions(parseConfig(base), files)).toEqual({ address: "127.0.0.1:7233" });
  });

  it("sends an API key over TLS to Temporal Cloud", () => {
    const config = parseConfig({
      ...base,
      TEMPORAL_ADDRESS: "eu-west-1.aws.api.temporal.io:7233",
      TEMPORAL_NAMESPACE: "coffer.a1b2c",
      TEMPORAL_API_KEY: "key-123",
    });
    expect(config.TEMPORAL_NAMESPACE).toBe("coffer.a1b2c");
    expect(temporalConnectionOptions(config, files)).toEqual({
      address: "eu-west-1.aws.api.temporal.io:7233",
      apiKey: "key-123",
      tls: true,
    });
  });

  it("presents a client certificate, trusts a private CA and checks a server name (mTLS)", () => {
    const config = parseConfig({
      ...base,
      TEMPORAL_ADDRESS: "temporal.internal:7233",
      TEMPORAL_TLS_CLIENT_CERT_PATH: "/etc/coffer/client.pem",
      TEMPORAL_TLS_CLIENT_KEY_PATH: "/etc/coffer/client.key",
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: "/etc/coffer/ca.pem",
      TEMPORAL_TLS_SERVER_NAME: "frontend.temporal.internal",
    });
    expect(temporalConnectionOptions(config, files)).toEqual({
      address: "temporal.internal:7233",
      tls: {
        clientCertPair: { crt: files("/etc/coffer/client.pem"), key: files("/etc/coffer/client.key") },
        serverRootCACertificate: files("/etc/coffer/ca.pem"),
        serverNameOverride: "frontend.temporal.internal",
      },
    });
  });

  it("turns TLS on alone with TEMPORAL_TLS=true (a cluster with a public certificate)", () => {
    expect(temporalConnectionOptions(parseConfig({ ...base, TEMPORAL_TLS: "true" }), files).tls).toBe(true);
  });

  it("refuses half a client certificate and TLS off with credentials", () => {
    expect(problemsOf({ ...base, TEMPORAL_TLS_CLIENT_CERT_PATH: "/c.pem" })).toContain(
      "TEMPORAL_TLS_CLIENT_KEY_PATH: is required",
    );
    expect(problemsOf({ ...base, TEMPORAL_API_KEY: "k", TEMPORAL_TLS: "false" })).toEqual([
      "TEMPORAL_TLS: cannot be false with an API key or a client certificate",
    ]);
  });
});

describe("worker tuning from the environment", () => {
  it("takes slots, cache size, shutdown grace and the metrics host from the config", () => {
    const defaults = parseConfig(base);
    expect(defaults.WORKER_METRICS_HOST).toBe("127.0.0.1");
    expect(workerTuning(defaults)).toEqual({
      maxConcurrentWorkflowTaskExecutions: 40,
      maxConcurrentActivityTaskExecutions: 20,
      maxCachedWorkflows: 500,
      shutdownGraceTime: "120 seconds",
    });
    const tuned = parseConfig({
      ...base,
      WORKER_METRICS_HOST: "0.0.0.0",
      WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: "10",
      WORKER_MAX_CONCURRENT_ACTIVITIES: "4",
      WORKER_MAX_CACHED_WORKFLOWS: "0",
      WORKER_SHUTDOWN_GRACE_SECONDS: "600",
    });
    expect(tuned.WORKER_METRICS_HOST).toBe("0.0.0.0");
    expect(workerTuning(tuned)).toEqual({
      maxConcurrentWorkflowTaskExecutions: 10,
      maxConcurrentActivityTaskExecutions: 4,
      maxCachedWorkflows: 0,
      shutdownGraceTime: "600 seconds",
    });
  });

  it("runs SCAN_CONCURRENCY scans, else clamd's MaxThreads, else clamd's default when clamd does not answer", async () => {
    const clamd = (answer: () => Promise<number>) => ({ maxThreads: answer });
    const config = parseConfig(base);
    expect(config.SCAN_CONCURRENCY).toBeUndefined();
    expect(config.PREVIEW_CONCURRENCY).toBe(2);
    expect(
      await scanConcurrency(
        parseConfig({ ...base, SCAN_CONCURRENCY: "3" }),
        clamd(async () => 12),
      ),
    ).toEqual({
      slots: 3,
      from: "SCAN_CONCURRENCY",
    });
    expect(
      await scanConcurrency(
        config,
        clamd(async () => 12),
      ),
    ).toEqual({ slots: 12, from: "clamd MaxThreads" });
    const away = clamd(() => Promise.reject(new Error("connection refused")));
    expect(await scanConcurrency(config, away)).toEqual({ slots: DEFAULT_SCAN_CONCURRENCY, from: "default" });
  });
});
