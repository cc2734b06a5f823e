import { Histogram, Registry, collectDefaultMetrics } from "prom-client";

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
  };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;
