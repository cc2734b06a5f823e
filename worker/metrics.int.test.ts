import { readFile } from "node:fs/promises";
import { createTestDeps, closeDeps, startTestServer } from "../test/deps";
import { metricNames } from "../test/prometheus";
import { freePort, spawnWorker } from "../test/worker-process";

/** SPEC §8, by the process where each happens. */
const apiNames = [
  "request_duration_seconds",
  "uploads_started_total",
  "uploads_completed_total",
  "upload_bytes_total",
  "upload_part_duration_seconds",
  "downloads_total",
  "shares_active_total",
  "files_waiting",
];
const workerNames = ["virus_detections_total", "clamav_scan_seconds"];

describe("metrics endpoints", () => {
  it("the API's /metrics parses as Prometheus text and carries its names of SPEC §8", async () => {
    const deps = await createTestDeps();
    const server = await startTestServer(deps);
    try {
      await fetch(`${server.origin}/health`);
      const res = await fetch(`${server.origin}/metrics`);
      expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
      const names = metricNames(await res.text());
      expect(apiNames.filter((name) => !names.has(name))).toEqual([]);
    } finally {
      await server.close();
      await closeDeps(deps);
    }
  });

  it("the worker's metrics port serves ours from its first answer on, and the Temporal SDK's in the same text", async () => {
    const port = await freePort();
    const worker = await spawnWorker({ WORKER_METRICS_PORT: String(port), TEMPORAL_TASK_QUEUE: `metrics-${port}` });
    try {
      // Scraped from the moment the port answers: a scrape while the worker is still connecting to
      // Temporal must carry our names too. The SDK's follow once it is connected.
      const missing = new Set<string>();
      let text = "";
      for (const deadline = Date.now() + 90_000; !/^temporal_/m.test(text);) {
        if (Date.now() > deadline || worker.child.exitCode !== null) {
          throw new Error(
            `no temporal_ metrics on port ${port}; worker log:\n${await readFile(worker.logFile, "utf8")}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
        text = await fetch(`http://127.0.0.1:${port}/metrics`)
          .then((res) => res.text())
          .catch(() => "");
        const names = metricNames(text);
        if (text) workerNames.filter((name) => !names.has(name)).forEach((name) => missing.add(name));
      }
      expect([...missing]).toEqual([]);
      expect(workerNames.filter((name) => !metricNames(text).has(name))).toEqual([]);
    } finally {
      worker.child.kill("SIGTERM");
      await worker.exited;
    }
  });
});
