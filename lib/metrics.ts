import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { createHousekeepingMetrics } from "./housekeeping-metrics";

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
    downloads: new Counter({
      name: "downloads_total",
      help: "Downloads through public share links that started streaming",
      registers: [registry],
    }),
    uploadPartDuration: new Histogram({
      name: "upload_part_duration_seconds",
      help: "Time a client took to PUT one part, as reported at complete",
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [registry],
    }),
  };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;

/** Hears of a gauge whose count failed at a scrape (the caller logs it). */
export type CollectErrorListener = (gauge: string, error: unknown) => void;

/**
 * Runs a gauge's count at a scrape. Should it fail, the gauge keeps its last value rather than
 * failing the scrape, but never silently: `<gauge>_collect_errors_total` counts the failure and
 * `onError` hears of it, so a frozen gauge shows on the dashboards and in the logs.
 */
function collectOrReport(registry: Registry, gauge: string, onError: CollectErrorListener) {
  const errors = new Counter({
    name: `${gauge}_collect_errors_total`,
    help: `Scrapes at which ${gauge} could not be counted (it kept its previous value)`,
    registers: [registry],
  });
  return async (count: () => Promise<void>) => {
    try {
      await count();
    } catch (error) {
      errors.inc();
      onError(gauge, error);
    }
  };
}

/**
 * shares_active_total: links that would serve a download right now, counted by `countActive` at
 * each scrape (a failed count: see collectOrReport).
 */
export function registerActiveSharesGauge(
  registry: Registry,
  countActive: () => Promise<number>,
  onError: CollectErrorListener,
): Gauge {
  const collect = collectOrReport(registry, "shares_active_total", onError);
  return new Gauge({
    name: "shares_active_total",
    help: "Share links that are not revoked, expired or used up and whose file is ready",
    registers: [registry],
    async collect() {
      await collect(async () => this.set(await countActive()));
    },
  });
}

export function createWorkerMetrics(registry: Registry) {
  return {
    housekeeping: createHousekeepingMetrics(registry),
    virusDetections: new Counter({
      name: "virus_detections_total",
      help: "Files found infected",
      registers: [registry],
    }),
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

/**
 * files_waiting{status}: open uploads ("uploading") and files whose scan has not finished
 * ("processing"), counted by `countWaiting` at each scrape — the backlog the alerts watch (a
 * failed count: see collectOrReport).
 */
export function registerWaitingFilesGauge(
  registry: Registry,
  countWaiting: () => Promise<{ uploading: number; processing: number }>,
  onError: CollectErrorListener,
): Gauge {
  const collect = collectOrReport(registry, "files_waiting", onError);
  return new Gauge({
    name: "files_waiting",
    help: "Files waiting: open uploads and files whose scan has not finished",
    labelNames: ["status"] as const,
    registers: [registry],
    async collect() {
      await collect(async () => {
        const counts = await countWaiting();
        this.set({ status: "uploading" }, counts.uploading);
        this.set({ status: "processing" }, counts.processing);
      });
    },
  });
}
