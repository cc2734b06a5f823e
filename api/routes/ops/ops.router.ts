import { z } from "zod";
import { checkDb } from "../../../db";
import { checkTemporal } from "../../../lib/temporal";
import type { AppDeps } from "../../deps";
import { operation } from "../../route-table";
import { Checks } from "../admin/admin.views";

export type CheckName = keyof z.infer<typeof Checks>;

function withTimeout<T>(work: (signal: AbortSignal) => Promise<T>, timeoutMs: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });
  return Promise.race([work(controller.signal), timeout]).finally(() => clearTimeout(timer));
}

/** Asks every dependency at once, each with its own short timeout. */
export async function runHealthChecks(deps: AppDeps): Promise<z.infer<typeof Checks>> {
  const timeoutMs = deps.config.HEALTH_TIMEOUT_MS;
  const probes: Record<CheckName, (signal: AbortSignal) => Promise<unknown>> = {
    db: () => checkDb(deps.db),
    redis: async () => {
      if (deps.redis.status === "wait" || deps.redis.status === "end")
        await deps.redis.connect().catch(() => undefined);
      return deps.redis.ping();
    },
    s3: (signal) => deps.storage.checkBucket(signal),
    clamav: async () => {
      if (!(await deps.clamd.ping())) throw new Error("clamd did not answer PONG");
    },
    temporal: () => checkTemporal(deps.temporal, timeoutMs),
  };
  const names = Object.keys(probes) as CheckName[];
  const results = await Promise.allSettled(names.map((name) => withTimeout(probes[name], timeoutMs)));
  const checks = {} as z.infer<typeof Checks>;
  names.forEach((name, i) => {
    const result = results[i];
    checks[name] = result.status === "fulfilled" ? "up" : "down";
    if (result.status === "rejected")
      deps.logger.warn({ check: name, err: String(result.reason) }, "health check down");
  });
  return checks;
}

const HealthBody = z.object({ status: z.enum(["ok", "degraded"]), checks: Checks });

export const opsRoutes = [
  operation({
    operationId: "getHealth",
    method: "get",
    path: "/health",
    atRoot: true,
    summary: "Is every dependency up? (for probes and load balancers)",
    description: "Each check has a timeout of HEALTH_TIMEOUT_MS; the body names the check that is down.",
    tag: "operations",
    auth: "public",
    responses: {
      200: { description: "Every dependency answers", body: HealthBody },
      503: { description: "At least one dependency is down", body: HealthBody },
    },
    handler: async (ctx) => {
      const checks = await runHealthChecks(ctx.deps);
      const healthy = Object.values(checks).every((state) => state === "up");
      ctx.status = healthy ? 200 : 503;
      ctx.body = { status: healthy ? "ok" : "degraded", checks };
    },
  }),
  operation({
    operationId: "getMetrics",
    method: "get",
    path: "/metrics",
    atRoot: true,
    summary: "The API process's Prometheus metrics",
    tag: "operations",
    auth: "public",
    responses: { 200: { description: "Prometheus text format", mediaType: "text/plain" } },
    handler: async (ctx) => {
      ctx.type = ctx.deps.registry.contentType;
      ctx.body = await ctx.deps.registry.metrics();
    },
  }),
];
