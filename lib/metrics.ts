import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** One registry per process, with Node's default metrics. */
export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

export function createApiMetrics(registry: Registry) {
  return {
    requestDuration: new Histogram({
      name: "request_duration_seconds",
      help: "HTTP request latency by route, method and status code",
      labelNames: ["route", "method", "code"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    uploadsStarted: new Counter({ name: "uploads_started_total", help: "Uploads opened", registers: [registry] }),
    uploadsCompleted: new Counter({
      name: "uploads_completed_total",
      help: "Uploads whose parts were assembled and handed to scanning",
      registers: [registry],
    }),
    uploadBytes: new Counter({ name: "upload_bytes_total", help: "Bytes of completed uploads", registers: [registry] }),
    uploadPartDuration: new Histogram({
      name: "upload_part_duration_seconds",
      help: "Time a client took to PUT one part, as reported at complete",
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [registry],
    }),
  };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;

export function createWorkerMetrics(registry: Registry) {
  return {
    virusDetections: new Counter({ name: "virus_detections_total", help: "Files found infected", registers: [registry] }),
    clamavScanSeconds: new Histogram({
      name: "clamav_scan_seconds",
      help: "Duration of one streaming scan (S3 → clamd + SHA-256)",
      labelNames: ["outcome"] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers: [registry],
    }),
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;
