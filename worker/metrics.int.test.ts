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
      await fetch(`${server.url}/health`);
      const res = await fetch(`${server.url}/metrics`);
      expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
      const names = metricNames(await res.text());
      expect(apiNames.filter((name) => !names.has(name))).toEqual([]);
    } finally {
      await server.close();
      await closeDeps(deps);
    }
  });

  it("the worker's metrics port serves ours and the Temporal SDK's in one Prometheus text", async () => {
    const port = await freePort();
    const worker = await spawnWorker({ WORKER_METRICS_PORT: String(port), TEMPORAL_TASK_QUEUE: `metrics-${port}` });
    try {
      let text = "";
      for (let i = 0; i < 100 && !/^temporal_/m.test(text); i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        text = await fetch(`http://127.0.0.1:${port}/metrics`).then((res) => res.text()).catch(() => "");
      }
      const names = metricNames(text);
      expect(workerNames.filter((name) => !names.has(name))).toEqual([]);
      expect([...names].some((name) => name.startsWith("temporal_"))).toBe(true);
    } finally {
      worker.child.kill("SIGTERM");
      await worker.exited;
    }
  });
});
